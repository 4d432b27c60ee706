/*
 * The client side of the KVM ring (abi/include/tern/kvm_ring.h): the device
 * model's half of the protocol with the service domain.
 *
 * One request is in flight per process: requests are short (KVM_RUN never
 * travels here), so a lock around the whole round trip is simpler than
 * matching completions to waiting threads and costs nothing measurable.
 * Everything read from the shared page is read once into locals, and the
 * indices this side produces (sq_tail, cq_head) are kept privately as well:
 * a confused service domain then gives EIO, not a hang or a wild access.
 */
#include <sys/mman.h>
#include "../libtern/internal.h"
#include "libkvm.h"

#define RING_MASK	(TERN_KVM_RING_SLOTS - 1)

static struct {
	struct tern_lowlock lock;	/* one request in flight; everything below */
	struct tern_kvm_ring *hdr;	/* the mapped shm object */
	uint32_t sq_tail;		/* our copies of the indices we produce */
	uint32_t cq_head;
	int broken;			/* a round trip failed half-way: EIO from now on */
} ring = { .lock = TERN_LOWLOCK_INIT };

static struct tern_lowlock init_lock = TERN_LOWLOCK_INIT;

int64_t kvm_errno_local(int64_t r)
{
	if (r >= 0)
		return r;
	if (r < -4095)
		return -EIO;	/* not an errno at all: a broken answer */
	return -tern_errno_from_linux((int)-r);
}

/* Is handle @h an object of @type carrying @rights? */
static int handle_is(int h, uint32_t type, uint32_t rights)
{
	struct tern_handle_info info;

	return sys2(TERN_SYS_HANDLE_INFO, h, &info) == 0 && info.type == type &&
	       (info.rights & rights) == rights;
}

static int ring_setup(void)
{
	volatile struct tern_kvm_ring *hdr;
	uint8_t probe;
	long addr;

	/* The service domain hands every device model these three; anything
	 * else (a program started otherwise) has no /dev/kvm. */
	if (!handle_is(TERN_H_KVM_RING, TERN_KOBJ_SHM, TERN_RIGHT_MAP | TERN_RIGHT_WRITE) ||
	    !handle_is(TERN_H_KVM_SUBMIT, TERN_KOBJ_NOTIFY, TERN_RIGHT_SIGNAL) ||
	    !handle_is(TERN_H_KVM_COMPLETE, TERN_KOBJ_NOTIFY, TERN_RIGHT_WAIT))
		return -ENOENT;
	addr = sys4(TERN_SYS_SHM_MAP, TERN_H_KVM_RING, 0, PROT_READ | PROT_WRITE, 0);
	if (addr < 0)
		return (int)addr;
	hdr = (volatile struct tern_kvm_ring *)addr;
	/*
	 * A ring we cannot use is a device we cannot drive: ENODEV. The probe
	 * of the last byte catches a shm object smaller than the layout (the
	 * core reports no object sizes), so that a slot access cannot fault.
	 */
	if (sys3(TERN_SYS_MEM_COPY, &probe, addr + TERN_KVM_RING_SIZE - 1, 1) < 0 ||
	    hdr->magic != TERN_KVM_RING_MAGIC || hdr->version != TERN_KVM_RING_VERSION ||
	    hdr->nslots != TERN_KVM_RING_SLOTS || hdr->slot_size != TERN_KVM_SLOT_SIZE) {
		sys2(TERN_SYS_MUNMAP, addr, TERN_KVM_RING_SIZE);
		return -ENODEV;
	}
	ring.sq_tail = hdr->sq_tail;
	ring.cq_head = hdr->cq_head;
	__atomic_store_n(&ring.hdr, (struct tern_kvm_ring *)addr, __ATOMIC_RELEASE);
	return 0;
}

/* Once it worked the ring stays; a failure is looked at again on the next
 * open, as the handles may have been put in place since. */
int kvm_ring_init(void)
{
	int r = 0;

	tern_lowlock_acquire(&init_lock);
	if (!__atomic_load_n(&ring.hdr, __ATOMIC_RELAXED))
		r = ring_setup();
	tern_lowlock_release(&init_lock);
	return r;
}

