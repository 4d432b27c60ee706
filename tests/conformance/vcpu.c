// SPDX-License-Identifier: MIT
/*
 * conformance vcpu: KVM_CREATE_VCPU and the vcpu state ioctls (api.txt 4.7,
 * 4.11-4.24, 4.31-4.32, 4.38-4.39, 4.41, 4.59, 4.79, 4.81, 4.115-4.116, sync
 * regs, immediate_exit) with their error cases, KVM_RUN before the VM has
 * memory, and a vcpu ioctl from a thread other than the creator.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/unmapped.h"
#include "lib/vmkit.h"

#define CODE_GPA	0x1000u
#define MSR_SYSENTER_CS	0x174u
#define CPUID_MAX	256

/* out %al, $0x10; hlt: an IO exit, then HLT. */
CT_GUEST_CODE(out_hlt);
__asm__(".pushsection .rodata\n"
	".code16\n"
	"out_hlt_start:\n"
	"	out %al, $0x10\n"
	"	hlt\n"
	"out_hlt_end:\n"
	".code64\n"
	".popsection\n");

static void check_create(int kvm, int vm, struct ct_vcpu *vcpu)
{
	int max_id = ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID);
	int second;

	ct_create_vcpu(kvm, vm, 0, vcpu);
	ct_check(1, "KVM_CREATE_VCPU 0 and the mmap of its kvm_run");
	CT_ERRNO(ioctl(vm, KVM_CREATE_VCPU, 0), EEXIST, "a second KVM_CREATE_VCPU 0: EEXIST");
	if (ct_check(max_id > 0, "KVM_CAP_MAX_VCPU_ID on the VM is positive (%d)", max_id))
		CT_ERRNO(ioctl(vm, KVM_CREATE_VCPU, max_id), EINVAL,
			 "KVM_CREATE_VCPU with id KVM_CAP_MAX_VCPU_ID: EINVAL");
	CT_ERRNO(ioctl(vm, KVM_CREATE_VCPU, 0x7fffffffl), EINVAL,
		 "KVM_CREATE_VCPU with a huge id: EINVAL");
	second = ioctl(vm, KVM_CREATE_VCPU, 1);
	if (CT_OK(second, "KVM_CREATE_VCPU 1"))
		close(second);
}

/*
 * The VM has no memory yet. Linux fails KVM_RUN with ENOSPC: the MMU's page
 * budget comes from the memory slots, and with none there is no room even
 * for the root table (make_mmu_pages_available).
 */
static void check_run_without_memory(struct ct_vcpu *vcpu)
{
	CT_ERRNO(ct_run(vcpu), ENOSPC, "KVM_RUN before any memory is set: ENOSPC");
}

static void check_regs(struct ct_vcpu *vcpu)
{
	struct kvm_regs regs, back;

	memset(&regs, 0, sizeof(regs));
	regs.rax = 0x1111222233334444ull;
	regs.r15 = 0x5555666677778888ull;
	regs.rip = 0xfff0;
	regs.rflags = 0x2;
	CT_OK(ioctl(vcpu->fd, KVM_SET_REGS, &regs), "KVM_SET_REGS");
	memset(&back, 0xff, sizeof(back));
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_REGS, &back), "KVM_GET_REGS"))
		ct_check(!memcmp(&regs, &back, sizeof(regs)), "KVM_GET_REGS gives what was set");
	CT_ERRNO(ioctl(vcpu->fd, KVM_GET_REGS, ct_unmapped_address()), EFAULT,
		 "KVM_GET_REGS into unmapped memory: EFAULT");
	CT_ERRNO(ioctl(vcpu->fd, KVM_SET_REGS, ct_unmapped_address()), EFAULT,
		 "KVM_SET_REGS from unmapped memory: EFAULT");
}

static void check_sregs(struct ct_vcpu *vcpu)
{
	struct kvm_sregs sregs, back;

	if (!CT_OK(ioctl(vcpu->fd, KVM_GET_SREGS, &sregs), "KVM_GET_SREGS"))
		return;
	ct_check(sregs.cs.selector == 0xf000 && sregs.cs.base == 0xffff0000ull &&
		 !(sregs.cr0 & 1), "a new vcpu is in real mode at CS f000, base ffff0000");
	sregs.ds.selector = 0x1234;
	sregs.ds.base = 0x12340;
	sregs.cr2 = 0xabc000;
	CT_OK(ioctl(vcpu->fd, KVM_SET_SREGS, &sregs), "KVM_SET_SREGS");
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_SREGS, &back), "KVM_GET_SREGS after KVM_SET_SREGS"))
		ct_check(back.ds.selector == 0x1234 && back.ds.base == 0x12340 &&
			 back.cr2 == 0xabc000, "KVM_GET_SREGS gives the DS and CR2 set");
	CT_ERRNO(ioctl(vcpu->fd, KVM_GET_SREGS, ct_unmapped_address()), EFAULT,
		 "KVM_GET_SREGS into unmapped memory: EFAULT");
}

