/* The default CPUID policy and its lookup (see emul/cpuid_policy.h). */
#include "emul/cpuid_policy.h"
#include "hv/errno.h"
#include "hv/string.h"

#define BIT(n)	(1u << (n))

/* Ranges copied from the host; newer leaves are left out (the maximum leaf
 * the guest sees is lowered to match). */
#define MAX_BASIC_LEAF		0x1Fu
#define MAX_EXT_LEAF		0x80000021u

/* XCR0 components: x87, SSE, AVX, and PKRU (hidden: no PKU for guests). */
#define XFEATURE_AVX		BIT(2)
#define XFEATURE_PKRU		BIT(9)

/*
 * What the guest must not see, and why. Everything else is the host's value.
 * leaf 1 ECX: VMX, SMX (no nested virtualization); MONITOR (MWAIT would idle
 *	the physical CPU); EST, TM2, PDCM (power/perf MSRs not emulated); x2APIC
 *	and TSC-deadline (no in-core LAPIC yet); OSXSAVE (mirrors the guest's
 *	CR4, set per query). Hypervisor bit set.
 * leaf 1 EDX: DS, ACPI thermal, TM, PBE (MSRs not emulated).
 * leaf 7.0: TSC_ADJUST, SGX, PT, PKU/OSPKE, WAITPKG, SGX_LC, and the
 *	speculation-control bits whose MSRs (SPEC_CTRL, ARCH_CAPABILITIES,
 *	FLUSH_CMD, CORE_CAPABILITIES) the core does not emulate yet.
 * leaves 5 (MONITOR), 6 (power), 0xA (PMU), 0x12 (SGX), 0x14 (PT),
 *	0x8000000A (SVM): all zero.
 * 0x80000001 ECX: SVM, SKINIT, IBS, core/NB/LLC perf counters, MONITORX.
 * 0x80000007 EDX: only invariant TSC.
 * 0x80000008 EBX: IBPB, IBRS, STIBP, SSBD, VIRT_SSBD (MSRs not emulated).
 */
#define L1_ECX_HIDE	(BIT(3) | BIT(5) | BIT(6) | BIT(7) | BIT(8) | BIT(15) | BIT(21) | \
			 BIT(24) | BIT(27))
#define L1_ECX_XSAVE	BIT(26)
#define L1_ECX_OSXSAVE	BIT(27)
#define L1_ECX_AVX_DEP	(BIT(12) | BIT(28) | BIT(29))	/* FMA, AVX, F16C need AVX state */
#define L1_ECX_HV	BIT(31)
#define L1_EDX_HIDE	(BIT(21) | BIT(22) | BIT(29) | BIT(31))
#define L7_EBX_HIDE	(BIT(1) | BIT(2) | BIT(25))
#define L7_ECX_HIDE	(BIT(3) | BIT(4) | BIT(5) | BIT(30))
#define L7_EDX_HIDE	(BIT(26) | BIT(27) | BIT(28) | BIT(29) | BIT(30) | BIT(31))
#define LX1_ECX_HIDE	(BIT(2) | BIT(10) | BIT(12) | BIT(23) | BIT(24) | BIT(28) | BIT(29))
#define LX7_EDX_KEEP	BIT(8)
#define LX8_EBX_HIDE	(BIT(12) | BIT(14) | BIT(15) | BIT(24) | BIT(25))
#define LD1_EAX_XSAVES	BIT(3)

static struct cpuid_entry *find(struct cpuid_policy *p, uint32_t fn, uint32_t idx)
{
	for (unsigned int i = 0; i < p->nr; i++) {
		struct cpuid_entry *e = &p->entries[i];

		if (e->function == fn && (!(e->flags & CPUID_FLAG_INDEXED) || e->index == idx))
			return e;
	}
	return NULL;
}

int cpuid_policy_set(struct cpuid_policy *p, const struct cpuid_entry *e)
{
	struct cpuid_entry *old = find(p, e->function, e->index);

	if (old && (old->flags & CPUID_FLAG_INDEXED) == (e->flags & CPUID_FLAG_INDEXED)) {
		*old = *e;
		return 0;
	}
	if (p->nr == CPUID_MAX_ENTRIES)
		return -E2BIG;
	p->entries[p->nr++] = *e;
	return 0;
}

