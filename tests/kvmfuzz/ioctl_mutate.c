// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: valid ioctls with mutated structs: a correct memory region, CPUID
 * table, MSR list, register or segment state with a few bits, bytes or fields
 * changed, so validation deeper than the first check is reached. Output
 * buffers are sized for the largest answer whatever count the mutation left.
 */
#include <string.h>
#include <sys/ioctl.h>

#include "fuzz.h"

#define MAX_CPUID	256
#define MAX_MSRS	300

struct cpuid_buf {
	struct kvm_cpuid2 h;
	struct kvm_cpuid_entry2 e[MAX_CPUID];
};

struct msrs_buf {
	struct kvm_msrs h;
	struct kvm_msr_entry e[MAX_MSRS];
};

/* What /dev/kvm reported at start-up (kvm_fuzz.c calls fz_mutate_init). */
static struct cpuid_buf supported;
static uint32_t msr_index[MAX_MSRS];
static uint32_t nr_msr_index;

void fz_mutate_init(void)
{
	struct {
		struct kvm_msr_list h;
		uint32_t idx[MAX_MSRS];
	} list = { .h.nmsrs = MAX_MSRS };

	supported.h.nent = MAX_CPUID;
	if (ioctl(fz_kvm, KVM_GET_SUPPORTED_CPUID, &supported) < 0)
		supported.h.nent = 0;
	if (ioctl(fz_kvm, KVM_GET_MSR_INDEX_LIST, &list) == 0 && list.h.nmsrs <= MAX_MSRS) {
		nr_msr_index = list.h.nmsrs;
		memcpy(msr_index, list.idx, nr_msr_index * sizeof(uint32_t));
	}
}

static int vcpu_ioctl(int fd, unsigned long cmd, void *arg)
{
	return fz_ioctl("a mutated ioctl", fd, cmd, (uint64_t)arg);
}

static void mutate_region(void)
{
	struct kvm_userspace_memory_region r = {
		.slot = (uint32_t)fz_below(4),
		.flags = 0,
		.guest_phys_addr = fz_below(64) * FZ_PAGE,
		.memory_size = (1 + fz_below(64)) * FZ_PAGE,
		.userspace_addr = (uint64_t)fz_guest + fz_below(FZ_GUEST_LEN / 2 / FZ_PAGE) * FZ_PAGE,
	};
	int vm = fz_pool_pick(FZ_VM);

	if (fz_chance(30))
		r.flags = (uint32_t)fz_below(4);	/* LOG_DIRTY_PAGES, READONLY */
	if (fz_chance(80))
		fz_mutate(&r, sizeof(r));
	fz_sanitize_region(&r);
	vcpu_ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

static void mutate_cpuid(int vcpu)
{
	struct cpuid_buf c = supported;

	if (fz_chance(50)) {
		fz_mutate(&c.e, c.h.nent * sizeof(c.e[0]));
	} else {
		fz_mutate(&c, sizeof(c.h) + c.h.nent * sizeof(c.e[0]));
	}
	if (fz_chance(30)) {
		/* Reading back: the answer may hold up to MAX_CPUID entries. */
		if (c.h.nent > MAX_CPUID)
			c.h.nent = MAX_CPUID;
		vcpu_ioctl(vcpu, KVM_GET_CPUID2, &c);
		return;
	}
	vcpu_ioctl(vcpu, KVM_SET_CPUID2, &c);
}

static void mutate_msrs(int vcpu)
{
	struct msrs_buf m;
	uint32_t i, n = (uint32_t)fz_below(8) + 1;

	memset(&m, 0, sizeof(m));
	m.h.nmsrs = n;
	for (i = 0; i < n; i++) {
		m.e[i].index = nr_msr_index && fz_chance(80) ?
			msr_index[fz_below(nr_msr_index)] : (uint32_t)fz_interesting();
		m.e[i].data = fz_interesting();
	}
	if (fz_chance(50))
		fz_mutate(&m, sizeof(m.h) + n * sizeof(m.e[0]));
	if (fz_chance(50)) {
		if (m.h.nmsrs > MAX_MSRS)
			m.h.nmsrs = MAX_MSRS;
		vcpu_ioctl(vcpu, KVM_GET_MSRS, &m);
		return;
	}
	vcpu_ioctl(vcpu, KVM_SET_MSRS, &m);
}

static void mutate_regs(int vcpu)
{
	struct kvm_regs regs;

	if (vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) < 0)
		fz_fill(&regs, sizeof(regs));
	fz_mutate(&regs, sizeof(regs));
	vcpu_ioctl(vcpu, KVM_SET_REGS, &regs);
}

static void mutate_sregs(int vcpu)
{
	struct kvm_sregs sregs;

	if (vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) < 0)
		fz_fill(&sregs, sizeof(sregs));
	fz_mutate(&sregs, sizeof(sregs));
	vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs);
}

/* The other vcpu state structs, read back and written mutated. */
static void mutate_state(int vcpu)
{
	static const struct {
		unsigned long get, set;
		size_t size;
	} st[] = {
		{ KVM_GET_FPU, KVM_SET_FPU, sizeof(struct kvm_fpu) },
		{ KVM_GET_VCPU_EVENTS, KVM_SET_VCPU_EVENTS, sizeof(struct kvm_vcpu_events) },
		{ KVM_GET_DEBUGREGS, KVM_SET_DEBUGREGS, sizeof(struct kvm_debugregs) },
		{ KVM_GET_XCRS, KVM_SET_XCRS, sizeof(struct kvm_xcrs) },
		{ KVM_GET_MP_STATE, KVM_SET_MP_STATE, sizeof(struct kvm_mp_state) },
		{ KVM_GET_XSAVE, KVM_SET_XSAVE, sizeof(struct kvm_xsave) },
	};
	unsigned int i = (unsigned int)fz_below(sizeof(st) / sizeof(st[0]));
	void *buf = fz_scratch_random(st[i].size);

	vcpu_ioctl(vcpu, st[i].get, buf);
	fz_mutate(buf, st[i].size);
	vcpu_ioctl(vcpu, st[i].set, buf);
}

void fz_op_mutate(void)
{
	int vcpu = fz_pool_pick(FZ_VCPU);

	switch (fz_below(7)) {
	case 0: mutate_region(); break;
	case 1: mutate_cpuid(vcpu); break;
	case 2: mutate_msrs(vcpu); break;
	case 3: mutate_regs(vcpu); break;
	case 4: mutate_sregs(vcpu); break;
	default: mutate_state(vcpu); break;
	}
}
