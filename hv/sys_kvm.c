/*
 * The KVM ABI syscalls on VM and vcpu handles (abi/include/tern/syscall.h):
 * argument checks and handle lookups; the work is in hv/kvm_*.c.
 *
 * Rights: VM_CREATE needs VM on the root handle. A new VM handle carries
 * READ | WRITE | MAP | DUP: VM_MAP and VM_UNMAP need MAP (and VM_MAP needs
 * MAP on the process whose memory it maps), VM_DIRTY_LOG needs READ,
 * VCPU_CREATE needs WRITE, VM_IOCTL needs READ for the ioctls that only read
 * (CHECK_EXTENSION, GET_CLOCK) and WRITE for the others. A new vcpu handle
 * carries READ | WRITE | MAP | DUP: VCPU_MAP_RUN needs MAP, VCPU_RUN needs
 * WRITE. KVM_SYSTEM needs VM on the root handle, as VM_CREATE.
 */
#include "hv/sys_objects.h"
#include "hv/kvm_obj.h"
#include "hv/aspace.h"
#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/heap.h"
#include "hv/uaccess.h"
#include "hv/thread.h"
#include "hv/kvm_vcpu_ioctl.h"
#include "abi/include/linux/kvm.h"

#define KVM_HANDLE_RIGHTS	(TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_MAP | TERN_RIGHT_DUP)
/* Largest dirty-log harvest in one call: 4 GiB of guest memory (128 KiB of bits). */
#define DIRTY_LOG_MAX_PAGES	(1UL << 20)

static struct kvm_vm *get_vm(uint64_t h, uint32_t rights, int *err)
{
	struct kobj *o = cap_get(current_caps(), arg_int(h), TERN_KOBJ_VM, rights, err, NULL);

	return o ? to_kvm_vm(o) : NULL;
}

static struct kvm_vcpu *get_vcpu(uint64_t h, uint32_t rights, int *err)
{
	struct kobj *o = cap_get(current_caps(), arg_int(h), TERN_KOBJ_VCPU, rights, err, NULL);

	return o ? to_kvm_vcpu(o) : NULL;
}

/* Gives the caller a handle on @o, dropping the creation reference. */
static int64_t install(struct kobj *o)
{
	int h = cap_insert(current_caps(), o, KVM_HANDLE_RIGHTS);

	kobj_put(o);
	return h;
}

int64_t sys_vm_create(const struct syscall_args *args)
{
	int err;
	struct kobj *root = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_ROOT,
				    TERN_RIGHT_VM, &err, NULL);
	struct kvm_vm *kvm;

	if (!root)
		return err;
	kobj_put(root);
	kvm = kvm_vm_create();
	if (!kvm)
		return -ENOMEM;
	return install(&kvm->obj);
}

int64_t sys_vm_map(const struct syscall_args *args)
{
	int err;
	struct kvm_vm *kvm = get_vm(args->a[0], TERN_RIGHT_MAP, &err);
	struct kobj *po;
	struct process *p;
	struct aspace *as;

	if (!kvm)
		return err;
	po = cap_get(current_caps(), arg_int(args->a[1]), TERN_KOBJ_PROCESS, TERN_RIGHT_MAP, &err,
		     NULL);
	if (!po) {
		kobj_put(&kvm->obj);
		return err;
	}
	p = container_of(po, struct process, obj);
	as = process_aspace_get(p);
	if (as) {
		err = kvm_vm_map(kvm, as, args->a[2], args->a[3], args->a[4], arg_u32(args->a[5]));
		process_aspace_put(p);
	} else {
		err = -ESRCH;	/* the process has ended */
	}
	kobj_put(po);
	kobj_put(&kvm->obj);
	return err;
}

int64_t sys_vm_unmap(const struct syscall_args *args)
{
	int err;
	struct kvm_vm *kvm = get_vm(args->a[0], TERN_RIGHT_MAP, &err);

	if (!kvm)
		return err;
	err = kvm_vm_unmap(kvm, args->a[1], args->a[2]);
	kobj_put(&kvm->obj);
	return err;
}

