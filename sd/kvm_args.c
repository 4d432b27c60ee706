/*
 * Argument shapes of the ioctls the service domain forwards to the core.
 */
#include <linux/kvm.h>
#include <string.h>

#include "sd/kvm_args.h"
#include "sd/kvm_errno.h"
/* By path, not <tern/...>: the host unit test builds this without the SDK. */
#include "abi/include/tern/kvm_ring.h"

/* A variable-length argument: a 32-bit count at offset 0, then entries. */
struct var_arg {
	uint32_t cmd;
	uint32_t header;	/* bytes before the first entry */
	uint32_t entry;		/* bytes per entry */
};

static const struct var_arg var_args[] = {
	{ KVM_GET_MSR_INDEX_LIST, sizeof(struct kvm_msr_list), sizeof(__u32) },
	{ KVM_GET_MSR_FEATURE_INDEX_LIST, sizeof(struct kvm_msr_list), sizeof(__u32) },
	{ KVM_GET_SUPPORTED_CPUID, sizeof(struct kvm_cpuid2), sizeof(struct kvm_cpuid_entry2) },
	{ KVM_GET_EMULATED_CPUID, sizeof(struct kvm_cpuid2), sizeof(struct kvm_cpuid_entry2) },
	{ KVM_GET_MSRS, sizeof(struct kvm_msrs), sizeof(struct kvm_msr_entry) },
};

/* VM ioctls whose argument names things in the device model's context. */
static const struct {
	uint32_t cmd;
	int err;
} unforwardable[] = {
	{ KVM_CLEAR_DIRTY_LOG, -ENOTTY },	/* a bitmap pointer */
	{ KVM_IRQFD, -ENOTTY },			/* eventfd fd numbers */
	{ KVM_IOEVENTFD, -ENOTTY },		/* an eventfd fd number */
	{ KVM_CREATE_DEVICE, -ENODEV },		/* answers with a new fd */
};

bool sd_kvm_arg_is_pointer(uint32_t cmd)
{
	/* The one _IO ioctl that takes a struct: libkvm sends it as payload,
	 * and the device model's pointer must never reach the core. */
	if (cmd == KVM_REINJECT_CONTROL)
		return true;
	return _IOC_DIR(cmd) != _IOC_NONE;
}

uint32_t sd_kvm_out_len(uint32_t cmd, int64_t result, const void *buf)
{
	uint64_t len;

	if (!(_IOC_DIR(cmd) & _IOC_READ))
		return 0;
	for (unsigned int i = 0; i < sizeof(var_args) / sizeof(var_args[0]); i++) {
		const struct var_arg *v = &var_args[i];
		uint32_t count;

		if (v->cmd != cmd)
			continue;
		if (result == -E2BIG)
			return v->header;
		if (result < 0)
			return 0;
		memcpy(&count, buf, sizeof(count));
		len = v->header + (uint64_t)count * v->entry;
		return len > TERN_KVM_PAYLOAD_MAX ? TERN_KVM_PAYLOAD_MAX : (uint32_t)len;
	}
	if (result < 0)
		return 0;
	len = _IOC_SIZE(cmd);
	return len > TERN_KVM_PAYLOAD_MAX ? TERN_KVM_PAYLOAD_MAX : (uint32_t)len;
}

int sd_kvm_vm_forwardable(uint32_t cmd)
{
	for (unsigned int i = 0; i < sizeof(unforwardable) / sizeof(unforwardable[0]); i++)
		if (unforwardable[i].cmd == cmd)
			return unforwardable[i].err;
	return 0;
}
