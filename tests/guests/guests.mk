# Test guests (tests/guests/*.S): flat binaries under $(BUILD)/guests/, each
# named after its source (the module name the core prints), and the target
# that boots them all in the core's test mode on QEMU (SVM) and Bochs (VMX).
#
#   make guests        build the guest images
#   make test-guests   boot them with `testguests` on both emulators
#   make guests-kvm    run them under Linux KVM (/dev/kvm) as a reference

GUEST_NAMES := real pm32 pm32pg pae long64 switch triple mmio spin virtinsn
GUEST_BINS  := $(addprefix $(BUILD)/guests/,$(GUEST_NAMES))
GUEST_DEPS  := $(wildcard tests/guests/*.h) $(filter-out $(GUEST_NAMES:%=tests/guests/%.S),$(wildcard tests/guests/*.S))

.PHONY: guests test-guests guests-kvm
.SECONDARY: $(GUEST_NAMES:%=$(BUILD)/guests/%.o)

guests: $(GUEST_BINS)

$(BUILD)/guests/%.o: tests/guests/%.S $(GUEST_DEPS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) -c -I tests/guests -o $@ $<
	$(E) "  AS      $<"

# Linked at GUEST_LOAD (guest.h): the image, header first, is loaded there.
$(BUILD)/guests/%: $(BUILD)/guests/%.o
	$(Q)$(LD) -m elf_x86_64 -nostdlib -N -z noexecstack --no-warn-rwx-segments -Ttext=0x8000 -e 0x8000 -o $@.elf $<
	$(Q)objcopy -O binary -j .text $@.elf $@
	$(E) "  GUEST   $@"

test-guests: deps all guests
	@tests/guests/run.sh $(GUEST_BINS)

# The reference runner: the same header checks, entry state and protocol
# (hv/testguest.c) on Linux KVM, to tell a guest bug from a core bug.
$(BUILD)/kvmrun: tests/guests/kvmrun.c hv/testguest.c hv/testguest.h hv/format.c
	$(Q)$(UNIT_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror -I. -DHV_HOST_TEST -o $@ \
		tests/guests/kvmrun.c hv/testguest.c hv/format.c
	$(E) "  HOSTCC  $@"

guests-kvm: guests $(BUILD)/kvmrun
	$(BUILD)/kvmrun $(GUEST_BINS)
