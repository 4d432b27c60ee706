/*
 * Serving a KVM ring. The device model can rewrite any byte of the shared
 * memory at any time, so every shared field is read exactly once into a
 * private variable before it is checked, and the server's own indices never
 * come from the shared page: a device model that scribbles over the ring
 * harms only its own requests.
 */
#include <string.h>

#include "sd/kvm_errno.h"
#include "sd/kvm_ring.h"

#define SLOTS	TERN_KVM_RING_SLOTS

void sd_kvm_ring_init(struct sd_kvm_ring *r, void *shm)
{
	r->hdr = shm;
	r->sq_head = 0;
	r->cq_tail = 0;
	r->hdr->magic = TERN_KVM_RING_MAGIC;
	r->hdr->version = TERN_KVM_RING_VERSION;
	r->hdr->nslots = SLOTS;
	r->hdr->slot_size = TERN_KVM_SLOT_SIZE;
}

static uint32_t load_shared(const uint32_t *p)
{
	/* Acquire: the slot contents written before the index are visible. */
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

/* Copies request @idx out, runs @fn on the copy and writes the answer back. */
static int32_t serve_one(struct sd_kvm_ring *r, uint32_t idx, struct sd_kvm_msg *msg,
			 sd_kvm_handler fn, void *ctx)
{
	struct tern_kvm_req *slot;
	uint32_t in_len, out_len;

	if (idx >= SLOTS)
		return -EINVAL;
	slot = tern_kvm_slot(r->hdr, idx);
	memcpy(&msg->req, slot, sizeof(msg->req));
	in_len = msg->req.in_len;
	if (in_len > TERN_KVM_PAYLOAD_MAX)
		return -EINVAL;
	if (msg->req.op != TERN_KVM_OP_IOCTL && msg->req.op != TERN_KVM_OP_CLOSE)
		return -EINVAL;
	memcpy(msg->payload, tern_kvm_payload(slot), in_len);
	/* Handlers pass the payload to the core as the ioctl's argument: what
	 * the device model did not send reads as zeroes, never as the bytes of
	 * an earlier request. */
	memset(msg->payload + in_len, 0, TERN_KVM_PAYLOAD_MAX - in_len);
	msg->req.result = 0;
	msg->req.out_len = 0;
	memset(msg->req.aux, 0, sizeof(msg->req.aux));

	fn(ctx, msg);

	out_len = msg->req.out_len;
	if (out_len > TERN_KVM_PAYLOAD_MAX)
		out_len = TERN_KVM_PAYLOAD_MAX;
	slot->result = msg->req.result;
	slot->out_len = out_len;
	memcpy(slot->aux, msg->req.aux, sizeof(slot->aux));
	memcpy(tern_kvm_payload(slot), msg->payload, out_len);
	return 0;
}

struct sd_kvm_pass sd_kvm_ring_serve(struct sd_kvm_ring *r, struct sd_kvm_msg *msg,
				     sd_kvm_handler fn, void *ctx)
{
	struct tern_kvm_ring *h = r->hdr;
	struct sd_kvm_pass pass = { 0 };
	uint32_t tail = load_shared(&h->sq_tail);

	/* One share per pass, so that one busy device model (or one that
	 * claims a huge sq_tail) cannot keep the others waiting. */
	for (unsigned int n = 0; r->sq_head != tail; n++) {
		uint32_t idx;
		int32_t status;

		if (n == SLOTS) {
			pass.more = true;
			break;
		}
		/* The device model frees a completion entry by advancing
		 * cq_head; until it does, its requests wait (and only its). */
		if (r->cq_tail - load_shared(&h->cq_head) >= SLOTS) {
			pass.stalled = true;
			break;
		}
		idx = __atomic_load_n(&h->sq[r->sq_head % SLOTS], __ATOMIC_RELAXED);
		r->sq_head++;
		__atomic_store_n(&h->sq_head, r->sq_head, __ATOMIC_RELAXED);
		status = serve_one(r, idx, msg, fn, ctx);
		h->cq[r->cq_tail % SLOTS] = (struct tern_kvm_cqe){ .slot = idx, .status = status };
		r->cq_tail++;
		/* Release: the slot's answer and the entry before the index. */
		__atomic_store_n(&h->cq_tail, r->cq_tail, __ATOMIC_RELEASE);
		pass.completed++;
	}
	return pass;
}
