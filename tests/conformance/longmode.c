// SPDX-License-Identifier: MIT
/*
 * conformance longmode: a 64-bit guest on 4 KiB page tables the VMM builds,
 * code in the top 2 GiB, stack and data at unrelated virtual addresses; the
 * guest reports what it reads through port I/O and writes a data page.
 * KVM_TRANSLATE walks the same tables.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/vmkit.h"

#define MEM_SIZE	0x100000u
#define GDT_GPA		0x0000u
#define TABLES_GPA	0x1000u
#define CODE_GPA	0x10000u
#define STACK_GPA	0x20000u
#define DATA_GPA	0x30000u
#define CODE_VA		0xffffffff80000000ull
#define STACK_VA	0x70000000ull
#define DATA_VA		0x1234000ull

#define PTE_ACCESSED	(1ull << 5)
#define PTE_DIRTY	(1ull << 6)
#define EFER_LMA	(1ull << 10)

CT_GUEST_CODE(longmode);
__asm__(".pushsection .rodata\n"
	".code64\n"
	"longmode_start:\n"
	"	mov $0x1234000, %ebx\n"
	"	mov (%rbx), %rax\n"
	"	mov $0x10, %dx\n"
	"	out %eax, %dx\n"
	"	shr $32, %rax\n"
	"	out %eax, %dx\n"
	"	push $0x55aa\n"
	"	pop %rax\n"
	"	out %eax, %dx\n"
	"	lea longmode_start(%rip), %rax\n"
	"	out %eax, %dx\n"
	"	shr $32, %rax\n"
	"	out %eax, %dx\n"
	"	movl $0xcafef00d, 8(%rbx)\n"
	"	hlt\n"
	"longmode_end:\n"
	".popsection\n");

/* The page-table entry mapping va (4 KiB page), read from guest memory. */
static uint64_t pte_of(const struct ct_pt *pt, uint64_t va)
{
	uint64_t table = pt->pml4;
	int level;

	for (level = 3; level >= 0; level--) {
		uint64_t e = ((const uint64_t *)(pt->mem + table))[(va >> (12 + 9 * level)) & 511];

		if (!level || !(e & 1))
			return e;
		table = e & 0x000ffffffffff000ull;
	}
	return 0;
}

static void check_translate(struct ct_vcpu *vcpu)
{
	struct kvm_translation tr = { .linear_address = DATA_VA + 8 };

	if (CT_OK(ioctl(vcpu->fd, KVM_TRANSLATE, &tr), "KVM_TRANSLATE of the data page"))
		ct_check(tr.valid && tr.physical_address == DATA_GPA + 8 && tr.writeable,
			 "KVM_TRANSLATE walks the VMM's tables (%#llx -> %#llx)",
			 (unsigned long long)tr.linear_address,
			 (unsigned long long)tr.physical_address);
	memset(&tr, 0, sizeof(tr));
	tr.linear_address = 0x5000000;
	if (CT_OK(ioctl(vcpu->fd, KVM_TRANSLATE, &tr), "KVM_TRANSLATE of an unmapped address"))
		ct_eq(tr.valid, 0, "an unmapped address translates as not valid");
}

int main(void)
{
	static const uint32_t outs[] = { 0x55667788, 0x11223344, 0x55aa, 0x80000000, 0xffffffff };
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct ct_vcpu vcpu;
	struct ct_pt pt;
	uint8_t *mem;
	unsigned int i;
	int kvm, vm;

	ct_init("longmode");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	mem = ct_add_memory(vm, 0, 0, MEM_SIZE, 0);
	memcpy(mem + CODE_GPA, longmode_start, CT_GUEST_SIZE(longmode));
	*(uint64_t *)(mem + DATA_GPA) = 0x1122334455667788ull;
	ct_pt_init(&pt, mem, CODE_GPA, TABLES_GPA);
	ct_pt_map(&pt, CODE_VA, CODE_GPA, CT_PAGE_SIZE);
	ct_pt_map(&pt, STACK_VA, STACK_GPA, CT_PAGE_SIZE);
	ct_pt_map(&pt, DATA_VA, DATA_GPA, CT_PAGE_SIZE);
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	ct_long_mode(kvm, &vcpu, &pt, GDT_GPA, CODE_VA, STACK_VA + CT_PAGE_SIZE);

	if (CT_OK(ioctl(vcpu.fd, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS in long mode"))
		ct_check((sregs.efer & EFER_LMA) && sregs.cs.l, "EFER.LMA and CS.L are set");
	check_translate(&vcpu);
	for (i = 0; i < sizeof(outs) / sizeof(outs[0]); i++) {
		if (!ct_run_expect(&vcpu, KVM_EXIT_IO, "the guest's OUT"))
			return ct_finish();
		ct_check(vcpu.run->io.direction == KVM_EXIT_IO_OUT && vcpu.run->io.port == 0x10 &&
			 vcpu.run->io.size == 4 && ct_get_le(ct_io_data(&vcpu), 4) == outs[i],
			 "OUT %u: %#x", i + 1, outs[i]);
	}
	if (ct_run_expect(&vcpu, KVM_EXIT_HLT, "KVM_EXIT_HLT"))
		ct_check(1, "the 64-bit guest halts: KVM_EXIT_HLT");
	ct_eq(*(uint64_t *)(mem + DATA_GPA + 8), 0xcafef00d, "the guest's write reached the data page");
	ct_check(pte_of(&pt, CODE_VA) & PTE_ACCESSED, "the code PTE is accessed: the guest walked our tables");
	ct_check(pte_of(&pt, DATA_VA) & PTE_DIRTY, "the data PTE is dirty after the guest's write");
	if (CT_OK(ioctl(vcpu.fd, KVM_GET_REGS, &regs), "KVM_GET_REGS after HLT")) {
		ct_eq(regs.rsp, STACK_VA + CT_PAGE_SIZE, "RSP is back at the stack top after push/pop");
		ct_eq(regs.rip, CODE_VA + CT_GUEST_SIZE(longmode), "RIP is past the HLT");
	}
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
