/*
 * Coalesced MMIO zones and the ring producer (see hv/kvm_coalesced.h), and the
 * hook the MMIO exit path calls (hv/kvm_obj.h).
 */
#include "hv/kvm_coalesced.h"
#include "hv/kvm_obj.h"
#include "hv/errno.h"
#include "hv/string.h"

void kvm_coalesced_init(struct kvm_coalesced *c, struct kvm_coalesced_mmio_ring *ring)
{
	memset(c, 0, sizeof(*c));
	c->lock = (spinlock_t)SPINLOCK_INIT;
	c->ring = ring;
}

/*
 * Whether [addr, addr + len) lies inside @z. Linux compares with the length as
 * an int, so a range of 2 GiB or more is never inside anything; kept, since
 * unregister depends on it.
 */
static bool zone_contains(const struct kvm_coalesced_mmio_zone *z, uint64_t addr, uint32_t len)
{
	if ((int32_t)len < 0 || addr + len < addr)
		return false;
	return addr >= z->addr && addr + len <= z->addr + z->size;
}

int kvm_coalesced_register(struct kvm_coalesced *c, const struct kvm_coalesced_mmio_zone *z)
{
	int err = 0;

	/* Linux accepts any address and size, even empty or overlapping zones. */
	if (z->pio > 1)
		return -EINVAL;
	spin_lock(&c->lock);
	if (c->nr_zones == KVM_COALESCED_MAX_ZONES)
		err = -ENOSPC;
	else
		c->zones[c->nr_zones++] = *z;
	spin_unlock(&c->lock);
	return err;
}

int kvm_coalesced_unregister(struct kvm_coalesced *c, const struct kvm_coalesced_mmio_zone *z)
{
	unsigned int i = 0;

	if (z->pio > 1)
		return -EINVAL;
	spin_lock(&c->lock);
	while (i < c->nr_zones) {
		const struct kvm_coalesced_mmio_zone *cur = &c->zones[i];

		if (cur->pio == z->pio && zone_contains(cur, z->addr, z->size))
			c->zones[i] = c->zones[--c->nr_zones];	/* order does not matter */
		else
			i++;
	}
	spin_unlock(&c->lock);
	return 0;
}

bool kvm_coalesced_append(struct kvm_coalesced *c, uint64_t addr, const void *data, uint32_t len,
			  bool pio)
{
	struct kvm_coalesced_mmio_ring *ring = c->ring;
	struct kvm_coalesced_mmio *e;
	bool match = false, queued = false;
	uint32_t last, first;

	if (!ring || !len || len > sizeof(e->data))
		return false;
	spin_lock(&c->lock);
	for (unsigned int i = 0; i < c->nr_zones && !match; i++)
		match = c->zones[i].pio == pio && zone_contains(&c->zones[i], addr, len);
	if (!match)
		goto out;
	/* The device model owns `first` and could have scribbled on `last`: read
	 * each once and never index with a value out of range. */
	last = __atomic_load_n(&ring->last, __ATOMIC_RELAXED);
	first = __atomic_load_n(&ring->first, __ATOMIC_ACQUIRE);
	if (last >= KVM_COALESCED_MMIO_MAX || (last + 1) % KVM_COALESCED_MMIO_MAX == first)
		goto out;	/* full (or garbage): the write exits instead */
	e = &ring->coalesced_mmio[last];
	e->phys_addr = addr;
	e->len = len;
	e->pio = pio;
	memset(e->data, 0, sizeof(e->data));
	memcpy(e->data, data, len);
	/* The entry is complete before the device model can see it. */
	__atomic_store_n(&ring->last, (last + 1) % KVM_COALESCED_MMIO_MAX, __ATOMIC_RELEASE);
	queued = true;
out:
	spin_unlock(&c->lock);
	return queued;
}

bool kvm_coalesced_mmio_write(struct kvm_vm *kvm, uint64_t gpa, const void *data, uint32_t len)
{
	return kvm_coalesced_append(&kvm->coalesced, gpa, data, len, false);
}
