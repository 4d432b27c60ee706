// SPDX-License-Identifier: MIT
/*
 * pio_raw: the port-I/O round trip on tern's core alone, as the floor under
 * kvm_pio. It runs as the service domain (boot module 0, root handle), sets
 * its VM up with the core's syscalls (TERN_SYS_VM_*, TERN_SYS_VCPU_*) and
 * enters the guest with TERN_SYS_VCPU_RUN itself: no libkvm, no ring, no
 * /dev/kvm emulation. The guest, the checks of every exit, the warm-up and
 * the icount brackets (tags 0, 1, 2) are kvm_pio's, so the two figures
 * differ only by what libkvm adds to KVM_RUN.
 *
 *	pio_raw [N]	(default 100000), prints "pio_raw: result: ..." and powers off
 *
 * Guest memory: the layout of bench/kvm_pio/pio_vm.c (GDT at 0, page tables
 * at 0x1000, code at 0x4000, 64 KiB).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <linux/kvm.h>
#include <tern/syscall.h>
#include <tern/tern.h>

#include "../include/icount_mark.h"

#define PIO_PORT		0x510
#define DEFAULT_ITERATIONS	100000ul
#define MAX_ITERATIONS		1000000000ul
#define WARMUP_ITERATIONS	1000ul
#define MEM_SIZE		0x10000u
#define CODE_ADDR		0x4000u
#define CALIBRATE_LOOPS		1000
#define ICOUNT_CALIBRATE_INSNS	(2 * CALIBRATE_LOOPS + 1)

#define sys(nr, a, b, c, d, e, f) \
	tern_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* The same guest as kvm_pio's: RCX = iterations, DX = port. */
__asm__(".pushsection .rodata\n"
	"raw_guest_start:\n"
	"1:	mov %ecx, %eax\n"
	"	out %al, %dx\n"
	"	dec %rcx\n"
	"	jnz 1b\n"
	"	hlt\n"
	"raw_guest_end:\n"
	".popsection\n");
extern const uint8_t raw_guest_start[], raw_guest_end[];

struct raw_vm {
	long vm;
	long vcpu;
	struct kvm_run *run;
	uint8_t *mem;
};

static int fail(const char *what, long err)
{
	printf("pio_raw: %s: %s\n", what, strerror(err < 0 ? (int)-err : (int)err));
	return -1;
}

static void build_memory(uint8_t *mem)
{
	uint64_t *gdt = (uint64_t *)mem;
	uint64_t *pml4 = (uint64_t *)(mem + 0x1000);
	uint64_t *pdpt = (uint64_t *)(mem + 0x2000);
	uint64_t *pd = (uint64_t *)(mem + 0x3000);

	gdt[1] = 0x00af9b000000ffffull;	/* 0x08: 64-bit code */
	gdt[2] = 0x00cf93000000ffffull;	/* 0x10: data */
	pml4[0] = 0x2000 | 3;
	pdpt[0] = 0x3000 | 3;
	pd[0] = 0x83;			/* 2 MiB at 0, P | RW | PS */
	memcpy(mem + CODE_ADDR, raw_guest_start, raw_guest_end - raw_guest_start);
}

static void flat(struct kvm_segment *s, uint16_t sel, uint8_t type)
{
	*s = (struct kvm_segment){ .limit = 0xffffffff, .selector = sel, .type = type,
				   .present = 1, .s = 1, .g = 1 };
}

static int set_long_mode(struct raw_vm *vm)
{
	struct kvm_sregs sregs;
	long r = sys(TERN_SYS_VCPU_IOCTL, vm->vcpu, KVM_GET_SREGS, &sregs, 0, 0, 0);

	if (r)
		return fail("KVM_GET_SREGS", r);
	flat(&sregs.cs, 0x08, 0xb);
	sregs.cs.l = 1;
	flat(&sregs.ds, 0x10, 0x3);
	sregs.ds.db = 1;
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.gdt.base = 0;
	sregs.gdt.limit = 3 * 8 - 1;
	sregs.cr3 = 0x1000;
	sregs.cr4 = 1u << 5;					/* PAE */
	sregs.cr0 = 0x80010033;					/* PG WP NE ET MP PE */
	sregs.efer = (1u << 8) | (1u << 10);			/* LME LMA */
	r = sys(TERN_SYS_VCPU_IOCTL, vm->vcpu, KVM_SET_SREGS, &sregs, 0, 0, 0);
	return r ? fail("KVM_SET_SREGS", r) : 0;
}

