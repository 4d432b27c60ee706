/*
 * The KVM ioctl server's parts, behind sd/kvm_channel.c: the dispatch of one
 * request (kvm_serve.c), the /dev/kvm ioctls (kvm_system.c), the VM ioctls
 * (kvm_vm.c) and the VM's memory (kvm_memory.c). Each handler answers in
 * msg->req.result (>= 0 or a negated Linux errno) and, with output, in
 * out_len/aux/payload.
 */
#ifndef SD_KVM_SERVER_H
#define SD_KVM_SERVER_H

#include <stdint.h>

#include "sd/kvm_channel.h"
#include "sd/kvm_ring.h"

/* Rights a device model gets on the vcpu handles granted to it. */
#define SD_VCPU_RIGHTS	(TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_MAP)

void sd_kvm_system_ioctl(struct sd_kvm_channel *c, struct sd_kvm_msg *msg);
void sd_kvm_vm_ioctl(struct sd_kvm_channel *c, struct sd_kvm_vm *vm, struct sd_kvm_msg *msg);

/* KVM_CREATE_VM: a new VM in @c's table; its id (> 0) or -errno. */
int64_t sd_kvm_vm_new(struct sd_kvm_channel *c);
/* Closes the service domain's handle on @vm and forgets its slots. */
void sd_kvm_vm_drop(struct sd_kvm_vm *vm);

/* KVM_SET_USER_MEMORY_REGION and KVM_GET_DIRTY_LOG (one chunk). */
int64_t sd_kvm_set_memory(struct sd_kvm_channel *c, struct sd_kvm_vm *vm,
			  const struct sd_kvm_msg *msg);
void sd_kvm_dirty_log(struct sd_kvm_vm *vm, struct sd_kvm_msg *msg);

#endif
