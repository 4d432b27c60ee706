/*
 * KVM_SET_CPUID2 / KVM_GET_CPUID2: the vcpu's own CPUID table, which from
 * then on answers its CPUID exits (emul/cpuid.c reads vcpu->cpuid).
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_cpuid2.h"
#include "hv/vcpu.h"
#include "hv/heap.h"
#include "hv/uaccess.h"
#include "hv/errno.h"
#include "emul/cpuid.h"

void vcpu_kvm_state_release(struct vcpu *v)
{
	kfree(v->kvm.cpuid);
	v->kvm.cpuid = NULL;
}

/* Whether the vcpu has entered the guest: every entry ends in a counted exit. */
static bool vcpu_has_run(const struct vcpu *v)
{
	for (unsigned int i = 0; i < EXIT_REASON_COUNT; i++)
		if (v->exit_count[i])
			return true;
	return false;
}

static int64_t set_table(struct vcpu *v, const struct kvm_cpuid_entry2 *e, uint32_t nent)
{
	static const struct cpuid_policy empty;
	const struct cpuid_policy *cur = v->kvm.cpuid ? v->kvm.cpuid : &empty;
	struct cpuid_policy *p;
	int err;

	/* Guests see CPUID as constant: after the first entry only the same
	 * table is accepted (KVM since Linux 5.16). */
	if (vcpu_has_run(v))
		return kvm_cpuid2_equal(cur, e, nent) ? 0 : -EINVAL;
	p = kmalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = kvm_cpuid2_to_policy(e, nent, cpuid_default_policy()->xcr0_mask, p);
	if (err) {
		kfree(p);
		return err;
	}
	kfree(v->kvm.cpuid);
	v->kvm.cpuid = p;
	v->cpuid = p;
	return 0;
}

int64_t kvm_vcpu_set_cpuid2(struct vcpu *v, uintptr_t uarg)
{
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 *e;
	size_t size;
	int64_t err;

	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	if (hdr.nent > KVM_CPUID2_MAX_ENTRIES)
		return -E2BIG;
	size = (size_t)hdr.nent * sizeof(*e);
	e = kmalloc(size ? size : sizeof(*e));
	if (!e)
		return -ENOMEM;
	err = copy_from_user(e, uarg + sizeof(hdr), size);
	if (!err)
		err = set_table(v, e, hdr.nent);
	kfree(e);
	return err;
}

int64_t kvm_vcpu_get_cpuid2(struct vcpu *v, uintptr_t uarg)
{
	const struct cpuid_policy *p = v->kvm.cpuid;
	uint32_t nr = p ? p->nr : 0;
	struct kvm_cpuid2 hdr;
	struct kvm_cpuid_entry2 *e;
	int64_t err;

	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	if (hdr.nent < nr) {
		/* Tell the caller how much room it needs. */
		hdr.nent = nr;
		err = copy_to_user(uarg, &hdr, sizeof(hdr));
		return err ? err : -E2BIG;
	}
	hdr.nent = nr;
	if (nr) {
		e = kmalloc((size_t)nr * sizeof(*e));
		if (!e)
			return -ENOMEM;
		kvm_cpuid2_from_policy(p, e);
		err = copy_to_user(uarg + sizeof(hdr), e, (size_t)nr * sizeof(*e));
		kfree(e);
		if (err)
			return err;
	}
	return copy_to_user(uarg, &hdr, sizeof(hdr));
}
