/* unit-sources: sd/kvm_ring.c hv/format.c */
/*
 * The service domain's end of the KVM ring: requests are copied out before
 * they are used, bad ones get error completions, a full completion queue
 * stalls only that ring, and one pass serves at most one ring's worth.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sd/kvm_ring.h"

static void *shm;
static struct sd_kvm_ring ring;
static struct sd_kvm_msg *msg;
static int calls;

static int setup(void **state)
{
	(void)state;
	shm = calloc(1, TERN_KVM_RING_SIZE);
	msg = malloc(sizeof(*msg));
	if (!shm || !msg)
		return -1;
	memset(msg, 0x5a, sizeof(*msg));	/* stale bytes a request must not see */
	sd_kvm_ring_init(&ring, shm);
	calls = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(shm);
	free(msg);
	return 0;
}

static struct tern_kvm_ring *hdr(void)
{
	return shm;
}

/* The device model's side: queue slot @idx with a request. */
static void submit(uint32_t idx, uint32_t op, uint32_t cmd, uint64_t arg, const void *in,
		   uint32_t in_len)
{
	struct tern_kvm_ring *h = hdr();

	if (idx < TERN_KVM_RING_SLOTS) {
		struct tern_kvm_req *req = tern_kvm_slot(shm, idx);

		memset(req, 0xcc, TERN_KVM_SLOT_SIZE);	/* garbage after the input */
		*req = (struct tern_kvm_req){ .op = op, .cmd = cmd, .arg = arg, .in_len = in_len };
		if (in && in_len <= TERN_KVM_PAYLOAD_MAX)
			memcpy(tern_kvm_payload(req), in, in_len);
	}
	h->sq[h->sq_tail % TERN_KVM_RING_SLOTS] = idx;
	h->sq_tail++;
}

/* Answers result = cmd + arg and echoes the input reversed; checks that the
 * input is a private, zero-padded copy. */
static void echo(void *ctx, struct sd_kvm_msg *m)
{
	uint32_t n = m->req.in_len;

	(void)ctx;
	calls++;
	assert_int_equal(m->req.result, 0);
	assert_int_equal(m->req.out_len, 0);
	for (uint32_t i = n; i < TERN_KVM_PAYLOAD_MAX; i++)
		assert_int_equal(m->payload[i], 0);
	m->req.result = m->req.cmd + (int64_t)m->req.arg;
	m->req.out_len = n;
	m->req.aux[0] = 77;
	for (uint32_t i = 0; i < n / 2; i++) {
		uint8_t t = m->payload[i];

		m->payload[i] = m->payload[n - 1 - i];
		m->payload[n - 1 - i] = t;
	}
}

static void header_laid_out(void **state)
{
	(void)state;
	assert_int_equal(hdr()->magic, TERN_KVM_RING_MAGIC);
	assert_int_equal(hdr()->version, TERN_KVM_RING_VERSION);
	assert_int_equal(hdr()->nslots, TERN_KVM_RING_SLOTS);
	assert_int_equal(hdr()->slot_size, TERN_KVM_SLOT_SIZE);
}

static void requests_answered(void **state)
{
	struct sd_kvm_pass p;
	struct tern_kvm_req *r3 = tern_kvm_slot(shm, 3);

	(void)state;
	submit(3, TERN_KVM_OP_IOCTL, 100, 5, "abc", 3);
	submit(0, TERN_KVM_OP_CLOSE, 7, 1, NULL, 0);
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, 2);
	assert_false(p.stalled);
	assert_false(p.more);
	assert_int_equal(calls, 2);
	assert_int_equal(hdr()->cq_tail, 2);
	assert_int_equal(hdr()->sq_head, 2);
	assert_int_equal(hdr()->cq[0].slot, 3);
	assert_int_equal(hdr()->cq[0].status, 0);
	assert_int_equal(hdr()->cq[1].slot, 0);
	assert_int_equal(r3->result, 105);
	assert_int_equal(r3->out_len, 3);
	assert_int_equal(r3->aux[0], 77);
	assert_memory_equal(tern_kvm_payload(r3), "cba", 3);
	assert_int_equal(tern_kvm_slot(shm, 0)->result, 8);
	/* Nothing new: nothing done. */
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, 0);
	assert_int_equal(calls, 2);
}

