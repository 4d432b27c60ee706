# The KVM UAPI header (abi/include/) and its layout test.
#
# test_kvm_abi is built by the generic unit-test rule in unit.mk; these extra
# prerequisites rebuild it when the header set or the name list changes
# (the generic rule only knows the .c files).
KVM_UAPI_HEADERS := $(wildcard abi/include/linux/*.h abi/include/asm/*.h)

$(BUILD)/unit/test_kvm_abi: $(KVM_UAPI_HEADERS) tests/unit/kvm_abi_list.def \
	tests/unit/kvm_abi_gen.h tests/unit/kvm_abi_table.h

# The header set must compile on its own, with no system header reachable,
# as strict C99 and C11, as GNU C and with the core's code-generation flags;
# each header twice, to exercise its include guard. A stamp file records
# success.
KVM_UAPI_CHECK_FLAGS := -Wall -Wextra -Werror -ffreestanding -nostdinc -fsyntax-only

$(BUILD)/unit/kvm_uapi_header.ok: $(KVM_UAPI_HEADERS)
	@mkdir -p $(dir $@)
	$(Q)for h in linux/kvm.h asm/kvm.h linux/types.h linux/ioctl.h asm/ioctl.h; do \
		printf '#include "%s"\n#include "%s"\ntypedef int kvm_uapi_check;\n' abi/include/$$h abi/include/$$h > $@.c; \
		for std in c99 c11 gnu99 gnu11; do \
			$(CC) -std=$$std -pedantic $(KVM_UAPI_CHECK_FLAGS) -I. $@.c || exit 1; \
		done; \
		$(CC) -std=gnu11 $(KVM_UAPI_CHECK_FLAGS) -fno-pic -mcmodel=kernel -mno-red-zone \
			-mgeneral-regs-only -I. $@.c || exit 1; \
	done
	@rm -f $@.c
	@touch $@
	$(E) "  CHECK   KVM UAPI headers (c99/c11/gnu/core, freestanding)"

unit-build: $(BUILD)/unit/kvm_uapi_header.ok
