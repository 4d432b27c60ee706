/* KVM CPUID2 tables <-> CPUID policy (see hv/kvm_cpuid2.h). */
#include "hv/kvm_cpuid2.h"
#include "hv/string.h"
#include "hv/errno.h"

#define LEAF_XSAVE	0xDu
#define LEAF_ADDR_SIZE	0x80000008u

static const struct kvm_cpuid_entry2 *lookup(const struct kvm_cpuid_entry2 *e, uint32_t nent,
					     uint32_t fn, uint32_t idx)
{
	for (uint32_t i = 0; i < nent; i++)
		if (e[i].function == fn &&
		    (!(e[i].flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e[i].index == idx))
			return &e[i];
	return NULL;
}

int kvm_cpuid2_to_policy(const struct kvm_cpuid_entry2 *e, uint32_t nent,
			 uint64_t supported_xcr0, struct cpuid_policy *p)
{
	const struct kvm_cpuid_entry2 *leaf0, *xs, *as;

	if (nent > KVM_CPUID2_MAX_ENTRIES)
		return -E2BIG;
	as = lookup(e, nent, LEAF_ADDR_SIZE, 0);
	if (as) {
		uint32_t vaddr_bits = (as->eax >> 8) & 0xff;

		if (vaddr_bits != 0 && vaddr_bits != 48 && vaddr_bits != 57)
			return -EINVAL;
	}

	memset(p, 0, sizeof(*p));
	p->nr = nent;
	for (uint32_t i = 0; i < nent; i++) {
		p->entries[i] = (struct cpuid_entry){
			.function = e[i].function, .index = e[i].index, .flags = e[i].flags,
			.eax = e[i].eax, .ebx = e[i].ebx, .ecx = e[i].ecx, .edx = e[i].edx,
		};
	}
	leaf0 = lookup(e, nent, 0, 0);
	if (leaf0) {
		p->max_basic = leaf0->eax;
		/* Out-of-range leaves follow the vendor the table claims. */
		p->intel_fallback = leaf0->ebx == 0x756e6547 && leaf0->edx == 0x49656e69 &&
				    leaf0->ecx == 0x6c65746e;
	}
	xs = lookup(e, nent, LEAF_XSAVE, 0);
	p->xcr0_mask = 1;	/* x87 */
	if (xs)
		p->xcr0_mask |= (((uint64_t)xs->edx << 32) | xs->eax) & supported_xcr0;
	return 0;
}

void kvm_cpuid2_from_policy(const struct cpuid_policy *p, struct kvm_cpuid_entry2 *out)
{
	for (unsigned int i = 0; i < p->nr; i++) {
		const struct cpuid_entry *s = &p->entries[i];

		out[i] = (struct kvm_cpuid_entry2){
			.function = s->function, .index = s->index, .flags = s->flags,
			.eax = s->eax, .ebx = s->ebx, .ecx = s->ecx, .edx = s->edx,
		};
	}
}

bool kvm_cpuid2_equal(const struct cpuid_policy *p, const struct kvm_cpuid_entry2 *e,
		      uint32_t nent)
{
	if (p->nr != nent)
		return false;
	for (uint32_t i = 0; i < nent; i++) {
		const struct cpuid_entry *s = &p->entries[i];

		if (s->function != e[i].function || s->index != e[i].index ||
		    s->flags != e[i].flags || s->eax != e[i].eax || s->ebx != e[i].ebx ||
		    s->ecx != e[i].ecx || s->edx != e[i].edx)
			return false;
	}
	return true;
}
