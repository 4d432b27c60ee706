/*
 * libkvm's private interfaces: /dev/kvm for device models on tern (docs/sdk.md,
 * "KVM: /dev/kvm in the SDK"). Three fd kinds sit on libtern's fd table:
 *
 *   system fd  open("/dev/kvm"): ioctls travel on the KVM ring, target 0
 *   VM fd      KVM_CREATE_VM: ioctls on the ring, target = the VM id
 *   vcpu fd    KVM_CREATE_VCPU: a vcpu handle; KVM_RUN and the other vcpu
 *              ioctls are direct syscalls to the core, mmap maps kvm_run
 *
 * libkvm is built with libtern's private header: the two are one runtime,
 * linked as a group by tern-cc (raw syscalls with errno translation, the
 * internal futex lock, signal delivery after an interrupted KVM_RUN).
 */
#ifndef LIBKVM_H
#define LIBKVM_H

#include <stddef.h>
#include <stdint.h>
#include <tern/fd.h>
#include <tern/kvm_ring.h>

/* ---- ring.c: the client side of the KVM ring ---- */

/*
 * One request on the ring. The caller fills the payload between
 * kvm_ring_begin() and kvm_ring_call(), reads the answer from @req after it,
 * and always ends with kvm_ring_end(): the ring lock is held all along (one
 * request in flight per process).
 */
struct kvm_call {
	struct tern_kvm_req *req;	/* the slot in shared memory */
	void *payload;			/* its payload, TERN_KVM_PAYLOAD_MAX bytes */
	uint32_t slot;
	int interrupted;		/* a signal came during the wait: deliver at the end */
	/* The answer, read once from shared memory by kvm_ring_call(). */
	int64_t result;			/* >= 0 or -errno (this C library's numbers) */
	uint32_t out_len;		/* <= TERN_KVM_PAYLOAD_MAX */
	uint64_t aux[3];
};

/* Maps and checks the ring once per process: 0 or -errno (ENOENT: no ring handles). */
int kvm_ring_init(void);
/* Takes the ring lock and a slot; 0 or -errno (EIO: the ring broke earlier). */
int kvm_ring_begin(struct kvm_call *c);
/*
 * Queues @op/@target/@cmd/@arg with @in_len payload bytes already in
 * c->payload, signals the service domain and waits for the completion.
 * 0 with c->result etc. filled, or -errno when the request was rejected
 * (negative completion status) or the ring broke.
 */
int kvm_ring_call(struct kvm_call *c, uint32_t op, uint32_t target, uint32_t cmd, uint64_t arg,
		  uint32_t in_len);
void kvm_ring_end(struct kvm_call *c);
/* A Linux -errno (from the service domain or the core) as this C library's -errno. */
int64_t kvm_errno_local(int64_t linux_result);

/* ---- marshal.h: how each ioctl's argument travels ---- */
#include "marshal.h"

/* ---- request.c: one ioctl over the ring with its argument marshalled ---- */

/* Sends ioctl @cmd/@arg on @target; the result (>= 0) or -errno. */
long kvm_ring_ioctl(enum kvm_fd_kind kind, uint32_t target, uint32_t cmd, void *arg);

/* ---- dirty_log.c ---- */

/* KVM_GET_DIRTY_LOG on VM @target, in TERN_KVM_DIRTY_CHUNK_PAGES chunks; 0 or -errno. */
long kvm_get_dirty_log(uint32_t target, void *arg);

/* ---- the fd kinds: sys_fd.c, vm_fd.c, vcpu_fd.c ---- */

/* A VM as its fds see it: the VM fd and each vcpu fd hold a reference. */
struct kvm_vm_ref {
	uint32_t id;		/* the service domain's VM id (ring target) */
	uint32_t refs;
};

/* Installs a VM fd for VM @id (taking over the id: closed on failure); fd or -errno. */
int kvm_vm_fd_install(uint32_t id);
void kvm_vm_ref_get(struct kvm_vm_ref *vm);
/* Drops a reference; the last one tells the service domain (TERN_KVM_OP_CLOSE). */
void kvm_vm_ref_put(struct kvm_vm_ref *vm);
/* Installs a vcpu fd on vcpu handle @handle of @vm (handle closed on failure); fd or -errno. */
int kvm_vcpu_fd_install(struct kvm_vm_ref *vm, int handle);

#endif
