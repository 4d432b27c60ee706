// SPDX-License-Identifier: MIT
/*
 * conformance dirtylog: KVM_MEM_LOG_DIRTY_PAGES and KVM_GET_DIRTY_LOG
 * (api.txt 4.8): a real-mode guest (no page tables, so the CPU writes only
 * what the guest writes) dirties chosen pages of a logged slot; each
 * KVM_GET_DIRTY_LOG must return exactly the pages written since the last one.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/unmapped.h"
#include "lib/vmkit.h"

#define CODE_GPA	0x1000u
#define LOW_SIZE	0x10000u
#define LOG_GPA		0x10000u	/* slot 1: 16 pages, logged */
#define LOG_SIZE	0x10000u
#define LOG_SLOT	1

/* DS = slot 1; writes pages 1, 3, 15, reads 5, syncs; writes 2, 7+8 (one word), syncs. */
CT_GUEST_CODE(dirtier);
__asm__(".pushsection .rodata\n"
	".code16\n"
	"dirtier_start:\n"
	"	mov $0x1000, %ax\n"
	"	mov %ax, %ds\n"
	"	movb $1, 0x1000\n"
	"	movb $1, 0x3000\n"
	"	movb $1, 0xf000\n"
	"	mov 0x5000, %al\n"
	"	out %al, $0x10\n"
	"	movb $2, 0x2000\n"
	"	movw $0x0202, 0x7fff\n"
	"	out %al, $0x10\n"
	"	hlt\n"
	"dirtier_end:\n"
	".code64\n"
	".popsection\n");

static int get_log(int vm, uint32_t slot, void *bitmap)
{
	struct kvm_dirty_log log = { .slot = slot };

	log.dirty_bitmap = bitmap;
	return ioctl(vm, KVM_GET_DIRTY_LOG, &log);
}

static void expect_log(int vm, uint64_t want, const char *what)
{
	uint64_t bitmap = ~0ull;
	char desc[160];

	snprintf(desc, sizeof(desc), "KVM_GET_DIRTY_LOG %s", what);
	if (CT_OK(get_log(vm, LOG_SLOT, &bitmap), desc)) {
		snprintf(desc, sizeof(desc), "dirty pages %s: exactly %#llx", what,
			 (unsigned long long)want);
		ct_eq(bitmap, want, desc);
	}
}

static void check_errors(int vm)
{
	uint64_t bitmap;
	int nslots = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);

	CT_ERRNO(get_log(vm, 0, &bitmap), ENOENT, "KVM_GET_DIRTY_LOG of a slot not logging: ENOENT");
	CT_ERRNO(get_log(vm, 9, &bitmap), ENOENT, "KVM_GET_DIRTY_LOG of an empty slot: ENOENT");
	if (nslots > 0)
		CT_ERRNO(get_log(vm, nslots, &bitmap), EINVAL,
			 "KVM_GET_DIRTY_LOG of slot KVM_CAP_NR_MEMSLOTS: EINVAL");
	CT_ERRNO(get_log(vm, LOG_SLOT, ct_unmapped_address()), EFAULT,
		 "KVM_GET_DIRTY_LOG into an unmapped bitmap: EFAULT");
	CT_ERRNO(ioctl(vm, KVM_GET_DIRTY_LOG, ct_unmapped_address()), EFAULT,
		 "KVM_GET_DIRTY_LOG from unmapped memory: EFAULT");
}

int main(void)
{
	struct kvm_userspace_memory_region region;
	struct ct_vcpu vcpu;
	uint8_t *low, *logged;
	uint64_t bitmap;
	int kvm, vm;

	ct_init("dirtylog");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	low = ct_add_memory(vm, 0, 0, LOW_SIZE, 0);
	logged = ct_add_memory(vm, LOG_SLOT, LOG_GPA, LOG_SIZE, KVM_MEM_LOG_DIRTY_PAGES);
	memcpy(low + CODE_GPA, dirtier_start, CT_GUEST_SIZE(dirtier));
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	ct_real_mode(&vcpu, CODE_GPA);

	expect_log(vm, 0, "before the guest runs");
	if (!ct_run_expect(&vcpu, KVM_EXIT_IO, "the guest's first sync OUT"))
		return ct_finish();
	expect_log(vm, (1u << 1) | (1u << 3) | (1u << 15), "after writes to pages 1, 3, 15");
	/* The VMM's own writes are not the guest's: Linux does not log them. */
	logged[4 * CT_PAGE_SIZE] = 0x44;
	expect_log(vm, 0, "right after the last call");
	if (!ct_run_expect(&vcpu, KVM_EXIT_IO, "the guest's second sync OUT"))
		return ct_finish();
	expect_log(vm, (1u << 2) | (1u << 7) | (1u << 8), "after writes to page 2 and across 7/8");
	if (ct_run_expect(&vcpu, KVM_EXIT_HLT, "KVM_EXIT_HLT"))
		ct_check(1, "the guest halts");
	expect_log(vm, 0, "after a run that wrote nothing");
	ct_check(logged[CT_PAGE_SIZE] == 1 && logged[0x7fff] == 2 && logged[0x8000] == 2,
		 "the guest's writes are in the VMM's memory");
	check_errors(vm);

	/* Turning logging off: the slot stays, its log goes. */
	region = (struct kvm_userspace_memory_region){
		.slot = LOG_SLOT, .guest_phys_addr = LOG_GPA, .memory_size = LOG_SIZE,
		.userspace_addr = (uintptr_t)logged,
	};
	CT_OK(ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region), "clearing KVM_MEM_LOG_DIRTY_PAGES");
	CT_ERRNO(get_log(vm, LOG_SLOT, &bitmap), ENOENT,
		 "KVM_GET_DIRTY_LOG after logging is off: ENOENT");
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