int64_t sys_vm_dirty_log(const struct syscall_args *args)
{
	uint64_t gpa = args->a[1], size = args->a[2], pages = size / PAGE_SIZE;
	size_t bytes = ALIGN_UP(pages, 64) / 8;
	uint64_t *bits;
	int err;
	struct kvm_vm *kvm;

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) || pages > DIRTY_LOG_MAX_PAGES)
		return -EINVAL;
	kvm = get_vm(args->a[0], TERN_RIGHT_READ, &err);
	if (!kvm)
		return err;
	bits = kmalloc(bytes);
	if (!bits) {
		kobj_put(&kvm->obj);
		return -ENOMEM;
	}
	err = kvm_vm_dirty_harvest(kvm, gpa, size, bits);
	/* Bits already harvested are lost if the copy faults: the device model
	 * passed a bad pointer, as with KVM_GET_DIRTY_LOG. */
	if (!err)
		err = copy_to_user(args->a[3], bits, bytes);
	kfree(bits);
	kobj_put(&kvm->obj);
	return err;
}

int64_t sys_vcpu_create(const struct syscall_args *args)
{
	int err;
	struct kvm_vm *kvm = get_vm(args->a[0], TERN_RIGHT_WRITE, &err);
	struct kvm_vcpu *kv;

	if (!kvm)
		return err;
	kv = kvm_vcpu_create(kvm, arg_u32(args->a[1]), &err);
	kobj_put(&kvm->obj);
	if (!kv)
		return err;
	return install(&kv->obj);
}

int64_t sys_vcpu_map_run(const struct syscall_args *args)
{
	int err;
	struct kvm_vcpu *kv = get_vcpu(args->a[0], TERN_RIGHT_MAP, &err);
	uintptr_t addr = args->a[1];

	if (!kv)
		return err;
	/* The mapping holds its own reference on the vcpu (and so its frames). */
	err = aspace_map_frames(current_process()->as, &addr, TERN_VCPU_MMAP_PAGES * PAGE_SIZE,
				TERN_PROT_READ | TERN_PROT_WRITE, 0, &kv->obj, kv->frames);
	kobj_put(&kv->obj);
	return err ? err : (int64_t)addr;
}

int64_t sys_vcpu_run(const struct syscall_args *args)
{
	int err;
	struct kvm_vcpu *kv = get_vcpu(args->a[0], TERN_RIGHT_WRITE, &err);

	if (!kv)
		return err;
	err = kvm_vcpu_run(kv);
	kobj_put(&kv->obj);
	return err;
}

/*
 * The vcpu ioctls other than KVM_RUN, done in the core on the caller's memory.
 * They never overlap a KVM_RUN of the same vcpu (or each other): the caller
 * claims the vcpu as its runner for the duration, else -EBUSY.
 */
int64_t sys_vcpu_ioctl(const struct syscall_args *args)
{
	struct thread *self = current_thread(), *none = NULL;
	uint32_t cmd = (uint32_t)args->a[1];
	struct kvm_vcpu *kv;
	int64_t ret;
	int err;

	if (args->a[1] > 0xffffffffUL)
		return -EINVAL;
	kv = get_vcpu(args->a[0], TERN_RIGHT_WRITE, &err);
	if (!kv)
		return err;
	if (cmd == KVM_RUN) {
		ret = kvm_vcpu_run(kv);
	} else if (!__atomic_compare_exchange_n(&kv->runner, &none, self, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED)) {
		ret = -EBUSY;
	} else {
		ret = kvm_vcpu_ioctl(kv->vcpu, cmd, args->a[2]);
		__atomic_store_n(&kv->runner, NULL, __ATOMIC_RELEASE);
	}
	kobj_put(&kv->obj);
	return ret;
}

int64_t sys_vm_ioctl(const struct syscall_args *args)
{
	uint32_t cmd = (uint32_t)args->a[1];
	struct kvm_vm *kvm;
	int64_t ret;
	int err;

	if (args->a[1] > 0xffffffffUL)
		return -EINVAL;
	kvm = get_vm(args->a[0], kvm_vm_ioctl_is_getter(cmd) ? TERN_RIGHT_READ : TERN_RIGHT_WRITE,
		     &err);
	if (!kvm)
		return err;
	ret = kvm_vm_ioctl(kvm, cmd, args->a[2]);
	kobj_put(&kvm->obj);
	return ret;
}

int64_t sys_kvm_system(const struct syscall_args *args)
{
	int err;
	struct kobj *root;

	if (args->a[1] > 0xffffffffUL)
		return -EINVAL;
	root = cap_get(current_caps(), arg_int(args->a[0]), TERN_KOBJ_ROOT, TERN_RIGHT_VM, &err,
		       NULL);
	if (!root)
		return err;
	kobj_put(root);
	return kvm_system_ioctl((uint32_t)args->a[1], args->a[2]);
}
