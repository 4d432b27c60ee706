/*
 * KVM_GET_MSRS / KVM_SET_MSRS: the same MSR table the guest's RDMSR/WRMSR
 * reach (emul/msr.c). Like KVM, an entry that fails ends the request and the
 * result is the number of entries done; the entries are copied back on GET.
 */
#include "hv/kvm_vcpu_ioctl_priv.h"
#include "hv/kvm_vcpu_args.h"
#include "hv/vcpu.h"
#include "hv/heap.h"
#include "hv/uaccess.h"
#include "hv/errno.h"
#include "emul/msr.h"

static int get_one(void *ctx, struct kvm_msr_entry *e)
{
	uint64_t value;
	int err = msr_read(ctx, e->index, &value);

	if (!err)
		e->data = value;
	return err;
}

static int set_one(void *ctx, struct kvm_msr_entry *e)
{
	return msr_write(ctx, e->index, e->data);
}

int64_t kvm_msrs_user_io(uintptr_t uarg, kvm_msr_fn fn, void *ctx, bool copy_back)
{
	struct kvm_msrs hdr;
	struct kvm_msr_entry *e;
	uintptr_t uentries = uarg + sizeof(hdr);
	size_t size;
	int64_t done;
	int err;

	err = copy_from_user(&hdr, uarg, sizeof(hdr));
	if (err)
		return err;
	err = kvm_msrs_check(hdr.nmsrs);
	if (err)
		return err;
	if (!hdr.nmsrs)
		return 0;
	size = (size_t)hdr.nmsrs * sizeof(*e);
	e = kmalloc(size);
	if (!e)
		return -ENOMEM;
	err = copy_from_user(e, uentries, size);
	if (err) {
		kfree(e);
		return err;
	}
	done = kvm_msrs_apply(e, hdr.nmsrs, fn, ctx);
	if (copy_back)
		err = copy_to_user(uentries, e, size);
	kfree(e);
	return err ? err : done;
}

int64_t kvm_vcpu_get_msrs(struct vcpu *v, uintptr_t uarg)
{
	return kvm_msrs_user_io(uarg, get_one, v, true);
}

int64_t kvm_vcpu_set_msrs(struct vcpu *v, uintptr_t uarg)
{
	return kvm_msrs_user_io(uarg, set_one, v, false);
}
