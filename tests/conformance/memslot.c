// SPDX-License-Identifier: MIT
/*
 * conformance memslot: KVM_SET_USER_MEMORY_REGION (api.txt 4.35): create,
 * move, delete, read-only, slot range, alignment, overlap and flag checks,
 * and a real-mode guest that sees each change.
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
#define LOW_SIZE	0x10000u	/* slot 0: GPA 0 .. 64 KiB, the guest's code */
#define DATA_SIZE	0x10000u	/* slot 1: the memory that moves */
#define DATA_GPA	0x10000u
#define MOVED_GPA	0x40000u
#define DATA_BYTE	0xab
#define MMIO_BYTE	0xee

/* Reads the byte at BX:0 (real mode) and writes it to port 0x10. */
CT_GUEST_CODE(reader);
__asm__(".pushsection .rodata\n"
	".code16\n"
	"reader_start:\n"
	"	mov %bx, %ds\n"
	"	mov 0, %al\n"
	"	out %al, $0x10\n"
	"	hlt\n"
	"reader_end:\n"
	".code64\n"
	".popsection\n");

static int set_region(int vm, uint32_t slot, uint32_t flags, uint64_t gpa, uint64_t size,
		      const void *hva)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.flags = flags,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)hva,
	};

	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/*
 * Runs the reader on the byte at guest physical gpa (a multiple of 16). An
 * MMIO read is answered with MMIO_BYTE. Returns the byte the guest wrote out,
 * -1 if the run went wrong; *mmio_addr is the MMIO exit's address or -1.
 */
static int guest_read(struct ct_vcpu *vcpu, uint32_t gpa, uint64_t *mmio_addr)
{
	struct kvm_regs regs = { .rip = CODE_GPA, .rflags = 0x2, .rbx = gpa >> 4 };
	struct kvm_run *run = vcpu->run;
	int value = -1;

	*mmio_addr = (uint64_t)-1;
	ct_real_mode(vcpu, CODE_GPA);
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		ct_fatal("KVM_SET_REGS: %s", strerror(errno));
	for (;;) {
		if (ct_run(vcpu) < 0) {
			ct_fail("KVM_RUN of the reader", "%s", strerror(errno));
			return -1;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			*mmio_addr = run->mmio.phys_addr;
			if (run->mmio.is_write || run->mmio.len != 1)
				return -1;
			run->mmio.data[0] = MMIO_BYTE;
			break;
		case KVM_EXIT_IO:
			if (run->io.port != 0x10 || run->io.direction != KVM_EXIT_IO_OUT)
				return -1;
			value = ct_io_data(vcpu)[0];
			break;
		case KVM_EXIT_HLT:
			return value;
		default:
			ct_fail("the reader guest", "exit %s", ct_exit_name(run->exit_reason));
			return -1;
		}
	}
}

