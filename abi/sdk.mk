# The ring-3 SDK: newlib (scripts/newlib.sh, cached in build/sysroot), libtern
# (abi/libtern), libkvm (abi/libkvm: /dev/kvm for device models) and the
# tern-cc compiler wrapper, assembled in build/sdk:
#
#   make sdk        build/sdk/{include,lib,bin/tern-cc}
#   make libtern    build/libtern/libtern.a and crt0.o only
#   make libkvm     build/libkvm/libkvm.a only
#
# libtern is compiled against newlib's headers with libtern's own in front
# (its pthread types replace newlib's), exactly as tern-cc compiles programs.

SYSROOT      := $(BUILD)/sysroot
SDK          := $(BUILD)/sdk
LIBTERN_DIR  := $(BUILD)/libtern
LIBTERN_SRCS := $(wildcard abi/libtern/*.c)
LIBTERN_OBJS := $(patsubst abi/libtern/%.c,$(LIBTERN_DIR)/%.o,$(LIBTERN_SRCS))
LIBTERN_HDRS := $(wildcard abi/libtern/*.h abi/libtern/include/*.h abi/libtern/include/*/*.h \
		  abi/include/tern/*.h abi/include/linux/*.h abi/include/asm/*.h)

LIBKVM_DIR   := $(BUILD)/libkvm
LIBKVM_SRCS  := $(wildcard abi/libkvm/*.c)
LIBKVM_OBJS  := $(patsubst abi/libkvm/%.c,$(LIBKVM_DIR)/%.o,$(LIBKVM_SRCS))
LIBKVM_HDRS  := $(wildcard abi/libkvm/*.h) $(LIBTERN_HDRS)

LIBTERN_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-nostdinc -isystem abi/libtern/include -isystem abi/include -isystem $(SYSROOT)/include \
	-isystem $(shell $(CC) -print-file-name=include) -D__tern__ \
	-fno-pie -fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-ffunction-sections -fdata-sections

.PHONY: sdk libtern libkvm newlib

# Rebuilt only when missing: delete build/sysroot to rebuild newlib.
newlib: $(SYSROOT)/.stamp
$(SYSROOT)/.stamp:
	@scripts/newlib.sh $(BUILD)

$(LIBTERN_DIR)/%.o: abi/libtern/%.c $(LIBTERN_HDRS) $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LIBTERN_CFLAGS) -c $< -o $@
	$(E) "  CC      $<"

$(LIBTERN_DIR)/crt0.o: abi/libtern/crt0.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c $< -o $@
	$(E) "  AS      $<"

$(LIBTERN_DIR)/libtern.a: $(LIBTERN_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^
	$(E) "  AR      $@"

libtern: $(LIBTERN_DIR)/libtern.a $(LIBTERN_DIR)/crt0.o

# libkvm is part of the same runtime: built like libtern, with libtern's
# private header (abi/libtern/internal.h) at hand.
$(LIBKVM_DIR)/%.o: abi/libkvm/%.c $(LIBKVM_HDRS) $(SYSROOT)/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LIBTERN_CFLAGS) -c $< -o $@
	$(E) "  CC      $<"

$(LIBKVM_DIR)/libkvm.a: $(LIBKVM_OBJS)
	@rm -f $@
	$(Q)ar rcs $@ $^
	$(E) "  AR      $@"

libkvm: $(LIBKVM_DIR)/libkvm.a

sdk: $(SDK)/.stamp
$(SDK)/.stamp: $(LIBTERN_DIR)/libtern.a $(LIBTERN_DIR)/crt0.o $(LIBKVM_DIR)/libkvm.a \
		$(SYSROOT)/.stamp abi/tern-cc \
		$(LIBTERN_HDRS)
	@rm -rf $(SDK)
	@mkdir -p $(SDK)/include $(SDK)/lib $(SDK)/bin
	@cp -R $(SYSROOT)/include/. $(SDK)/include/
	@cp -R abi/libtern/include/. $(SDK)/include/
	@cp -R abi/include/tern/. $(SDK)/include/tern/
	@# The project's KVM UAPI headers (<linux/kvm.h> and what it includes).
	@cp -R abi/include/linux abi/include/asm $(SDK)/include/
	@cp $(SYSROOT)/lib/libc.a $(SYSROOT)/lib/libm.a $(LIBTERN_DIR)/libtern.a \
		$(LIBKVM_DIR)/libkvm.a $(LIBTERN_DIR)/crt0.o $(SDK)/lib/
	@# -lpthread and -lrt are part of libtern and libc; empty archives keep them valid.
	@ar rcs $(SDK)/lib/libpthread.a
	@ar rcs $(SDK)/lib/librt.a
	@cp abi/tern-cc $(SDK)/bin/tern-cc
	@touch $@
	$(E) "  SDK     $(SDK)"