static int create(struct raw_vm *vm)
{
	long r;

	vm->vm = sys(TERN_SYS_VM_CREATE, TERN_H_ROOT, 0, 0, 0, 0, 0);
	if (vm->vm < 0)
		return fail("TERN_SYS_VM_CREATE", vm->vm);
	vm->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm->mem == MAP_FAILED)
		return fail("mmap", errno);
	build_memory(vm->mem);
	r = sys(TERN_SYS_VM_MAP, vm->vm, TERN_H_SELF, vm->mem, 0, MEM_SIZE, 0);
	if (r)
		return fail("TERN_SYS_VM_MAP", r);
	vm->vcpu = sys(TERN_SYS_VCPU_CREATE, vm->vm, 0, 0, 0, 0, 0);
	if (vm->vcpu < 0)
		return fail("TERN_SYS_VCPU_CREATE", vm->vcpu);
	r = sys(TERN_SYS_VCPU_MAP_RUN, vm->vcpu, 0, 0, 0, 0, 0);
	if (r < 0)
		return fail("TERN_SYS_VCPU_MAP_RUN", r);
	vm->run = (struct kvm_run *)r;
	return set_long_mode(vm);
}

static int run_guest(struct raw_vm *vm, uint64_t n)
{
	struct kvm_regs regs = { .rip = CODE_ADDR, .rsp = MEM_SIZE, .rflags = 2, .rcx = n,
				 .rdx = PIO_PORT };
	struct kvm_run *run = vm->run;
	uint64_t remaining = n;
	long r = sys(TERN_SYS_VCPU_IOCTL, vm->vcpu, KVM_SET_REGS, &regs, 0, 0, 0);

	if (r)
		return fail("KVM_SET_REGS", r);
	for (;;) {
		const uint8_t *data;

		r = sys(TERN_SYS_VCPU_RUN, vm->vcpu, 0, 0, 0, 0, 0);
		if (r)
			return fail("TERN_SYS_VCPU_RUN", r);
		if (run->exit_reason == KVM_EXIT_HLT && remaining == 0)
			return 0;
		data = (const uint8_t *)run + run->io.data_offset;
		if (run->exit_reason != KVM_EXIT_IO || remaining == 0 ||
		    run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PIO_PORT ||
		    run->io.size != 1 || run->io.count != 1 || *data != (uint8_t)remaining) {
			printf("pio_raw: unexpected exit %u (port %#x, %llu exits left)\n",
			       run->exit_reason, run->io.port, (unsigned long long)remaining);
			return -1;
		}
		remaining--;
	}
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void icount_calibrate(void)
{
	ICOUNT_START(0);
	__asm__ __volatile__("mov %0, %%ecx\n"
			     "1:	dec %%ecx\n"
			     "	jnz 1b\n"
			     : : "i"(CALIBRATE_LOOPS) : "ecx", "cc");
	ICOUNT_STOP(0);
}

static int measure(struct raw_vm *vm, unsigned long n)
{
	double t0, t1;
	int ret;

	icount_calibrate();
	if (run_guest(vm, WARMUP_ITERATIONS) < 0)
		return -1;
	ICOUNT_START(1);
	ret = run_guest(vm, 1);
	ICOUNT_STOP(1);
	if (ret < 0)
		return -1;
	t0 = now_seconds();
	ICOUNT_START(2);
	ret = run_guest(vm, n);
	ICOUNT_STOP(2);
	t1 = now_seconds();
	if (ret < 0)
		return -1;
	printf("pio_raw: result: %lu round trips in %.3f s: %.0f round trips/s\n", n, t1 - t0,
	       n / (t1 - t0));
	return 0;
}

int main(int argc, char **argv)
{
	struct raw_vm vm;
	unsigned long n = DEFAULT_ITERATIONS;
	int ret = 1;

	if (argc > 1) {
		char *end;

		errno = 0;
		n = strtoul(argv[1], &end, 10);
		if (errno || *end || n < 2 || n > MAX_ITERATIONS) {
			printf("pio_raw: usage: pio_raw [ITERATIONS]  (2..%lu)\n", MAX_ITERATIONS);
			n = 0;
		}
	}
	if (n) {
		printf("pio_raw: guest `out` loop, port %#x, %lu iterations\n", PIO_PORT, n);
		printf("pio_raw: icount tags: 0 = calibration (%d instructions), 1 = 1 round trip, "
		       "2 = %lu round trips\n", ICOUNT_CALIBRATE_INSNS, n);
		if (create(&vm) == 0 && measure(&vm, n) == 0)
			ret = 0;
		else
			printf("pio_raw: FAILED\n");
	}
	fflush(stdout);
	/* As the service domain, the program ends the run itself. */
	tern_power_off(TERN_H_ROOT);
	return ret;
}