static void check_fpu(int kvm, struct ct_vcpu *vcpu)
{
	struct kvm_fpu fpu, back;
	struct kvm_xsave xsave;
	struct kvm_xcrs xcrs;

	memset(&fpu, 0, sizeof(fpu));
	fpu.fcw = 0x37f;
	fpu.mxcsr = 0x1f80;	/* Linux's KVM_SET_FPU ignores MXCSR: not checked */
	fpu.xmm[3][0] = 0x5a;
	CT_OK(ioctl(vcpu->fd, KVM_SET_FPU, &fpu), "KVM_SET_FPU");
	memset(&back, 0, sizeof(back));
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_FPU, &back), "KVM_GET_FPU"))
		ct_check(back.fcw == 0x37f && back.xmm[3][0] == 0x5a,
			 "KVM_GET_FPU gives the FCW and XMM3 set");

	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_XSAVE) <= 0) {
		ct_fail("KVM_CAP_XSAVE", "not offered");
		return;
	}
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_XSAVE, &xsave), "KVM_GET_XSAVE"))
		CT_OK(ioctl(vcpu->fd, KVM_SET_XSAVE, &xsave), "KVM_SET_XSAVE of what KVM_GET_XSAVE gave");
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_XCRS) <= 0) {
		ct_fail("KVM_CAP_XCRS", "not offered");
		return;
	}
	memset(&xcrs, 0, sizeof(xcrs));
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_XCRS, &xcrs), "KVM_GET_XCRS"))
		ct_check(xcrs.nr_xcrs >= 1 && xcrs.xcrs[0].xcr == 0 && (xcrs.xcrs[0].value & 1),
			 "KVM_GET_XCRS gives XCR0 with x87");
	memset(&xcrs, 0, sizeof(xcrs));
	xcrs.nr_xcrs = 1;
	xcrs.xcrs[0].value = 0x3;	/* x87 | SSE: the CPUID set allows both */
	CT_OK(ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs), "KVM_SET_XCRS XCR0 = x87|SSE");
	xcrs.xcrs[0].value = 0x2;	/* SSE without x87 is never valid */
	CT_ERRNO(ioctl(vcpu->fd, KVM_SET_XCRS, &xcrs), EINVAL,
		 "KVM_SET_XCRS XCR0 without x87: EINVAL");
}

static void check_msrs(struct ct_vcpu *vcpu)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entries[2];
	} msrs;

	memset(&msrs, 0, sizeof(msrs));
	msrs.hdr.nmsrs = 1;
	msrs.entries[0].index = MSR_SYSENTER_CS;
	msrs.entries[0].data = 0x10;
	ct_eq(ioctl(vcpu->fd, KVM_SET_MSRS, &msrs), 1, "KVM_SET_MSRS of SYSENTER_CS sets 1 MSR");
	msrs.entries[0].data = 0;
	ct_eq(ioctl(vcpu->fd, KVM_GET_MSRS, &msrs), 1, "KVM_GET_MSRS of SYSENTER_CS reads 1 MSR");
	ct_eq(msrs.entries[0].data, 0x10, "KVM_GET_MSRS gives the value set");
	msrs.hdr.nmsrs = 2;
	msrs.entries[1] = msrs.entries[0];
	msrs.entries[0].index = 0xdeadbeef;
	ct_eq(ioctl(vcpu->fd, KVM_GET_MSRS, &msrs), 0,
	      "KVM_GET_MSRS stops at an unknown MSR (returns 0)");
	CT_ERRNO(ioctl(vcpu->fd, KVM_GET_MSRS, ct_unmapped_address()), EFAULT,
		 "KVM_GET_MSRS from unmapped memory: EFAULT");
}

