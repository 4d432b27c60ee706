/*
 * The vcpu object of the KVM ABI: a struct vcpu of its VM plus the frames a
 * device model mmaps (kvm_run, the PIO data page, the coalesced MMIO ring).
 * The frames are the object's; a mapping of them holds a reference on the
 * object (aspace_map_frames), so they outlive the handles as long as mapped.
 */
#include "hv/kvm_obj.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "abi/include/linux/kvm.h"

_Static_assert(sizeof(struct kvm_run) <= PAGE_SIZE, "kvm_run fits its page");
_Static_assert(KVM_PIO_PAGE_OFFSET < TERN_VCPU_MMAP_PAGES &&
	       KVM_COALESCED_MMIO_PAGE_OFFSET < TERN_VCPU_MMAP_PAGES, "vcpu mmap layout");

static void put_frames(struct kvm_vcpu *kv)
{
	for (unsigned int i = 0; i < TERN_VCPU_MMAP_PAGES; i++)
		if (kv->frames[i] && kv->frames[i] != FRAME_NONE)
			frame_ref_put(kv->frames[i]);	/* a VM may map it too */
}

static void kvm_vcpu_release(struct kobj *o)
{
	struct kvm_vcpu *kv = to_kvm_vcpu(o);

	vcpu_destroy(kv->vcpu);
	put_frames(kv);
	kobj_put(&kv->kvm->obj);
	kfree(kv);
}

static const struct kobj_ops kvm_vcpu_ops = {
	.type = TERN_KOBJ_VCPU,
	.release = kvm_vcpu_release,
};

struct kvm_vcpu *kvm_vcpu_create(struct kvm_vm *kvm, uint32_t id, int *err)
{
	struct kvm_vcpu *kv;
	bool taken;

	if (id >= VM_MAX_VCPUS) {
		*err = -EINVAL;
		return NULL;
	}
	kv = kzalloc(sizeof(*kv));
	if (!kv) {
		*err = -ENOMEM;
		return NULL;
	}
	for (unsigned int i = 0; i < TERN_VCPU_MMAP_PAGES; i++) {
		/* The coalesced MMIO ring is the VM's one page, shared by all vcpus. */
		if (i == KVM_COALESCED_MMIO_PAGE_OFFSET)
			kv->frames[i] = frame_ref_get(kvm->coalesced_frame) ? kvm->coalesced_frame
									    : FRAME_NONE;
		else
			kv->frames[i] = frame_alloc(0);
		if (kv->frames[i] == FRAME_NONE) {
			put_frames(kv);
			kfree(kv);
			*err = -ENOMEM;
			return NULL;
		}
	}
	kv->run = frame_va(kv->frames[0]);
	kv->pio_page = frame_va(kv->frames[KVM_PIO_PAGE_OFFSET]);

	/* The id check and the creation under one lock: two racing creators of
	 * the same id get one vcpu and one -EEXIST. */
	spin_lock(&kvm->lock);
	taken = kvm->vm->vcpus[id] != NULL;
	if (!taken)
		kv->vcpu = vcpu_create(kvm->vm, id);
	if (kv->vcpu)
		kvm->created_vcpus++;
	spin_unlock(&kvm->lock);
	if (!kv->vcpu) {
		put_frames(kv);
		kfree(kv);
		*err = taken ? -EEXIST : -ENOMEM;
		return NULL;
	}
	kobj_get(&kvm->obj);
	kv->kvm = kvm;
	kobj_init(&kv->obj, &kvm_vcpu_ops);
	return kv;
}
