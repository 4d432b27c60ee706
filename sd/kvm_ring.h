/*
 * The service domain's end of one KVM ring (abi/include/tern/kvm_ring.h):
 * taking requests from the submission queue, copying each out of the shared
 * memory before anything looks at it, and posting the answers. No system
 * calls: the caller rings the doorbells, so this is host-testable
 * (tests/unit/test_sd_kvm_ring.c).
 */
#ifndef SD_KVM_RING_H
#define SD_KVM_RING_H

#include <stdbool.h>
#include <stdint.h>

/* By path, not <tern/...>: the host unit test builds this without the SDK. */
#include "abi/include/tern/kvm_ring.h"

/* A private copy of one slot: the request in, the answer out (in place). */
struct sd_kvm_msg {
	struct tern_kvm_req req;
	uint8_t payload[TERN_KVM_PAYLOAD_MAX];
};
_Static_assert(sizeof(struct sd_kvm_msg) == TERN_KVM_SLOT_SIZE, "sd_kvm_msg is one slot");

/*
 * Handles one request. On entry msg->req holds the device model's header
 * (op is TERN_KVM_OP_IOCTL or TERN_KVM_OP_CLOSE), payload[0, in_len) its
 * input and the rest of the payload zeroes; result, out_len and aux are 0.
 * The handler sets result, and out_len/aux/payload when it has output.
 */
typedef void (*sd_kvm_handler)(void *ctx, struct sd_kvm_msg *msg);

struct sd_kvm_ring {
	struct tern_kvm_ring *hdr;	/* the shared header page; slots follow it */
	uint32_t sq_head;		/* private: requests taken */
	uint32_t cq_tail;		/* private: completions posted */
};

/* Lays out a fresh, zeroed ring of TERN_KVM_RING_SIZE bytes at @shm. */
void sd_kvm_ring_init(struct sd_kvm_ring *r, void *shm);

struct sd_kvm_pass {
	unsigned int completed;	/* completions posted: signal the device model */
	bool stalled;		/* requests wait because the completion queue is full */
	bool more;		/* requests wait because this pass used up its share */
};

/*
 * Serves at most TERN_KVM_RING_SLOTS requests, each through @fn with @msg as
 * the private copy. A request the ring cannot carry (slot index out of
 * range, in_len over TERN_KVM_PAYLOAD_MAX, unknown op) gets a completion with
 * status -EINVAL and its slot is not touched.
 */
struct sd_kvm_pass sd_kvm_ring_serve(struct sd_kvm_ring *r, struct sd_kvm_msg *msg,
				     sd_kvm_handler fn, void *ctx);

#endif
