/*
 * VM fds. Their ioctls go on the KVM ring with the VM id as target;
 * KVM_CREATE_VCPU's answer, a vcpu handle the service domain granted us,
 * becomes a vcpu fd. As on Linux the VM outlives its fd while vcpu fds
 * exist: each holds a reference, and the last one gone tells the service
 * domain (TERN_KVM_OP_CLOSE), which then destroys the VM.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <linux/kvm.h>
#include "../libtern/internal.h"
#include "libkvm.h"

void kvm_vm_ref_get(struct kvm_vm_ref *vm)
{
	__atomic_add_fetch(&vm->refs, 1, __ATOMIC_RELAXED);
}

/* Tells the service domain VM @id is gone from this process. */
static void vm_close_id(uint32_t id)
{
	struct kvm_call c;

	/* Nothing to do if it fails: the ring is broken, and the service
	 * domain reclaims everything of ours when we exit. */
	if (kvm_ring_begin(&c) == 0) {
		kvm_ring_call(&c, TERN_KVM_OP_CLOSE, id, 0, 0, 0);
		kvm_ring_end(&c);
	}
}

void kvm_vm_ref_put(struct kvm_vm_ref *vm)
{
	if (__atomic_sub_fetch(&vm->refs, 1, __ATOMIC_ACQ_REL))
		return;
	vm_close_id(vm->id);
	free(vm);
}

static int vm_ioctl(struct tern_fd *f, unsigned long request, void *arg)
{
	struct kvm_vm_ref *vm = f->priv;
	uint32_t cmd = (uint32_t)request;
	long r;

	r = kvm_ring_ioctl(KVM_FD_VM, vm->id, cmd, arg);
	if (r >= 0 && cmd == KVM_CREATE_VCPU)
		r = kvm_vcpu_fd_install(vm, (int)(r < TERN_MAX_HANDLES ? r : -1));
	return (int)r;
}

static void vm_release(struct tern_fd *f)
{
	kvm_vm_ref_put(f->priv);
}

static const struct tern_fd_ops kvm_vm_ops = {
	.kind = "kvm-vm",
	.ioctl = vm_ioctl,
	.release = vm_release,
};

int kvm_vm_fd_install(uint32_t id)
{
	struct kvm_vm_ref *vm = malloc(sizeof(*vm));
	int fd;

	if (!vm) {
		vm_close_id(id);
		return -ENOMEM;
	}
	vm->id = id;
	vm->refs = 1;
	fd = tern_fd_install(&kvm_vm_ops, -1, O_RDWR, vm);
	if (fd < 0) {
		int err = errno;

		kvm_vm_ref_put(vm);
		return -err;
	}
	return fd;
}
