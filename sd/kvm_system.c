/*
 * The /dev/kvm ioctls (target 0). The service domain answers what is fd-model
 * policy (the API version, creating VMs, the vcpu mapping's size) and hands
 * the rest to the core, which knows the hardware (capabilities, CPUID, MSR
 * lists), through TERN_SYS_KVM_SYSTEM on its root handle. The core's answer
 * to an ioctl it does not know is final (Linux: EINVAL on /dev/kvm).
 */
#include <linux/kvm.h>
#include <tern/tern.h>

#include "sd/kvm_args.h"
#include "sd/kvm_errno.h"
#include "sd/kvm_server.h"

void sd_kvm_system_ioctl(struct sd_kvm_channel *c, struct sd_kvm_msg *msg)
{
	struct tern_kvm_req *req = &msg->req;
	long arg;

	switch (req->cmd) {
	case KVM_GET_API_VERSION:
		req->result = req->arg ? -EINVAL : KVM_API_VERSION;
		return;
	case KVM_CREATE_VM:
		/* Only the default machine type exists on x86 (Linux 6.1). */
		req->result = req->arg ? -EINVAL : sd_kvm_vm_new(c);
		return;
	case KVM_GET_VCPU_MMAP_SIZE:
		req->result = req->arg ? -EINVAL : TERN_VCPU_MMAP_PAGES * 4096;
		return;
	}
	arg = sd_kvm_arg_is_pointer(req->cmd) ? (long)msg->payload : (long)req->arg;
	req->result = tern_syscall(TERN_SYS_KVM_SYSTEM, c->root, req->cmd, arg, 0, 0, 0);
	req->out_len = sd_kvm_out_len(req->cmd, req->result, msg->payload);
}
