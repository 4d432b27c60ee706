/* SPDX-License-Identifier: MIT */
/*
 * A one-vcpu KVM virtual machine for the port-I/O exit benchmark: 64 KiB of
 * guest memory and a 64-bit long-mode vcpu on identity page tables built
 * here. Written only against <linux/kvm.h> and POSIX, so the same source
 * builds for Linux and with tern's SDK.
 */
#ifndef BENCH_PIO_VM_H
#define BENCH_PIO_VM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define PIO_VM_MEM_SIZE	0x10000u

struct pio_vm {
	int kvm_fd;
	int vm_fd;
	int vcpu_fd;
	struct kvm_run *run;	/* the vcpu's shared kvm_run page(s) */
	size_t run_size;
	uint8_t *mem;		/* guest physical 0 .. PIO_VM_MEM_SIZE */
};

/*
 * Opens /dev/kvm, creates the VM and its vcpu in long mode, copies CODE
 * (position-independent 64-bit code) into guest memory. Returns 0, or -1
 * after printing which step failed and why.
 */
int pio_vm_create(struct pio_vm *vm, const uint8_t *code, size_t code_len);

/* Points the vcpu at the code's start with RCX = rcx and RDX = rdx. */
int pio_vm_start(struct pio_vm *vm, uint64_t rcx, uint64_t rdx);

/* KVM_RUN once; returns 0 with vm->run->exit_reason set, or -1. */
int pio_vm_run(struct pio_vm *vm);

void pio_vm_destroy(struct pio_vm *vm);

#endif /* BENCH_PIO_VM_H */
