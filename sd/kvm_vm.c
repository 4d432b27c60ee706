/*
 * The VM ioctls (target = a VM id of the channel). The service domain keeps
 * the memory slots (kvm_memory.c) and makes vcpus, whose handles it grants
 * to the device model so that KVM_RUN and the vcpu ioctls go straight to the
 * core; the other VM ioctls (capabilities, clock, coalesced MMIO, TSS and
 * identity-map addresses, ...) are the core's, through TERN_SYS_VM_IOCTL on
 * the service domain's VM handle. The core answers ENOTTY to what it does
 * not know, as Linux's VM fd does.
 */
#include <linux/kvm.h>
#include <sys/mman.h>
#include <tern/tern.h>

#include "sd/kvm_args.h"
#include "sd/kvm_errno.h"
#include "sd/kvm_server.h"

/*
 * A VM's slot table (16 KiB) comes from mmap, not malloc: munmap gives its
 * frames back to the core at once, so a device model that opened many VMs
 * does not leave the service domain's heap larger (and the free-frame count
 * lower) after it ends.
 */
static struct sd_memslots *slots_alloc(void)
{
	void *p = mmap(NULL, sizeof(struct sd_memslots), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static void slots_free(struct sd_memslots *s)
{
	if (s)
		munmap(s, sizeof(*s));
}

int64_t sd_kvm_vm_new(struct sd_kvm_channel *c)
{
	struct sd_kvm_vm *vm = NULL;
	long h;

	for (int i = 0; i < TERN_KVM_MAX_VMS && !vm; i++)
		if (c->vms[i].handle < 0)
			vm = &c->vms[i];
	/* The per-process limit on VMs, as the fd limit would be on Linux. */
	if (!vm)
		return -EMFILE;
	vm->slots = slots_alloc();
	if (!vm->slots)
		return -ENOMEM;
	h = tern_syscall(TERN_SYS_VM_CREATE, c->root, 0, 0, 0, 0, 0);
	if (h < 0) {
		slots_free(vm->slots);
		vm->slots = NULL;
		return h;
	}
	vm->handle = (int)h;
	return vm - c->vms + 1;
}

void sd_kvm_vm_drop(struct sd_kvm_vm *vm)
{
	/* The VM (and the memory it pins) goes when its vcpus are gone too. */
	tern_handle_close(vm->handle);
	vm->handle = -1;
	slots_free(vm->slots);
	vm->slots = NULL;
}

/* KVM_CREATE_VCPU: the vcpu's handle lands in the device model's table. */
static int64_t create_vcpu(struct sd_kvm_channel *c, struct sd_kvm_vm *vm, uint64_t arg)
{
	/* Linux takes the id as a u32 (kvm_vm_ioctl_create_vcpu). */
	long h = tern_syscall(TERN_SYS_VCPU_CREATE, vm->handle, (uint32_t)arg, 0, 0, 0, 0);
	long granted;

	if (h < 0)
		return h;
	granted = tern_syscall(TERN_SYS_HANDLE_GRANT, c->proc, h, SD_VCPU_RIGHTS, 0, 0, 0);
	/* If the grant failed, this was the vcpu's last handle: it goes, and
	 * its id is free again. */
	tern_handle_close((int)h);
	return granted;
}

void sd_kvm_vm_ioctl(struct sd_kvm_channel *c, struct sd_kvm_vm *vm, struct sd_kvm_msg *msg)
{
	struct tern_kvm_req *req = &msg->req;
	long arg;
	int err;

	switch (req->cmd) {
	case KVM_SET_USER_MEMORY_REGION:
		req->result = sd_kvm_set_memory(c, vm, msg);
		return;
	case KVM_CREATE_VCPU:
		req->result = create_vcpu(c, vm, req->arg);
		return;
	case KVM_GET_DIRTY_LOG:
		sd_kvm_dirty_log(vm, msg);
		return;
	}
	err = sd_kvm_vm_forwardable(req->cmd);
	if (err) {
		req->result = err;
		return;
	}
	arg = sd_kvm_arg_is_pointer(req->cmd) ? (long)msg->payload : (long)req->arg;
	req->result = tern_syscall(TERN_SYS_VM_IOCTL, vm->handle, req->cmd, arg, 0, 0, 0);
	req->out_len = sd_kvm_out_len(req->cmd, req->result, msg->payload);
}
