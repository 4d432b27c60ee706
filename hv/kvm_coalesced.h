/*
 * Coalesced MMIO (api.txt 4.65, KVM_REGISTER_COALESCED_MMIO): guest writes to
 * registered zones are queued in the VM's ring page, which every vcpu mapping
 * shows at page KVM_COALESCED_MMIO_PAGE_OFFSET, instead of exiting; the device
 * model drains the ring (advancing `first`) when it next gets control.
 *
 * The zone set and the ring producer are pure logic on a struct kvm_coalesced,
 * host-tested. The ring page is shared with ring 3: the core trusts neither
 * `first` nor `last` found there beyond reading them once per append.
 */
#ifndef HV_KVM_COALESCED_H
#define HV_KVM_COALESCED_H

#include "hv/types.h"
#include "hv/spinlock.h"
#include "abi/include/linux/kvm.h"

/* Zones per VM. Linux shares NR_IOBUS_DEVS (1000) per bus with its other
 * in-kernel devices; VMMs register a handful (QEMU: one per coalesced region). */
#define KVM_COALESCED_MAX_ZONES	64

struct kvm_coalesced {
	/* Serializes zone changes and appends (vcpus of one VM write at once). */
	spinlock_t lock;
	struct kvm_coalesced_mmio_ring *ring;	/* the shared page */
	unsigned int nr_zones;
	struct kvm_coalesced_mmio_zone zones[KVM_COALESCED_MAX_ZONES];
};

void kvm_coalesced_init(struct kvm_coalesced *c, struct kvm_coalesced_mmio_ring *ring);

/* KVM_REGISTER_COALESCED_MMIO: 0, -EINVAL (pio neither 0 nor 1), -ENOSPC. */
int kvm_coalesced_register(struct kvm_coalesced *c, const struct kvm_coalesced_mmio_zone *z);
/* KVM_UNREGISTER_COALESCED_MMIO: removes every zone of the same kind (pio)
 * that contains [z->addr, z->addr + z->size), as Linux 6.1 does; 0 (also when
 * none does) or -EINVAL (pio neither 0 nor 1). */
int kvm_coalesced_unregister(struct kvm_coalesced *c, const struct kvm_coalesced_mmio_zone *z);

/*
 * A guest write of @len bytes (1..8) at @addr, MMIO (@pio false) or port I/O:
 * when a zone of that kind contains it and the ring has room (one entry stays
 * free, so `first == last` always means empty), appends {addr, len, pio, data}
 * and returns true. False: the write needs an ordinary exit.
 */
bool kvm_coalesced_append(struct kvm_coalesced *c, uint64_t addr, const void *data, uint32_t len,
			  bool pio);

#endif
