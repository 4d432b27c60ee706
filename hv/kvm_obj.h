/*
 * The KVM ABI's kernel objects: a VM (TERN_KOBJ_VM) wraps struct vm and the
 * process memory it maps; a vcpu (TERN_KOBJ_VCPU) wraps struct vcpu and its
 * mmap area (kvm_run, PIO data page, coalesced MMIO ring). A vcpu holds a
 * reference on its VM, so the VM goes last; either goes when its last handle
 * and mapping are gone (a device model that dies closes them all).
 */
#ifndef HV_KVM_OBJ_H
#define HV_KVM_OBJ_H

#include "hv/kobj.h"
#include "hv/kvm_coalesced.h"
#include "hv/list.h"
#include "hv/spinlock.h"
#include "hv/vm.h"
#include "hv/vcpu.h"
#include "emul/mmio_step.h"

struct thread;
struct kvm_run;
struct aspace;

/* One TERN_SYS_VM_MAP: [gpa, gpa + pages * 4 KiB) with its TERN_VM_MAP_* flags.
 * Its pages may since have been unmapped (the NPT is what says what is mapped);
 * the record keeps the flags and the dirty bitmap. */
struct kvm_region {
	struct list_node node;
	uint64_t gpa;
	uint64_t pages;
	uint32_t flags;
	uint64_t *dirty;		/* LOG_DIRTY: one bit per page, else NULL */
};

struct kvm_vm {
	struct kobj obj;
	struct vm *vm;
	/* Serializes map, unmap, dirty-log harvests and write faults against
	 * each other and guards the region list (newest first) and vcpu creation. */
	spinlock_t lock;
	struct list_node regions;
	unsigned int nr_regions;
	unsigned int created_vcpus;	/* ever created, as Linux counts (under lock) */

	/* The VM ioctls the core answers (hv/kvm_vm_ioctl.c), under lock. */
	int64_t clock_offset;		/* KVM_SET_CLOCK: VM clock = clock_ns() + offset */
	uint32_t tss_addr;		/* KVM_SET_TSS_ADDR (recorded; not needed) */
	uint64_t identity_map_addr;	/* KVM_SET_IDENTITY_MAP_ADDR (recorded; not needed) */

	/* Coalesced MMIO: one ring page (a reference held here and one by each
	 * vcpu, whose mapping shows it) and the zones feeding it. */
	paddr_t coalesced_frame;
	struct kvm_coalesced coalesced;
};

struct kvm_vcpu {
	struct kobj obj;
	struct kvm_vm *kvm;		/* referenced */
	struct vcpu *vcpu;
	paddr_t frames[TERN_VCPU_MMAP_PAGES];
	struct kvm_run *run;		/* frames[0] in the direct map */
	uint8_t *pio_page;		/* frames[KVM_PIO_PAGE_OFFSET] */
	struct thread *runner;		/* in KVM_RUN now (atomic), else NULL */
	bool exit_filled;		/* run holds an exit for the device model */
	/* An MMIO read waiting for run->mmio.data (hv/kvm_mmio.c). */
	struct mmio_state mmio;
};

#define KVM_MAX_REGIONS		1024

static inline struct kvm_vm *to_kvm_vm(struct kobj *o)
{
	return container_of(o, struct kvm_vm, obj);
}

static inline struct kvm_vcpu *to_kvm_vcpu(struct kobj *o)
{
	return container_of(o, struct kvm_vcpu, obj);
}

/* A VM object with one reference; NULL when out of memory or no backend. */
struct kvm_vm *kvm_vm_create(void);

/*
 * Maps @size bytes of @as at @uva to @gpa (all page-aligned), pinning each
 * frame (aspace_pin). 0, -EINVAL, -EEXIST (something is mapped there),
 * -EFAULT (a page is not mapped, not readable, or not writable for a
 * writable mapping), -ENOSPC (too many regions), -ENOMEM.
 */
int kvm_vm_map(struct kvm_vm *kvm, struct aspace *as, uint64_t uva, uint64_t gpa,
	       uint64_t size, uint32_t flags);
/* Unmaps and unpins whatever is mapped in the range: 0 or -EINVAL. */
int kvm_vm_unmap(struct kvm_vm *kvm, uint64_t gpa, uint64_t size);
/* Moves the dirty bits of [gpa, gpa + size), inside one LOG_DIRTY region, to
 * @bits (ALIGN_UP(pages, 64) / 64 words) and write-protects those pages again.
 * 0, -EINVAL, or -ENOENT (no LOG_DIRTY region covers the range). */
int kvm_vm_dirty_harvest(struct kvm_vm *kvm, uint64_t gpa, uint64_t size, uint64_t *bits);
/* A guest write hit a write-protected page at @gpa: true when it was dirty
 * logging (page now recorded and writable: resume), false otherwise. */
bool kvm_vm_dirty_fault(struct kvm_vm *kvm, uint64_t gpa);

/* vcpu @id of @kvm with its mmap area, one reference; NULL and *err
 * (-EINVAL, -EEXIST, -ENOMEM). */
struct kvm_vcpu *kvm_vcpu_create(struct kvm_vm *kvm, uint32_t id, int *err);

/*
 * A guest MMIO write of @len bytes at @gpa: if it falls in a coalesced MMIO
 * zone (KVM_REGISTER_COALESCED_MMIO) and the VM's ring has room, appends it
 * to the ring and returns true (the guest goes on without an exit); false
 * means the write needs an ordinary KVM_EXIT_MMIO. hv/kvm_coalesced.c.
 */
bool kvm_coalesced_mmio_write(struct kvm_vm *kvm, uint64_t gpa, const void *data, uint32_t len);

/*
 * The VM ioctls the core implements (TERN_SYS_VM_IOCTL, hv/kvm_vm_ioctl.c):
 * CHECK_EXTENSION, GET/SET_CLOCK, (UN)REGISTER_COALESCED_MMIO, SET_TSS_ADDR,
 * SET_IDENTITY_MAP_ADDR on @uarg in the caller's memory; -ENOTTY otherwise.
 */
int64_t kvm_vm_ioctl(struct kvm_vm *kvm, uint32_t cmd, uintptr_t uarg);
/* Whether @cmd is a VM ioctl that only reads (TERN_RIGHT_READ suffices). */
bool kvm_vm_ioctl_is_getter(uint32_t cmd);

/* KVM_CHECK_EXTENSION(@cap) on this machine (hv/kvm_caps.c's table). */
int64_t kvm_check_extension(uint64_t cap);

/* The /dev/kvm ioctls the core implements (TERN_SYS_KVM_SYSTEM,
 * hv/kvm_system.c); -EINVAL for the others, as Linux's /dev/kvm. */
int64_t kvm_system_ioctl(uint32_t cmd, uintptr_t uarg);

/* KVM_RUN on @kv from the calling user thread: 0 or -EINTR, -EBUSY. */
int kvm_vcpu_run(struct kvm_vcpu *kv);

#endif
