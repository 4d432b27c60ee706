/*
 * KVM_GET_DIRTY_LOG over the ring. A slot's bitmap can be far larger than a
 * ring payload (a bit per page), so it travels in chunks of
 * TERN_KVM_DIRTY_CHUNK_PAGES pages: each request names the slot and the
 * chunk's first page, the answer carries the chunk's bits and, in aux[0],
 * the slot's size in pages, which says how many chunks there are. Each chunk
 * is harvested (read and cleared) on its own; together they give exactly the
 * pages written since the last call, as one Linux call does.
 */
#include "../libtern/internal.h"
#include "libkvm.h"
#include <linux/kvm.h>

/* Bytes of bitmap for @pages pages: Linux rounds to 64-bit words. */
static uint64_t bitmap_bytes(uint64_t pages)
{
	return ((pages + 63) / 64) * 8;
}

/* One chunk from @first on; >= 0 (the slot's pages) or -errno. */
static long dirty_chunk(uint32_t target, uint32_t slot, uint64_t first, uint64_t npages,
			uint8_t *bitmap)
{
	struct tern_kvm_dirty_chunk *chunk;
	struct kvm_call c;
	long r;

	r = kvm_ring_begin(&c);
	if (r)
		return r;
	chunk = c.payload;
	chunk->slot = slot;
	chunk->pad = 0;
	chunk->first_page = first;
	r = kvm_ring_call(&c, TERN_KVM_OP_IOCTL, target, KVM_GET_DIRTY_LOG, 0, sizeof(*chunk));
	if (!r)
		r = c.result;
	if (r >= 0) {
		/* The first answer fixes the size: a slot that changes while
		 * it is harvested cannot make us write past the bitmap. */
		uint64_t pages = first ? npages : c.aux[0];
		uint64_t left = pages > first ? pages - first : 0;
		uint64_t want;

		if (left > TERN_KVM_DIRTY_CHUNK_PAGES)
			left = TERN_KVM_DIRTY_CHUNK_PAGES;
		want = bitmap_bytes(left);
		if (pages > INT64_MAX || c.out_len < want)
			r = -EIO;	/* an answer that does not fit the protocol */
		else if (want && sys3(TERN_SYS_MEM_COPY, bitmap + first / 8, c.payload, want) < 0)
			r = -EFAULT;
		else
			r = (long)pages;
	}
	kvm_ring_end(&c);
	return r;
}

long kvm_get_dirty_log(uint32_t target, void *arg)
{
	struct kvm_dirty_log log;
	uint64_t first = 0, npages = 0;
	long r;

	if (sys3(TERN_SYS_MEM_COPY, &log, arg, sizeof(log)) < 0)
		return -EFAULT;
	do {
		r = dirty_chunk(target, log.slot, first, npages, log.dirty_bitmap);
		if (r < 0)
			return r;
		npages = (uint64_t)r;
		first += TERN_KVM_DIRTY_CHUNK_PAGES;
	} while (first < npages);
	return 0;
}