static void check_bad_regions(int kvm, int vm, uint8_t *hva)
{
	int nslots = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS);

	CT_ERRNO(set_region(vm, 2, 0, 0x100800, 0x1000, hva), EINVAL,
		 "a guest physical address not page-aligned: EINVAL");
	CT_ERRNO(set_region(vm, 2, 0, 0x100000, 0x1800, hva), EINVAL,
		 "a size not page-aligned: EINVAL");
	CT_ERRNO(set_region(vm, 2, 0, 0x100000, 0x1000, hva + 0x10), EINVAL,
		 "a userspace address not page-aligned: EINVAL");
	CT_ERRNO(set_region(vm, 2, 0, 0x100000, 0x1000, (void *)0xffff800000000000ull), EINVAL,
		 "a userspace address outside user space: EINVAL");
	CT_ERRNO(set_region(vm, 2, 0, 0xfffffffffffff000ull, 0x2000, hva), EINVAL,
		 "a range wrapping around the guest physical space: EINVAL");
	CT_ERRNO(set_region(vm, 2, 1u << 7, 0x100000, 0x1000, hva), EINVAL,
		 "unknown flags: EINVAL");
	if (nslots > 0)
		CT_ERRNO(set_region(vm, nslots, 0, 0x100000, 0x1000, hva), EINVAL,
			 "slot KVM_CAP_NR_MEMSLOTS (one past the last): EINVAL");
	CT_ERRNO(set_region(vm, 2, 0, 0x8000, 0x10000, hva), EEXIST,
		 "a slot overlapping slot 0: EEXIST");
	CT_ERRNO(set_region(vm, 2, 0, DATA_GPA + DATA_SIZE - 0x1000, 0x2000, hva), EEXIST,
		 "a slot overlapping the end of slot 1: EEXIST");
	CT_ERRNO(set_region(vm, 0, 0, 0, 2 * LOW_SIZE, hva), EINVAL,
		 "changing the size of slot 0: EINVAL");
	CT_ERRNO(set_region(vm, 7, 0, 0, 0, NULL), EINVAL, "deleting a slot never set: EINVAL");
	CT_ERRNO(ioctl(vm, KVM_SET_USER_MEMORY_REGION, ct_unmapped_address()), EFAULT,
		 "KVM_SET_USER_MEMORY_REGION from unmapped memory: EFAULT");
	if (nslots > 0) {
		CT_OK(set_region(vm, nslots - 1, 0, 0x200000, 0x1000, hva),
		      "the last slot (KVM_CAP_NR_MEMSLOTS - 1)");
		CT_OK(set_region(vm, nslots - 1, 0, 0x200000, 0, NULL), "deleting the last slot");
	}
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) > 0) {
		CT_OK(set_region(vm, 3, KVM_MEM_READONLY, 0x300000, 0x1000, hva),
		      "a KVM_MEM_READONLY slot");
		CT_ERRNO(set_region(vm, 3, 0, 0x300000, 0x1000, hva), EINVAL,
			 "clearing KVM_MEM_READONLY of a slot: EINVAL");
		CT_OK(set_region(vm, 3, 0, 0x300000, 0, NULL), "deleting the read-only slot");
	} else {
		ct_fail("KVM_CAP_READONLY_MEM", "not offered");
	}
}

static void check_guest_view(int vm, struct ct_vcpu *vcpu, uint8_t *data)
{
	uint64_t mmio;

	ct_eq(guest_read(vcpu, DATA_GPA, &mmio), DATA_BYTE, "the guest reads slot 1's memory");
	ct_eq(mmio, (uint64_t)-1, "... without an MMIO exit");

	CT_OK(set_region(vm, 1, 0, MOVED_GPA, DATA_SIZE, data), "moving slot 1");
	ct_eq(guest_read(vcpu, MOVED_GPA, &mmio), DATA_BYTE, "the guest reads slot 1 where it moved");
	ct_eq(guest_read(vcpu, DATA_GPA, &mmio), MMIO_BYTE,
	      "where slot 1 was, the guest reads what the MMIO exit answered");
	ct_eq(mmio, DATA_GPA, "the MMIO exit is at the old address");
	CT_ERRNO(set_region(vm, 1, 0, 0x8000, DATA_SIZE, data), EEXIST,
		 "moving slot 1 onto slot 0: EEXIST");

	CT_OK(set_region(vm, 1, 0, MOVED_GPA, 0, NULL), "deleting slot 1 (size 0)");
	ct_eq(guest_read(vcpu, MOVED_GPA, &mmio), MMIO_BYTE, "after deleting, the guest gets MMIO");
	ct_eq(mmio, MOVED_GPA, "the MMIO exit is at the deleted slot's address");
	CT_OK(set_region(vm, 1, 0, DATA_GPA, DATA_SIZE, data), "re-creating slot 1");
	ct_eq(guest_read(vcpu, DATA_GPA, &mmio), DATA_BYTE, "the guest reads the re-created slot");
}

int main(void)
{
	struct ct_vcpu vcpu;
	uint8_t *low, *data;
	int kvm, vm;

	ct_init("memslot");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	low = mmap(NULL, LOW_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	data = mmap(NULL, DATA_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (low == MAP_FAILED || data == MAP_FAILED)
		ct_fatal("mmap");
	memcpy(low + CODE_GPA, reader_start, CT_GUEST_SIZE(reader));
	data[0] = DATA_BYTE;

	CT_OK(set_region(vm, 0, 0, 0, LOW_SIZE, low), "slot 0 at 0");
	CT_OK(set_region(vm, 1, 0, DATA_GPA, DATA_SIZE, data), "slot 1 right after slot 0");
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	check_bad_regions(kvm, vm, data);
	check_guest_view(vm, &vcpu, data);
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