int kvm_ring_begin(struct kvm_call *c)
{
	if (!__atomic_load_n(&ring.hdr, __ATOMIC_ACQUIRE))
		return -EIO;	/* no fd of ours exists without a ring: a caller bug */
	tern_lowlock_acquire(&ring.lock);
	if (ring.broken) {
		tern_lowlock_release(&ring.lock);
		return -EIO;
	}
	c->slot = ring.sq_tail & RING_MASK;
	c->req = tern_kvm_slot(ring.hdr, c->slot);
	c->payload = tern_kvm_payload(c->req);
	c->interrupted = 0;
	return 0;
}

/* Consumes completions; 1 when @slot's is among them (its status in *@status). */
static int reap(uint32_t slot, int32_t *status)
{
	uint32_t tail = __atomic_load_n(&ring.hdr->cq_tail, __ATOMIC_ACQUIRE);
	int found = 0;

	if (tail - ring.cq_head > TERN_KVM_RING_SLOTS)
		return -EIO;	/* more completions than requests ever queued */
	while (ring.cq_head != tail) {
		struct tern_kvm_cqe *cqe = &ring.hdr->cq[ring.cq_head & RING_MASK];
		uint32_t s = __atomic_load_n(&cqe->slot, __ATOMIC_RELAXED);
		int32_t st = __atomic_load_n(&cqe->status, __ATOMIC_RELAXED);

		ring.cq_head++;
		/* With one request in flight any other slot is stale: skip it. */
		if (s == slot) {
			*status = st;
			found = 1;
		}
	}
	__atomic_store_n(&ring.hdr->cq_head, ring.cq_head, __ATOMIC_RELEASE);
	return found;
}

static int wait_completion(struct kvm_call *c, int32_t *status)
{
	for (;;) {
		uint64_t value;
		long r = reap(c->slot, status);

		if (r)
			return r < 0 ? (int)r : 0;
		/* Counter semantics: a wake-up for a completion already reaped
		 * above only costs one more pass. */
		r = sys3(TERN_SYS_NOTIFY_WAIT, TERN_H_KVM_COMPLETE, &value, TERN_WAIT_FOREVER);
		if (r == -EINTR) {
			/* pthread_kill: the request is queued and will complete;
			 * the handlers run once the ring lock is dropped. */
			c->interrupted = 1;
		} else if (r < 0) {
			return -EIO;
		}
	}
}

int kvm_ring_call(struct kvm_call *c, uint32_t op, uint32_t target, uint32_t cmd, uint64_t arg,
		  uint32_t in_len)
{
	struct tern_kvm_req *req = c->req;
	int32_t status;
	long r;
	int err;

	if (in_len > TERN_KVM_PAYLOAD_MAX)
		return -EINVAL;
	req->op = op;
	req->target = target;
	req->cmd = cmd;
	req->in_len = in_len;
	req->arg = arg;
	req->result = 0;
	req->out_len = 0;
	req->reserved = 0;
	req->aux[0] = req->aux[1] = req->aux[2] = 0;
	__atomic_store_n(&ring.hdr->sq[ring.sq_tail & RING_MASK], c->slot, __ATOMIC_RELAXED);
	ring.sq_tail++;
	__atomic_store_n(&ring.hdr->sq_tail, ring.sq_tail, __ATOMIC_RELEASE);

	/* EAGAIN: the doorbell counter is saturated, so it is rung already. */
	r = sys2(TERN_SYS_NOTIFY_SIGNAL, TERN_H_KVM_SUBMIT, 1);
	err = r < 0 && r != -EAGAIN ? -EIO : wait_completion(c, &status);
	if (err) {
		/* The request may still be answered into its slot later. */
		ring.broken = 1;
		return err;
	}
	if (status < 0)
		return (int)kvm_errno_local(status);

	c->result = __atomic_load_n(&req->result, __ATOMIC_RELAXED);
	c->out_len = __atomic_load_n(&req->out_len, __ATOMIC_RELAXED);
	c->aux[0] = __atomic_load_n(&req->aux[0], __ATOMIC_RELAXED);
	c->aux[1] = __atomic_load_n(&req->aux[1], __ATOMIC_RELAXED);
	c->aux[2] = __atomic_load_n(&req->aux[2], __ATOMIC_RELAXED);
	if (c->out_len > TERN_KVM_PAYLOAD_MAX)
		return -EIO;
	c->result = kvm_errno_local(c->result);
	return 0;
}

void kvm_ring_end(struct kvm_call *c)
{
	tern_lowlock_release(&ring.lock);
	if (c->interrupted)
		tern_signals_deliver();
}
