// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: garbage straight into the KVM ring (handle TERN_H_KVM_RING,
 * <tern/kvm_ring.h>), bypassing libkvm: bad slot indices, impossible
 * headers (bad ops, huge in_len), sq_tail jumps forwards and backwards,
 * scribbles over the indices the service domain publishes, slots rewritten
 * while the service domain reads them (a second thread), doorbells with odd
 * counts. After every burst the ring is put back in order and a probe, a
 * valid KVM_GET_API_VERSION request, must be answered: the service domain
 * keeps its own indices and copies requests before it looks at them, so no
 * garbage may leave it stuck or confused. Runs after libkvm is done with the
 * ring (kvm_fuzz.c): libkvm owns the ring and garbage under it would only
 * break the fuzzer itself.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <tern/kvm_ring.h>
#include <tern/tern.h>

#include "fuzz.h"

#define N		TERN_KVM_RING_SLOTS
#define PROBE_NS	(2000ull * 1000 * 1000)

static struct tern_kvm_ring *ring;
static uint8_t *ring_base;
static volatile bool scribbling;
static uint64_t garbage, probes, probes_ok, completions;

static uint32_t load(uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void store(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static void doorbell(void)
{
	tern_notify_signal(TERN_H_KVM_SUBMIT, 1);
}

static void settle(void)
{
	uint64_t value;

	tern_notify_wait(TERN_H_KVM_COMPLETE, &value, 1000 * 1000);
}

/*
 * Garbage in a ring index for as long as the service domain takes to look
 * (it must not: it keeps its own copies), then the old value back unless the
 * service domain published a new one meanwhile, so the ring stays usable.
 */
static void scribble(uint32_t *field, uint32_t v)
{
	uint32_t old = load(field);

	store(field, v);
	doorbell();
	settle();
	__atomic_compare_exchange_n(field, &v, old, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	garbage++;
}

/* Queues slot index @idx (valid or not). */
static void queue(uint32_t idx)
{
	uint32_t tail = load(&ring->sq_tail);

	ring->sq[tail % N] = idx;
	store(&ring->sq_tail, tail + 1);
	garbage++;
	fz_count();
}

static uint32_t pick_in_len(void)
{
	switch (fz_below(5)) {
	case 0: return 0;
	case 1: return (uint32_t)TERN_KVM_PAYLOAD_MAX;
	case 2: return (uint32_t)TERN_KVM_PAYLOAD_MAX + 1 + (uint32_t)fz_below(64);
	case 3: return (uint32_t)fz_interesting();
	default: return (uint32_t)fz_below(512);
	}
}

static void garbage_request(void)
{
	uint32_t slot = (uint32_t)fz_below(N);
	struct tern_kvm_req *req = tern_kvm_slot(ring_base, slot);

	fz_fill(req, sizeof(*req) + fz_below(256));
	if (fz_chance(70)) {
		req->op = fz_chance(80) ? TERN_KVM_OP_IOCTL : (uint32_t)fz_interesting();
		req->target = fz_chance(50) ? 0 : (uint32_t)fz_interesting();
		req->cmd = fz_chance(50) ? (uint32_t)_IOC(fz_below(4), KVMIO, fz_below(256),
							  fz_below(1 << 14)) : (uint32_t)fz_rand();
		req->in_len = pick_in_len();
		req->arg = fz_interesting();
	}
	if (fz_chance(10))
		req->op = TERN_KVM_OP_CLOSE;
	queue(slot);
}

static void garbage_action(void)
{
	uint32_t v;

	switch (fz_below(8)) {
	case 0:	/* an index past the slots */
		queue(fz_chance(50) ? N + (uint32_t)fz_below(64) : (uint32_t)fz_rand());
		break;
	case 1: case 2: case 3:
		garbage_request();
		break;
	case 4:	/* sq_tail jumps */
		switch (fz_below(4)) {
		case 0: v = 2 + (uint32_t)fz_below(64); break;
		case 1: v = 0x80000000u; break;
		case 2: v = -(uint32_t)(1 + fz_below(16)); break;
		default: v = (uint32_t)fz_rand(); break;
		}
		store(&ring->sq_tail, load(&ring->sq_tail) + v);
		garbage++;
		break;
	case 5:	/* the indices the service domain publishes, and the header */
		switch (fz_below(4)) {
		case 0: scribble(&ring->sq_head, (uint32_t)fz_rand()); break;
		case 1: scribble(&ring->cq_tail, (uint32_t)fz_rand()); break;
		case 2: scribble(&ring->cq[fz_below(N)].slot, (uint32_t)fz_rand()); break;
		default: scribble(&ring->nslots, (uint32_t)fz_rand()); break;
		}
		break;
	case 6:	/* completions claimed consumed that were never written */
		scribble(&ring->cq_head, load(&ring->cq_head) + (uint32_t)fz_interesting());
		break;
	default:
		tern_notify_signal(TERN_H_KVM_SUBMIT, fz_interesting());
		tern_notify_signal(TERN_H_KVM_COMPLETE, fz_below(4));
		break;
	}
	if (fz_chance(60))
		doorbell();
}

/* Rewrites slot bytes while the service domain may be copying them. */
static void *scribbler(void *arg)
{
	uint8_t *slots = ring_base + TERN_KVM_RING_HDR_SIZE;
	size_t off, len;

	(void)arg;
	fz_seed(fz_now_ns() | 1);
	while (scribbling) {
		off = fz_below(N * TERN_KVM_SLOT_SIZE);
		len = fz_below(128);
		if (off + len > N * TERN_KVM_SLOT_SIZE)
			len = N * TERN_KVM_SLOT_SIZE - off;
		fz_fill(slots + off, len);
		if (fz_chance(10))
			tern_notify_signal(TERN_H_KVM_SUBMIT, 1);
	}
	return NULL;
}

/*
 * Puts the ring back in order as a device model can: nothing pending
 * (sq_tail at the published sq_head), every completion consumed, then one
 * valid request. The published indices may be scribbled until the service
 * domain's next pass, so this retries a few times.
 */
static bool probe(void)
{
	uint64_t end;
	uint32_t slot = (uint32_t)fz_below(N), head, seen, i;
	struct tern_kvm_req *req = tern_kvm_slot(ring_base, slot);
	unsigned int attempt;
	uint64_t value;

	probes++;
	for (attempt = 0; attempt < 4; attempt++) {
		memset(req, 0, sizeof(*req));
		req->op = TERN_KVM_OP_IOCTL;
		req->target = 0;
		req->cmd = KVM_GET_API_VERSION;
		req->result = -1;
		/* The service domain may still be on an earlier pass. */
		settle();
		head = load(&ring->sq_head);
		seen = load(&ring->cq_tail);
		store(&ring->cq_head, seen);
		ring->sq[head % N] = slot;
		store(&ring->sq_tail, head + 1);
		fz_count();
		doorbell();
		end = fz_now_ns() + PROBE_NS / 4;
		while (fz_now_ns() < end) {
			tern_notify_wait(TERN_H_KVM_COMPLETE, &value, 5 * 1000 * 1000);
			for (i = seen; i != load(&ring->cq_tail); i++) {
				struct tern_kvm_cqe c = ring->cq[i % N];

				completions++;
				if (i - seen > N)
					break;	/* a scribbled cq_tail: retry */
				if (c.slot == slot && c.status == 0 &&
				    req->result == KVM_API_VERSION) {
					store(&ring->cq_head, load(&ring->cq_tail));
					probes_ok++;
					return true;
				}
			}
			seen = i;
			store(&ring->cq_head, seen);
		}
	}
	return false;
}

int fz_ring_phase(uint64_t deadline_ns)
{
	pthread_t th;
	unsigned int burst;
	int failed = 0;
	void *p;

	p = tern_shm_map(TERN_H_KVM_RING, NULL, PROT_READ | PROT_WRITE, 0);
	if (p == MAP_FAILED || !p) {
		printf("kvmfuzz: FAIL cannot map the KVM ring (handle %d): %s\n", TERN_H_KVM_RING,
		       strerror(errno));
		return -1;
	}
	ring_base = p;
	ring = p;
	if (ring->magic != TERN_KVM_RING_MAGIC || ring->version != TERN_KVM_RING_VERSION) {
		printf("kvmfuzz: FAIL the ring's magic %#x version %u\n", ring->magic, ring->version);
		return -1;
	}
	if (!probe()) {
		printf("kvmfuzz: FAIL no answer to a valid request on the ring before any garbage\n");
		return -1;
	}
	scribbling = true;
	if (pthread_create(&th, NULL, scribbler, NULL))
		scribbling = false;
	while (fz_now_ns() < deadline_ns) {
		for (burst = 1 + (unsigned int)fz_below(16); burst; burst--)
			garbage_action();
		/* Let the service domain chew on it. */
		settle();
		store(&ring->cq_head, load(&ring->cq_tail));
		if (fz_chance(20)) {
			bool s = scribbling;

			/* A probe needs its slot left alone. */
			scribbling = false;
			if (s)
				pthread_join(th, NULL);
			if (!probe()) {
				printf("kvmfuzz: FAIL the service domain stopped answering the ring "
				       "(sq_head %u sq_tail %u cq_tail %u cq_head %u)\n",
				       ring->sq_head, ring->sq_tail, ring->cq_tail, ring->cq_head);
				failed = 1;
				break;
			}
			scribbling = true;
			if (pthread_create(&th, NULL, scribbler, NULL))
				scribbling = false;
		}
	}
	if (scribbling) {
		scribbling = false;
		pthread_join(th, NULL);
	}
	if (!failed && !probe()) {
		printf("kvmfuzz: FAIL no answer on the ring after the garbage\n");
		failed = 1;
	}
	printf("kvmfuzz: ring: %llu garbage requests, %llu completions seen, %llu of %llu probes answered\n",
	       (unsigned long long)garbage, (unsigned long long)completions,
	       (unsigned long long)probes_ok, (unsigned long long)probes);
	return failed ? -1 : 0;
}
