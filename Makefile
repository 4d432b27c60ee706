# tern — build, run and test. See README.md.
#
#   make          build build/tern.elf
#   make iso      build build/tern.iso (GRUB, multiboot2)
#   make run      boot tern under QEMU with its console on this terminal
#   make test     unit tests + integration tests on QEMU (SVM) and Bochs (VMX)
#
# CMDLINE sets the core command line baked into the ISO's grub.cfg.

BUILD      ?= build
VERSION    := $(shell cat VERSION)
CMDLINE    ?=
QEMU_SMP   ?= 2
QEMU_MEM   ?= 512

CC         := gcc
LD         := ld

# V=1 shows the full commands.
ifeq ($(V),1)
Q :=
E := @true
else
Q := @
E := @echo
endif

CORE_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -nostdinc -isystem $(shell $(CC) -print-file-name=include) \
	-fno-pic -fno-pie -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer -fno-asynchronous-unwind-tables \
	-fstack-protector-strong -mstack-protector-guard=global \
	-fno-strict-aliasing -fno-common \
	-I. -DTERN_VERSION='"$(VERSION)"'
CORE_ASFLAGS := -I. -D__ASSEMBLY__
CORE_LDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments -T linker.ld

CORE_DIRS  := boot arch/x86 arch/x86/vmx arch/x86/svm hv mmu emul
CORE_SRCS  := $(foreach d,$(CORE_DIRS),$(wildcard $(d)/*.c $(d)/*.S))
CORE_OBJS  := $(patsubst %,$(BUILD)/core/%.o,$(CORE_SRCS))

.PHONY: all iso run test unit unit-build integration deps clean
.DEFAULT_GOAL := all

all: $(BUILD)/tern.elf

deps:
	@scripts/deps.sh

$(BUILD)/core/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CORE_CFLAGS) -MMD -MP -c $< -o $@
	$(E) "  CC      $<"

$(BUILD)/core/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CORE_CFLAGS) $(CORE_ASFLAGS) -MMD -MP -c $< -o $@
	$(E) "  AS      $<"

$(BUILD)/tern.elf: $(CORE_OBJS) linker.ld
	$(Q)$(LD) $(CORE_LDFLAGS) -o $@ $(CORE_OBJS)
	$(E) "  LD      $@"
	@grub-file --is-x86-multiboot2 $@ || { echo "error: $@ is not multiboot2" >&2; rm -f $@; exit 1; }

# The ISO: tern.elf plus a generated grub.cfg. scripts/mkiso.sh also builds
# test ISOs with other command lines and modules.
iso: $(BUILD)/tern.iso
$(BUILD)/tern.iso: $(BUILD)/tern.elf scripts/mkiso.sh FORCE
	@scripts/mkiso.sh $@ $(BUILD)/tern.elf "$(CMDLINE)"

run: deps iso
	@echo "tern: booting under QEMU (SVM, -cpu EPYC); quit with Ctrl-A X"
	qemu-system-x86_64 -accel tcg -cpu EPYC -smp $(QEMU_SMP) -m $(QEMU_MEM) \
		-display none -serial mon:stdio -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 \
		-cdrom $(BUILD)/tern.iso

include tests/unit/unit.mk
-include tests/unit/kvm_abi.mk
-include tests/guests/guests.mk
-include bench/bench.mk
-include tests/conformance/conformance.mk
-include tests/fuzz/fuzz.mk
-include tests/fuzz/fuzz_insn.mk
-include abi/sdk.mk
-include sd/sd.mk
-include tests/ring3/ring3.mk

# Host unit tests only.
unit: deps unit-build
	@tests/run.sh --unit

test: deps all unit-build
	@tests/run.sh

clean:
	rm -rf $(BUILD)

FORCE:

-include $(CORE_OBJS:.o=.d)
