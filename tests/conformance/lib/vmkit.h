/* SPDX-License-Identifier: MIT */
/*
 * vmkit: the small VMM the conformance programs share, written only against
 * <linux/kvm.h> and POSIX. Set-up failures end the program through
 * ct_fatal(): a test that cannot build its VM has nothing left to check.
 */
#ifndef CT_VMKIT_H
#define CT_VMKIT_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define CT_PAGE_SIZE	4096ul

struct ct_vcpu {
	int fd;
	struct kvm_run *run;
	size_t run_size;
};

/* open("/dev/kvm") and the API version check. */
int ct_open_kvm(void);

/* KVM_CREATE_VM (type 0) and KVM_SET_TSS_ADDR, as every x86 VMM does. */
int ct_create_vm(int kvm);

/* Anonymous memory of size bytes put into the VM as slot at gpa with flags. */
void *ct_add_memory(int vm, uint32_t slot, uint64_t gpa, size_t size, uint32_t flags);

/* KVM_CREATE_VCPU id and the mmap of its kvm_run. */
void ct_create_vcpu(int kvm, int vm, unsigned long id, struct ct_vcpu *vcpu);

/* The vcpu in real mode with CS = DS = ES = SS = 0 at ip, RFLAGS = 2. */
void ct_real_mode(struct ct_vcpu *vcpu, uint16_t ip);

/*
 * Long-mode page tables built by the VMM inside guest memory mem (guest
 * physical 0 .. mem_size). Tables come from a bump allocator starting at
 * next_table.
 */
struct ct_pt {
	uint8_t *mem;
	size_t mem_size;
	uint64_t pml4;		/* guest physical address of the PML4 */
	uint64_t next_table;	/* next free page for a table */
};

void ct_pt_init(struct ct_pt *pt, uint8_t *mem, size_t mem_size, uint64_t first_table);
/* Maps size bytes (4 KiB pages) at virtual va to guest physical gpa, writable. */
void ct_pt_map(struct ct_pt *pt, uint64_t va, uint64_t gpa, uint64_t size);

/*
 * The vcpu in 64-bit mode on pt with a flat GDT written at gdt_gpa (24 bytes,
 * inside pt's memory and mapped by the caller only if the guest reloads
 * selectors), CPUID from KVM_GET_SUPPORTED_CPUID, RIP = rip, RSP = rsp.
 */
void ct_long_mode(int kvm, struct ct_vcpu *vcpu, struct ct_pt *pt, uint64_t gdt_gpa,
		  uint64_t rip, uint64_t rsp);

/* KVM_RUN; returns its result with errno kept. */
int ct_run(struct ct_vcpu *vcpu);

/* KVM_RUN that must end in exit reason want; reports a failure as a check. */
int ct_run_expect(struct ct_vcpu *vcpu, uint32_t want, const char *what);

const char *ct_exit_name(uint32_t reason);

/* The bytes of a KVM_EXIT_IO inside the kvm_run mapping. */
static inline uint8_t *ct_io_data(struct ct_vcpu *vcpu)
{
	return (uint8_t *)vcpu->run + vcpu->run->io.data_offset;
}

/* Reads a little-endian value of len bytes (1..8). */
uint64_t ct_get_le(const uint8_t *p, unsigned int len);
void ct_put_le(uint8_t *p, unsigned int len, uint64_t value);

/*
 * Guest code is assembled inside the test's own source with GNU as (so the
 * host gcc and tern-cc both build it) into .rodata between two labels; the
 * VMM copies the bytes into guest memory. CT_GUEST_CODE declares them.
 */
#define CT_GUEST_CODE(name) extern const uint8_t name##_start[], name##_end[]
#define CT_GUEST_SIZE(name) ((size_t)(name##_end - name##_start))

#endif
