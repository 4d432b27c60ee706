/*
 * One pass over a channel: the doorbell, the ring, the request's target.
 *
 * Requests are copied into one private buffer (the service domain serves
 * one request at a time). Its payload ends right at an inaccessible page:
 * forwarded ioctls hand the payload to the core as the ioctl's argument, and
 * a count in a variable-length struct that claims more entries than were
 * sent makes the core fault on that page (EFAULT) instead of reading or
 * writing whatever the service domain keeps next to the buffer.
 */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <tern/tern.h>

#include "sd/kvm_errno.h"
#include "sd/kvm_server.h"

#define PAGE	4096u

static struct sd_kvm_msg *scratch(void)
{
	static struct sd_kvm_msg *msg;
	uint8_t *base;

	if (msg)
		return msg;
	base = mmap(NULL, sizeof(*msg) + PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	if (mprotect(base + sizeof(*msg), PAGE, PROT_NONE)) {
		munmap(base, sizeof(*msg) + PAGE);
		return NULL;
	}
	msg = (struct sd_kvm_msg *)base;
	return msg;
}

_Static_assert(sizeof(struct sd_kvm_msg) % PAGE == 0, "the payload ends at a page boundary");

static struct sd_kvm_vm *vm_by_id(struct sd_kvm_channel *c, uint32_t id)
{
	if (id == 0 || id > TERN_KVM_MAX_VMS || c->vms[id - 1].handle < 0)
		return NULL;
	return &c->vms[id - 1];
}

static void dispatch(void *ctx, struct sd_kvm_msg *msg)
{
	struct sd_kvm_channel *c = ctx;
	struct sd_kvm_vm *vm;

	if (msg->req.op == TERN_KVM_OP_IOCTL && msg->req.target == 0) {
		sd_kvm_system_ioctl(c, msg);
		return;
	}
	/* A VM id this device model never got, or closed: a bad fd. */
	vm = vm_by_id(c, msg->req.target);
	if (!vm) {
		msg->req.result = -EBADF;
		return;
	}
	if (msg->req.op == TERN_KVM_OP_CLOSE) {
		sd_kvm_vm_drop(vm);
		msg->req.result = 0;
		return;
	}
	sd_kvm_vm_ioctl(c, vm, msg);
}

void sd_kvm_channel_serve(struct sd_kvm_channel *c)
{
	struct sd_kvm_msg *msg = scratch();
	struct sd_kvm_pass pass;
	uint64_t rung;

	/* Take the doorbell's count before reading sq_tail: a request queued
	 * after the read rings again and is seen on the next pass. */
	tern_notify_wait(c->submit, &rung, 0);
	if (!msg) {
		/* Without the buffer nothing can be served; the requests stay
		 * queued and are tried again like a stalled ring's. */
		printf("sd: kvm: no memory for the request buffer\n");
		c->stalled = true;
		return;
	}
	pass = sd_kvm_ring_serve(&c->ring, msg, dispatch, c);
	c->stalled = pass.stalled;
	c->more = pass.more;
	if (pass.completed && tern_notify_signal(c->complete, 1))
		printf("sd: kvm: cannot ring the completion doorbell: %s\n", strerror(errno));
}
