// SPDX-License-Identifier: MIT
/*
 * efer_lme: a real-mode guest with EFER.LME set while paging and PAE are off,
 * the state in which QEMU's SVM once lost a CPU at the next #VMEXIT (host CR0
 * left without paging, the machine hung: see arch/x86/svm/svm_lme.c). Every
 * way into and out of that state, each followed by an exit:
 *   KVM_SET_SREGS with LME       -> OUT 0x10
 *   MOV to CR4 setting PAE       -> OUT 0x11  (LME back in the VMCB)
 *   MOV to CR4 clearing PAE      -> OUT 0x12  (LME hidden again)
 *   RDMSR EFER                   -> OUT 0x13  (AH bit 0: LME as the guest sees it)
 *   WRMSR EFER = 0, then = LME   -> OUT 0x14, OUT 0x15
 *   MOV to CR0 with PE|PG        -> #GP (LME without PAE), the handler OUTs 0x0d
 * and HLT. Linux KVM behaves the same, but under QEMU TCG it trips the same
 * QEMU bug, so this is not part of the conformance suite (which also runs on
 * Linux KVM under QEMU): tests/integration/kvmlme.test.sh runs it on tern.
 */
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../conformance/lib/ct.h"
#include "../conformance/lib/vmkit.h"

#define CODE_GPA	0x1000u
#define MEM_SIZE	0x10000u
#define EFER_LME	(1ull << 8)
#define CR4_PAE		(1ull << 5)

CT_GUEST_CODE(lme);
extern const uint8_t lme_gp[];
__asm__(".pushsection .rodata\n"
	".code16\n"
	"lme_start:\n"
	"	out %al, $0x10\n"
	"	mov %cr4, %eax\n"
	"	or $0x20, %eax\n"
	"	mov %eax, %cr4\n"
	"	out %al, $0x11\n"
	"	and $~0x20, %eax\n"
	"	mov %eax, %cr4\n"
	"	out %al, $0x12\n"
	"	mov $0xc0000080, %ecx\n"
	"	rdmsr\n"
	"	mov %ah, %al\n"
	"	out %al, $0x13\n"
	"	xor %eax, %eax\n"
	"	xor %edx, %edx\n"
	"	wrmsr\n"
	"	out %al, $0x14\n"
	"	mov $0x100, %eax\n"
	"	wrmsr\n"
	"	out %al, $0x15\n"
	"	mov %cr0, %eax\n"
	"	or $0x80000001, %eax\n"
	"	mov %eax, %cr0\n"
	"	out %al, $0x16\n"	/* not reached: the MOV faults */
	"	hlt\n"
	"lme_gp:\n"
	"	out %al, $0x0d\n"
	"	hlt\n"
	"lme_end:\n"
	".code64\n"
	".popsection\n");

static uint64_t efer_of(struct ct_vcpu *vcpu, uint64_t *cr4)
{
	struct kvm_sregs sregs;

	if (!CT_OK(ioctl(vcpu->fd, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS"))
		return 0;
	*cr4 = sregs.cr4;
	return sregs.efer;
}

/* Runs to the next exit, which must be an OUT to @port; checks EFER.LME and CR4.PAE. */
static void step(struct ct_vcpu *vcpu, uint16_t port, int lme, int pae, const char *what)
{
	uint64_t efer, cr4 = 0;

	if (!ct_run_expect(vcpu, KVM_EXIT_IO, what))
		ct_fatal("the guest did not reach its OUT to %#x", port);
	ct_check(vcpu->run->io.port == port && vcpu->run->io.direction == KVM_EXIT_IO_OUT,
		 "%s: OUT to %#x (got port %#x)", what, port, vcpu->run->io.port);
	efer = efer_of(vcpu, &cr4);
	ct_eq(!!(efer & EFER_LME), lme, "... EFER.LME as KVM_GET_SREGS reports it");
	ct_eq(!!(cr4 & CR4_PAE), pae, "... CR4.PAE as KVM_GET_SREGS reports it");
}

int main(void)
{
	struct kvm_sregs sregs;
	struct ct_vcpu vcpu;
	uint8_t *mem;
	int kvm, vm;

	ct_init("efer_lme");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	mem = ct_add_memory(vm, 0, 0, MEM_SIZE, 0);
	memcpy(mem + CODE_GPA, lme_start, CT_GUEST_SIZE(lme));
	/* Real-mode IVT entry 13 (#GP): 0000:handler. */
	ct_put_le(mem + 13 * 4, 2, CODE_GPA + (lme_gp - lme_start));
	ct_put_le(mem + 13 * 4 + 2, 2, 0);
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	ct_real_mode(&vcpu, CODE_GPA);

	if (!CT_OK(ioctl(vcpu.fd, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS"))
		return ct_finish();
	sregs.efer |= EFER_LME;
	if (!CT_OK(ioctl(vcpu.fd, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS: LME in real mode"))
		return ct_finish();

	step(&vcpu, 0x10, 1, 0, "an exit with LME set, paging and PAE off");
	step(&vcpu, 0x11, 1, 1, "MOV to CR4 sets PAE");
	step(&vcpu, 0x12, 1, 0, "MOV to CR4 clears PAE");
	step(&vcpu, 0x13, 1, 0, "RDMSR EFER");
	ct_eq(ct_io_data(&vcpu)[0] & 1, 1, "... the guest reads LME back");
	step(&vcpu, 0x14, 0, 0, "WRMSR EFER = 0");
	step(&vcpu, 0x15, 1, 0, "WRMSR EFER = LME");
	step(&vcpu, 0x0d, 1, 0, "MOV to CR0 with PE and PG but no PAE: #GP");
	ct_run_expect(&vcpu, KVM_EXIT_HLT, "the #GP handler halts");
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
