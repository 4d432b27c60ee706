/* The CPUID exit handler and the default policy built from this CPU. */
#include "emul/cpuid.h"
#include "hv/vcpu.h"
#include "hv/fpu.h"
#include "hv/log.h"
#include "arch/x86/cpu.h"
#include "arch/x86/virt.h"

static struct cpuid_policy default_policy;
static bool default_ready;

static struct cpuid_regs host_cpuid(uint32_t leaf, uint32_t subleaf)
{
	return cpuid(leaf, subleaf);
}

int cpuid_init(void)
{
	int err;

	if (default_ready)
		return 0;
	fpu_init();
	err = cpuid_policy_build_default(&default_policy, host_cpuid, fpu_host_xcr0());
	if (err) {
		pr_err("cpuid: default policy does not fit (%d)\n", err);
		return err;
	}
	default_ready = true;
	pr_debug("cpuid: default policy of %u entries, guest xcr0 mask %#lx\n",
		 default_policy.nr, (unsigned long)default_policy.xcr0_mask);
	return 0;
}

const struct cpuid_policy *cpuid_default_policy(void)
{
	return default_ready ? &default_policy : NULL;
}

void cpuid_emulate(struct vcpu *v)
{
	uint32_t leaf = (uint32_t)v->regs.rax, subleaf = (uint32_t)v->regs.rcx;
	struct cpuid_vcpu_view view = { .apic_id = v->id, .xcr0 = v->xcr0 };
	struct cpuid_regs r;

	/* Only leaf 1 mirrors a control register; skip the state read otherwise. */
	if (leaf == 1) {
		struct vcpu_sregs s;

		virt->get_sregs(v, &s);
		view.osxsave = s.cr4 & CR4_OSXSAVE;
	}
	r = cpuid_policy_query(v->cpuid, leaf, subleaf, &view);
	/* CPUID writes the 32-bit registers: the upper halves become zero. */
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
}
