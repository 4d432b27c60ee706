# The service domain (sd/): a ring-3 program built with the SDK's tern-cc
# (`make sdk`). Booted as multiboot2 module 0; see sd/README.md.
#
#   make sd       build $(BUILD)/sd/sd.elf
#
# Ring-3 images are kept free of newlib's debug information: the core copies
# the whole file for every process it creates (symbols stay, for backtraces).

TERN_CC      := $(BUILD)/sdk/bin/tern-cc
TERN_SDK     := $(BUILD)/sdk/.stamp	# abi/sdk.mk: the SDK is complete
RING3_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror -I.

SD_SRCS := $(wildcard sd/*.c)
SD_ELF  := $(BUILD)/sd/sd.elf

.PHONY: sd
sd: $(SD_ELF)

$(SD_ELF): $(SD_SRCS) $(wildcard sd/*.h) $(TERN_SDK)
	@mkdir -p $(dir $@)
	$(Q)$(TERN_CC) $(RING3_CFLAGS) -o $@ $(SD_SRCS)
	$(Q)strip --strip-debug $@
	$(E) "  TERNCC  $@"
