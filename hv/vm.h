/* A virtual machine: its guest-physical memory map and its vcpus. */
#ifndef HV_VM_H
#define HV_VM_H

#include "hv/types.h"
#include "hv/spinlock.h"
#include "mmu/npt.h"
#include "mmu/gwalk.h"

#define VM_MAX_VCPUS	64
#define VM_MAX_RAM_BLOCKS 64

struct vcpu;

/* Host frames the core allocated for guest RAM (freed with the VM). */
struct vm_ram_block {
	paddr_t hpa;
	unsigned int order;
};

struct vm {
	uint32_t id;
	spinlock_t lock;
	struct npt *npt;		/* GPA -> HPA, EPT or NPT format per backend */
	struct vcpu *vcpus[VM_MAX_VCPUS];
	unsigned int nr_vcpus;
	struct vm_ram_block ram[VM_MAX_RAM_BLOCKS];
	unsigned int nr_ram;
	void *arch;			/* backend data (virt->vm_init) */
};

/* A VM with an empty memory map; NULL (logged) when out of memory. */
struct vm *vm_create(void);
/* Frees the vcpus, the nested tables and the RAM the core allocated. */
void vm_destroy(struct vm *vm);

/* Allocates zeroed host frames and maps them at [gpa, gpa+size) RWX. */
int vm_alloc_ram(struct vm *vm, uint64_t gpa, uint64_t size);
/* Maps host memory the caller owns (later: device-model memory). */
int vm_map(struct vm *vm, uint64_t gpa, paddr_t hpa, uint64_t size, unsigned int prot);
int vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size);

/* Copies between the core and guest RAM, crossing pages; -EFAULT (nothing
 * guaranteed copied) if any byte is not mapped RAM (readable; writable for
 * vm_write_gpa). */
int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len);
int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, size_t len);

/* Guest-memory callbacks for gwalk_translate over this VM's RAM: reads need
 * NPT_R, A/D updates (atomic, through the direct map) need NPT_W; -EFAULT
 * otherwise. */
struct gwalk_mem vm_gwalk_mem(struct vm *vm);

#endif