static void bad_requests_rejected(void **state)
{
	struct sd_kvm_pass p;
	static uint8_t big[TERN_KVM_PAYLOAD_MAX];

	(void)state;
	submit(TERN_KVM_RING_SLOTS, TERN_KVM_OP_IOCTL, 1, 0, NULL, 0);
	submit(0xffffffffu, TERN_KVM_OP_IOCTL, 1, 0, NULL, 0);
	submit(1, TERN_KVM_OP_IOCTL, 1, 0, big, TERN_KVM_PAYLOAD_MAX + 1);
	submit(2, 0, 1, 0, NULL, 0);
	submit(4, 99, 1, 0, NULL, 0);
	submit(5, TERN_KVM_OP_IOCTL, 1, 1, big, TERN_KVM_PAYLOAD_MAX);
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, 6);
	assert_int_equal(calls, 1);
	assert_int_equal(hdr()->cq[0].slot, TERN_KVM_RING_SLOTS);
	assert_int_equal(hdr()->cq[0].status, -EINVAL);
	assert_int_equal(hdr()->cq[1].slot, 0xffffffffu);
	assert_int_equal(hdr()->cq[1].status, -EINVAL);
	assert_int_equal(hdr()->cq[2].status, -EINVAL);
	assert_int_equal(hdr()->cq[3].status, -EINVAL);
	assert_int_equal(hdr()->cq[4].status, -EINVAL);
	/* A rejected request's slot is left as the device model wrote it. */
	assert_int_equal(tern_kvm_slot(shm, 1)->result, (int64_t)0);
	assert_int_equal(tern_kvm_slot(shm, 1)->out_len, 0);
	/* The largest payload is fine. */
	assert_int_equal(hdr()->cq[5].status, 0);
	assert_int_equal(tern_kvm_slot(shm, 5)->out_len, TERN_KVM_PAYLOAD_MAX);
}

/* A device model that changes the slot while the server works on it. */
static void scribble(void *ctx, struct sd_kvm_msg *m)
{
	struct tern_kvm_req *slot = tern_kvm_slot(shm, 2);

	(void)ctx;
	calls++;
	slot->in_len = 0xffffff;
	slot->cmd = 0;
	memset(tern_kvm_payload(slot), 0xee, 8);
	assert_int_equal(m->req.in_len, 8);
	assert_int_equal(m->req.cmd, 42);
	assert_memory_equal(m->payload, "12345678", 8);
	m->req.result = -EFAULT;
	m->req.out_len = TERN_KVM_PAYLOAD_MAX + 100;	/* clamped by the ring */
}

static void private_copy(void **state)
{
	(void)state;
	submit(2, TERN_KVM_OP_IOCTL, 42, 0, "12345678", 8);
	assert_int_equal(sd_kvm_ring_serve(&ring, msg, scribble, NULL).completed, 1);
	assert_int_equal(calls, 1);
	assert_int_equal(tern_kvm_slot(shm, 2)->result, -EFAULT);
	assert_int_equal(tern_kvm_slot(shm, 2)->out_len, TERN_KVM_PAYLOAD_MAX);
}

static void full_completion_queue_stalls(void **state)
{
	struct sd_kvm_pass p;

	(void)state;
	for (int i = 0; i < TERN_KVM_RING_SLOTS; i++)
		submit(i, TERN_KVM_OP_IOCTL, 1, 0, NULL, 0);
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, TERN_KVM_RING_SLOTS);
	assert_false(p.stalled);
	/* The device model consumed none of them and queues again. */
	submit(0, TERN_KVM_OP_IOCTL, 1, 0, NULL, 0);
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, 0);
	assert_true(p.stalled);
	assert_int_equal(calls, TERN_KVM_RING_SLOTS);
	/* Once it consumes one, the waiting request is served. */
	hdr()->cq_head = 1;
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, 1);
	assert_false(p.stalled);
	assert_int_equal(hdr()->cq_tail, TERN_KVM_RING_SLOTS + 1);
	/* A cq_head ahead of the completions also stalls (only this ring). */
	hdr()->cq_head = 1000;
	submit(1, TERN_KVM_OP_IOCTL, 1, 0, NULL, 0);
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_true(p.stalled);
	assert_int_equal(p.completed, 0);
}

static void one_share_per_pass(void **state)
{
	struct sd_kvm_pass p;

	(void)state;
	/* A device model claiming far more requests than slots. */
	hdr()->sq_tail = 1000;
	hdr()->cq_head = 0;
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, TERN_KVM_RING_SLOTS);
	assert_true(p.more);
	assert_int_equal(hdr()->sq_head, TERN_KVM_RING_SLOTS);
	/* The server's indices are its own: rewinding the shared ones does
	 * not make it serve or post anything twice. */
	hdr()->sq_head = 0;
	hdr()->cq_tail = 0;
	hdr()->cq_head = TERN_KVM_RING_SLOTS;
	p = sd_kvm_ring_serve(&ring, msg, echo, NULL);
	assert_int_equal(p.completed, TERN_KVM_RING_SLOTS);
	assert_int_equal(hdr()->sq_head, 2 * TERN_KVM_RING_SLOTS);
	assert_int_equal(hdr()->cq_tail, 2 * TERN_KVM_RING_SLOTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(header_laid_out, setup, teardown),
		cmocka_unit_test_setup_teardown(requests_answered, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_requests_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(private_copy, setup, teardown),
		cmocka_unit_test_setup_teardown(full_completion_queue_stalls, setup, teardown),
		cmocka_unit_test_setup_teardown(one_share_per_pass, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