static void check_cpuid(int kvm, struct ct_vcpu *vcpu)
{
	struct kvm_cpuid2 *cpuid, *back;
	uint32_t n;

	cpuid = calloc(1, sizeof(*cpuid) + CPUID_MAX * sizeof(cpuid->entries[0]));
	back = calloc(1, sizeof(*back) + CPUID_MAX * sizeof(back->entries[0]));
	if (!cpuid || !back)
		ct_fatal("calloc");
	cpuid->nent = CPUID_MAX;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cpuid) < 0)
		ct_fatal("KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	n = cpuid->nent;
	CT_OK(ioctl(vcpu->fd, KVM_SET_CPUID2, cpuid), "KVM_SET_CPUID2 of the supported CPUID");
	back->nent = 1;
	CT_ERRNO(ioctl(vcpu->fd, KVM_GET_CPUID2, back), E2BIG, "KVM_GET_CPUID2 with nent 1: E2BIG");
	/* Linux does not write the needed nent back on E2BIG (the copy-out is skipped). */
	/*
	 * Linux leaves nent as given on success, and keeps the run-time bits of
	 * the entries (OSXSAVE, XSAVE sizes...) up to date: compare the leaves.
	 */
	back->nent = CPUID_MAX;
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_CPUID2, back), "KVM_GET_CPUID2")) {
		uint32_t i, same = 0;

		for (i = 0; i < n; i++)
			same += back->entries[i].function == cpuid->entries[i].function &&
				back->entries[i].index == cpuid->entries[i].index;
		ct_eq(same, n, "KVM_GET_CPUID2 gives the leaves set, in order");
	}
	CT_ERRNO(ioctl(vcpu->fd, KVM_SET_CPUID2, ct_unmapped_address()), EFAULT,
		 "KVM_SET_CPUID2 from unmapped memory: EFAULT");
	free(cpuid);
	free(back);
}

static void check_misc_state(struct ct_vcpu *vcpu)
{
	struct kvm_mp_state mp = { 0 };
	struct kvm_vcpu_events events;
	struct kvm_debugregs dbg;
	struct kvm_translation tr = { .linear_address = 0x1234 };
	struct kvm_guest_debug gd = { .control = 0 };

	if (CT_OK(ioctl(vcpu->fd, KVM_GET_MP_STATE, &mp), "KVM_GET_MP_STATE"))
		ct_eq(mp.mp_state, KVM_MP_STATE_RUNNABLE, "the boot vcpu is RUNNABLE");
	CT_OK(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp), "KVM_SET_MP_STATE RUNNABLE");
	mp.mp_state = 100;
	CT_ERRNO(ioctl(vcpu->fd, KVM_SET_MP_STATE, &mp), EINVAL,
		 "KVM_SET_MP_STATE of an unknown state: EINVAL");

	memset(&events, 0, sizeof(events));
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_VCPU_EVENTS, &events), "KVM_GET_VCPU_EVENTS"))
		CT_OK(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &events),
		      "KVM_SET_VCPU_EVENTS of what KVM_GET_VCPU_EVENTS gave");
	events.flags = 0x80000000u;
	CT_ERRNO(ioctl(vcpu->fd, KVM_SET_VCPU_EVENTS, &events), EINVAL,
		 "KVM_SET_VCPU_EVENTS with unknown flags: EINVAL");

	memset(&dbg, 0, sizeof(dbg));
	if (CT_OK(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &dbg), "KVM_GET_DEBUGREGS")) {
		dbg.db[0] = 0x1000;
		dbg.db[3] = 0x4000;
		CT_OK(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &dbg), "KVM_SET_DEBUGREGS");
		memset(&dbg, 0, sizeof(dbg));
		if (CT_OK(ioctl(vcpu->fd, KVM_GET_DEBUGREGS, &dbg), "KVM_GET_DEBUGREGS again"))
			ct_check(dbg.db[0] == 0x1000 && dbg.db[3] == 0x4000,
				 "KVM_GET_DEBUGREGS gives DR0 and DR3 as set");
		dbg.flags = 1;
		CT_ERRNO(ioctl(vcpu->fd, KVM_SET_DEBUGREGS, &dbg), EINVAL,
			 "KVM_SET_DEBUGREGS with non-zero flags: EINVAL");
	}

	/* Real mode with paging off: linear is physical. */
	if (CT_OK(ioctl(vcpu->fd, KVM_TRANSLATE, &tr), "KVM_TRANSLATE in real mode"))
		ct_check(tr.valid && tr.physical_address == 0x1234,
			 "KVM_TRANSLATE maps linear 0x1234 to physical 0x1234");
	CT_OK(ioctl(vcpu->fd, KVM_SET_SIGNAL_MASK, NULL), "KVM_SET_SIGNAL_MASK NULL (no mask)");
	CT_OK(ioctl(vcpu->fd, KVM_SET_GUEST_DEBUG, &gd), "KVM_SET_GUEST_DEBUG off");
	/* Linux's x86 vcpu fd answers EINVAL to an ioctl it does not know. */
	CT_ERRNO(ioctl(vcpu->fd, _IO(KVMIO, 0xef), 0), EINVAL, "unknown ioctl on a vcpu fd: EINVAL");
}