static int add(struct cpuid_policy *p, uint32_t fn, uint32_t idx, uint32_t flags,
	       struct cpuid_regs r)
{
	struct cpuid_entry e = {
		.function = fn, .index = idx, .flags = flags,
		.eax = r.eax, .ebx = r.ebx, .ecx = r.ecx, .edx = r.edx,
	};

	if (p->nr == CPUID_MAX_ENTRIES)
		return -E2BIG;
	p->entries[p->nr++] = e;
	return 0;
}

/* Applies the hiding rules above to one host answer. */
static void filter(uint32_t fn, uint32_t idx, struct cpuid_regs *r, uint64_t xcr0)
{
	static const struct cpuid_regs zero;

	switch (fn) {
	case 1:
		r->ecx &= ~L1_ECX_HIDE;
		r->ecx |= L1_ECX_HV;
		if (!xcr0)
			r->ecx &= ~L1_ECX_XSAVE;
		if (!(xcr0 & XFEATURE_AVX))
			r->ecx &= ~L1_ECX_AVX_DEP;
		r->edx &= ~L1_EDX_HIDE;
		break;
	case 5: case 6: case 0xA: case 0x12: case 0x14: case 0x8000000A:
		*r = zero;
		break;
	case 7:
		if (idx == 0) {
			r->ebx &= ~L7_EBX_HIDE;
			r->ecx &= ~L7_ECX_HIDE;
			r->edx &= ~L7_EDX_HIDE;
		}
		break;
	case 0xD:
		if (idx == 0) {
			r->eax = (uint32_t)xcr0;
			r->edx = (uint32_t)(xcr0 >> 32);
		} else if (idx == 1) {
			r->eax &= ~LD1_EAX_XSAVES;
			r->ecx = 0;
			r->edx = 0;
		}
		break;
	case 0x80000001:
		r->ecx &= ~LX1_ECX_HIDE;
		break;
	case 0x80000007:
		r->edx &= LX7_EDX_KEEP;
		break;
	case 0x80000008:
		r->ebx &= ~LX8_EBX_HIDE;
		break;
	}
}

static int copy_leaf(struct cpuid_policy *p, cpuid_host_fn host, uint32_t fn, uint64_t xcr0)
{
	struct cpuid_regs r = host(fn, 0);
	uint32_t n;
	int err = 0;

	switch (fn) {
	case 4: case 0x8000001D:	/* caches: until the "no more caches" type */
		for (n = 0; n < 16 && !err; n++) {
			r = host(fn, n);
			err = add(p, fn, n, CPUID_FLAG_INDEXED, r);
			if (!(r.eax & 0x1F))
				break;
		}
		return err;
	case 7:
		n = MIN(r.eax, 3u);
		for (uint32_t i = 0; i <= n && !err; i++) {
			r = host(fn, i);
			filter(fn, i, &r, xcr0);
			err = add(p, fn, i, CPUID_FLAG_INDEXED, r);
		}
		return err;
	case 0xB: case 0x1F:		/* topology levels: until an invalid level */
		for (n = 0; n < 8 && !err; n++) {
			r = host(fn, n);
			err = add(p, fn, n, CPUID_FLAG_INDEXED, r);
			if (!(r.ecx & 0xFF00))
				break;
		}
		return err;
	case 0xD:
		for (n = 0; n < 63 && !err; n++) {
			if (n >= 2 && !(xcr0 & (1ULL << n)))
				continue;
			r = host(fn, n);
			filter(fn, n, &r, xcr0);
			err = add(p, fn, n, CPUID_FLAG_INDEXED, r);
		}
		return err;
	case 0xF: case 0x10:
		for (n = 0; n < 4 && !err; n++)
			err = add(p, fn, n, CPUID_FLAG_INDEXED, host(fn, n));
		return err;
	default:
		filter(fn, 0, &r, xcr0);
		return add(p, fn, 0, 0, r);
	}
}

