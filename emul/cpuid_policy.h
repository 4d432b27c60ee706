/*
 * The CPUID answers a guest gets: a table of (leaf, subleaf) entries shaped
 * like struct kvm_cpuid_entry2, so KVM_SET_CPUID2 can later replace a vcpu's
 * table as it is. The default table is the host's CPUID with what the core
 * cannot virtualize hidden (cpuid_policy_build_default); a few values depend
 * on the vcpu and are filled in per query (cpuid_policy_query).
 * Pure logic: the host CPUID is reached through a callback (host-testable).
 */
#ifndef EMUL_CPUID_POLICY_H
#define EMUL_CPUID_POLICY_H

#include "hv/types.h"
#include "arch/x86/cpu.h"

#define CPUID_MAX_ENTRIES	160
#define CPUID_FLAG_INDEXED	1u	/* the subleaf (ECX) selects the entry (KVM's SIGNIFCANT_INDEX) */

#define CPUID_HV_BASE		0x40000000u	/* hypervisor leaves: max leaf + signature */
#define CPUID_HV_FEATURES	0x40000001u	/* paravirtual features (KVM's layout); none yet */
#define CPUID_HV_SIGNATURE	"TernTernTern"

struct cpuid_entry {
	uint32_t function, index, flags;
	uint32_t eax, ebx, ecx, edx;
};

struct cpuid_policy {
	unsigned int nr;
	/* Intel CPUs answer a leaf above the maximum with the highest basic
	 * leaf; AMD CPUs with zeros. The guest sees the host vendor's habit. */
	bool intel_fallback;
	uint32_t max_basic;
	uint64_t xcr0_mask;		/* XCR0 bits the guest may set (XSETBV) */
	struct cpuid_entry entries[CPUID_MAX_ENTRIES];
};

typedef struct cpuid_regs (*cpuid_host_fn)(uint32_t leaf, uint32_t subleaf);

/*
 * Fills @p from @host with the core's hiding rules. @host_xcr0 is the XCR0 the
 * core runs with (0 when XSAVE is not enabled): the guest may enable only those
 * state components, since the FPU switch saves exactly them. 0 or -E2BIG.
 */
int cpuid_policy_build_default(struct cpuid_policy *p, cpuid_host_fn host, uint64_t host_xcr0);

/* Adds or replaces one entry; 0 or -E2BIG. */
int cpuid_policy_set(struct cpuid_policy *p, const struct cpuid_entry *e);

/* The per-vcpu inputs of an answer. */
struct cpuid_vcpu_view {
	uint32_t apic_id;
	bool osxsave;		/* guest CR4.OSXSAVE */
	uint64_t xcr0;		/* guest XCR0 */
};

/* What CPUID(@leaf, @subleaf) returns to a vcpu described by @view. */
struct cpuid_regs cpuid_policy_query(const struct cpuid_policy *p, uint32_t leaf,
				     uint32_t subleaf, const struct cpuid_vcpu_view *view);

/* Bytes of a standard-format XSAVE area holding the components in @xcr0,
 * from the leaf 0xD subleaves of @p (at least the 576-byte legacy+header). */
uint32_t cpuid_policy_xsave_size(const struct cpuid_policy *p, uint64_t xcr0);

#endif