static void *other_thread(void *arg)
{
	struct ct_vcpu *vcpu = arg;
	struct kvm_regs regs;
	long ok = ioctl(vcpu->fd, KVM_GET_REGS, &regs) == 0 && regs.rax == 0x1111222233334444ull;

	return (void *)ok;
}

static void check_other_thread(struct ct_vcpu *vcpu)
{
	pthread_t thread;
	void *ok = NULL;

	if (pthread_create(&thread, NULL, other_thread, vcpu) != 0)
		ct_fatal("pthread_create");
	pthread_join(thread, &ok);
	ct_check(ok != NULL, "KVM_GET_REGS from a thread other than the creator");
}

/* A guest at last: sync regs and immediate_exit need KVM_RUN to return. */
static void check_run_controls(int kvm, int vm, struct ct_vcpu *vcpu)
{
	struct kvm_run *run = vcpu->run;
	struct kvm_regs regs;
	uint8_t *mem = ct_add_memory(vm, 0, 0, 0x10000, 0);

	memcpy(mem + CODE_GPA, out_hlt_start, CT_GUEST_SIZE(out_hlt));
	ct_real_mode(vcpu, CODE_GPA);

	run->immediate_exit = 1;
	/* Linux returns at once without setting an exit reason (only a signal sets INTR). */
	CT_ERRNO(ct_run(vcpu), EINTR, "KVM_RUN with immediate_exit: EINTR");
	run->immediate_exit = 0;

	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_SYNC_REGS) <= 0) {
		ct_fail("KVM_CAP_SYNC_REGS", "not offered");
		return;
	}
	if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) < 0)
		ct_fatal("KVM_GET_REGS: %s", strerror(errno));
	regs.rax = 0x4d;
	if (ioctl(vcpu->fd, KVM_SET_REGS, &regs) < 0)
		ct_fatal("KVM_SET_REGS: %s", strerror(errno));
	run->kvm_valid_regs = KVM_SYNC_X86_REGS;
	if (ct_run_expect(vcpu, KVM_EXIT_IO, "the guest's out after immediate_exit")) {
		ct_eq(ct_io_data(vcpu)[0], 0x4d, "the out gives AL");
		ct_eq(run->s.regs.regs.rax, 0x4d, "sync regs: kvm_run holds RAX at the exit");
		/*
		 * Linux leaves RIP on the OUT until the exit is completed; the
		 * copy in kvm_run must be what KVM_GET_REGS says, whichever it is.
		 */
		if (ioctl(vcpu->fd, KVM_GET_REGS, &regs) == 0)
			ct_eq(run->s.regs.regs.rip, regs.rip,
			      "sync regs: kvm_run's RIP is KVM_GET_REGS's");
	}
	run->s.regs.regs.rbx = 0xb0b0;
	run->kvm_dirty_regs = KVM_SYNC_X86_REGS;
	if (ct_run_expect(vcpu, KVM_EXIT_HLT, "the guest's hlt") &&
	    ioctl(vcpu->fd, KVM_GET_REGS, &regs) == 0)
		ct_eq(regs.rbx, 0xb0b0, "sync regs: kvm_dirty_regs sets RBX");
	run->kvm_valid_regs = 0;
	run->kvm_dirty_regs = 0;
	run->kvm_valid_regs = 1u << 31;
	CT_ERRNO(ct_run(vcpu), EINVAL, "KVM_RUN with unknown kvm_valid_regs bits: EINVAL");
	run->kvm_valid_regs = 0;
}

int main(void)
{
	struct ct_vcpu vcpu;
	int kvm, vm, fd;

	ct_init("vcpu");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	check_create(kvm, vm, &vcpu);
	check_run_without_memory(&vcpu);
	close(vcpu.fd);
	munmap(vcpu.run, vcpu.run_size);

	/* A second VM, so that the failed run above leaves nothing behind. */
	close(vm);
	vm = ct_create_vm(kvm);
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	check_regs(&vcpu);
	check_sregs(&vcpu);
	check_cpuid(kvm, &vcpu);
	check_fpu(kvm, &vcpu);
	check_msrs(&vcpu);
	check_misc_state(&vcpu);
	check_other_thread(&vcpu);
	check_run_controls(kvm, vm, &vcpu);

	fd = dup(vcpu.fd);
	close(fd);
	CT_ERRNO(ioctl(fd, KVM_RUN, 0), EBADF, "KVM_RUN on a closed fd: EBADF");
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