int cpuid_policy_build_default(struct cpuid_policy *p, cpuid_host_fn host, uint64_t host_xcr0)
{
	struct cpuid_regs r0 = host(0, 0), rx = host(0x80000000, 0);
	uint64_t xcr0 = host_xcr0 & ~(uint64_t)XFEATURE_PKRU;
	uint32_t max_ext;
	int err = 0;

	memset(p, 0, sizeof(*p));
	p->max_basic = MIN(r0.eax, MAX_BASIC_LEAF);
	p->xcr0_mask = xcr0;
	/* "GenuineIntel" is EBX "Genu", EDX "ineI", ECX "ntel". */
	p->intel_fallback = r0.ebx == 0x756e6547 && r0.edx == 0x49656e69 && r0.ecx == 0x6c65746e;

	r0.eax = p->max_basic;
	err = add(p, 0, 0, 0, r0);
	for (uint32_t fn = 1; fn <= p->max_basic && !err; fn++)
		err = copy_leaf(p, host, fn, xcr0);
	if (!err) {
		struct cpuid_entry *xs = find(p, 0xD, 0);

		/* ECX: the largest area, for the components the guest may use. */
		if (xs)
			xs->ecx = cpuid_policy_xsave_size(p, xcr0);
	}

	if (!err) {
		struct cpuid_regs hv = { .eax = CPUID_HV_FEATURES };

		memcpy(&hv.ebx, CPUID_HV_SIGNATURE, 4);
		memcpy(&hv.ecx, CPUID_HV_SIGNATURE + 4, 4);
		memcpy(&hv.edx, CPUID_HV_SIGNATURE + 8, 4);
		err = add(p, CPUID_HV_BASE, 0, 0, hv);
	}
	if (!err)
		err = add(p, CPUID_HV_FEATURES, 0, 0, (struct cpuid_regs){ 0 });

	/* A CPU without extended leaves answers 0x80000000 with garbage below it. */
	max_ext = rx.eax >= 0x80000000 ? MIN(rx.eax, MAX_EXT_LEAF) : 0;
	if (max_ext && !err) {
		rx.eax = max_ext;
		err = add(p, 0x80000000, 0, 0, rx);
		for (uint32_t fn = 0x80000001; fn <= max_ext && !err; fn++)
			err = copy_leaf(p, host, fn, xcr0);
	}
	return err;
}

uint32_t cpuid_policy_xsave_size(const struct cpuid_policy *p, uint64_t xcr0)
{
	uint32_t size = 512 + 64;	/* legacy region and XSAVE header */

	for (unsigned int i = 0; i < p->nr; i++) {
		const struct cpuid_entry *e = &p->entries[i];

		/* Subleaf n >= 2: EAX = size, EBX = offset in the standard format. */
		if (e->function == 0xD && e->index >= 2 && e->index < 64 &&
		    (xcr0 & (1ULL << e->index)))
			size = MAX(size, e->ebx + e->eax);
	}
	return size;
}

struct cpuid_regs cpuid_policy_query(const struct cpuid_policy *p, uint32_t leaf,
				     uint32_t subleaf, const struct cpuid_vcpu_view *view)
{
	const struct cpuid_entry *e = find((struct cpuid_policy *)p, leaf, subleaf);
	struct cpuid_regs r = { 0 };

	if (!e) {
		bool leaf_known = false;

		for (unsigned int i = 0; i < p->nr && !leaf_known; i++)
			leaf_known = p->entries[i].function == leaf;
		/* A subleaf past the last of a known leaf reads as zeros; an
		 * unknown leaf gets the vendor's out-of-range answer. */
		if (leaf_known || !p->intel_fallback)
			return r;
		leaf = p->max_basic;
		e = find((struct cpuid_policy *)p, leaf, subleaf);
		if (!e)
			return r;
	}
	r.eax = e->eax;
	r.ebx = e->ebx;
	r.ecx = e->ecx;
	r.edx = e->edx;

	switch (leaf) {
	case 1:
		r.ebx = (r.ebx & 0x00FFFFFF) | (view->apic_id << 24);
		r.ecx &= ~L1_ECX_OSXSAVE;
		if (view->osxsave && (r.ecx & L1_ECX_XSAVE))
			r.ecx |= L1_ECX_OSXSAVE;
		break;
	case 0xB: case 0x1F:
		r.edx = view->apic_id;
		break;
	case 0xD:
		/* EBX: the area size for the XCR0 the guest enabled now. */
		if (subleaf == 0 || subleaf == 1)
			r.ebx = cpuid_policy_xsave_size(p, view->xcr0);
		break;
	}
	return r;
}
