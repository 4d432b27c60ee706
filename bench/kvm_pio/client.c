// SPDX-License-Identifier: MIT
/*
 * kvm_pio: the port-I/O exit benchmark, a KVM client written only against
 * <linux/kvm.h> and POSIX. Its 64-bit guest executes `out` N times and halts;
 * the client answers each KVM_EXIT_IO (checking port, size and the byte the
 * guest wrote) and re-enters the guest: one round trip per iteration.
 *
 *	kvm_pio [N]	(default 100000)
 *
 * It prints round trips per second (wall clock). Under QEMU with the icount
 * plugin (bench/plugin/icount.c) it also brackets a 1-iteration run (tag 1)
 * and the N-iteration run (tag 2): (count2 - count1) / (N - 1) is the number
 * of emulated instructions per round trip, every layer included, with the
 * set-up and the final HLT exit cancelled out.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pio_vm.h"
#include "../include/icount_mark.h"

#define PIO_PORT		0x510
#define DEFAULT_ITERATIONS	100000ul
#define MAX_ITERATIONS		1000000000ul
#define WARMUP_ITERATIONS	1000ul

#define TAG_CALIBRATE	0
#define TAG_ONE		1
#define TAG_MANY	2

/* Calibration loop length: ICOUNT_CALIBRATE_INSNS instructions between its markers. */
#define CALIBRATE_LOOPS	1000
#define ICOUNT_CALIBRATE_INSNS (2 * CALIBRATE_LOOPS + 1)

/*
 * The guest: RCX = iterations, DX = port. It writes the low byte of the
 * remaining count so the client can check every exit carries the right data.
 */
__asm__(".pushsection .rodata\n"
	".globl pio_guest_start, pio_guest_end\n"
	"pio_guest_start:\n"
	"1:	mov %ecx, %eax\n"
	"	out %al, %dx\n"
	"	dec %rcx\n"
	"	jnz 1b\n"
	"	hlt\n"
	"pio_guest_end:\n"
	".popsection\n");
extern const uint8_t pio_guest_start[], pio_guest_end[];

static int check_io_exit(const struct kvm_run *run, uint64_t remaining)
{
	const uint8_t *data = (const uint8_t *)run + run->io.data_offset;

	if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != PIO_PORT ||
	    run->io.size != 1 || run->io.count != 1) {
		fprintf(stderr, "kvm_pio: unexpected I/O exit: %s port %#x size %u count %u\n",
			run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.port,
			run->io.size, run->io.count);
		return -1;
	}
	if (*data != (uint8_t)remaining) {
		fprintf(stderr, "kvm_pio: guest wrote %#x, expected %#x\n", *data,
			(uint8_t)remaining);
		return -1;
	}
	return 0;
}

static void report_exit(const struct kvm_run *run)
{
	switch (run->exit_reason) {
	case KVM_EXIT_FAIL_ENTRY:
		fprintf(stderr, "kvm_pio: KVM_EXIT_FAIL_ENTRY, hardware reason %#llx\n",
			(unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		break;
	case KVM_EXIT_INTERNAL_ERROR:
		fprintf(stderr, "kvm_pio: KVM_EXIT_INTERNAL_ERROR, suberror %u\n",
			run->internal.suberror);
		break;
	default:
		fprintf(stderr, "kvm_pio: unexpected exit reason %u\n", run->exit_reason);
	}
}

/* Runs the guest loop for N iterations: N I/O exits, then HLT. */
static int run_guest(struct pio_vm *vm, uint64_t n)
{
	uint64_t remaining = n;

	if (pio_vm_start(vm, n, PIO_PORT) < 0)
		return -1;
	for (;;) {
		if (pio_vm_run(vm) < 0)
			return -1;
		switch (vm->run->exit_reason) {
		case KVM_EXIT_IO:
			if (remaining == 0) {
				fprintf(stderr, "kvm_pio: more than %llu I/O exits\n",
					(unsigned long long)n);
				return -1;
			}
			if (check_io_exit(vm->run, remaining) < 0)
				return -1;
			remaining--;
			break;
		case KVM_EXIT_HLT:
			if (remaining != 0) {
				fprintf(stderr, "kvm_pio: HLT with %llu of %llu exits missing\n",
					(unsigned long long)remaining, (unsigned long long)n);
				return -1;
			}
			return 0;
		default:
			report_exit(vm->run);
			return -1;
		}
	}
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int parse_iterations(int argc, char **argv, unsigned long *n)
{
	char *end;

	*n = DEFAULT_ITERATIONS;
	if (argc < 2)
		return 0;
	errno = 0;
	*n = strtoul(argv[1], &end, 10);
	if (argc > 2 || errno || *end || end == argv[1] || *n < 2 || *n > MAX_ITERATIONS) {
		fprintf(stderr, "usage: kvm_pio [ITERATIONS]  (2..%lu, default %lu)\n",
			MAX_ITERATIONS, DEFAULT_ITERATIONS);
		return -1;
	}
	return 0;
}

/*
 * A bracketed loop of a known ICOUNT_CALIBRATE_INSNS instructions (mov, then
 * dec/jnz pairs): the run script compares the plugin's figure with it, which
 * shows the counter is exact in the very set-up being measured.
 */
static void icount_calibrate(void)
{
	ICOUNT_START(TAG_CALIBRATE);
	__asm__ __volatile__("mov %0, %%ecx\n"
			     "1:	dec %%ecx\n"
			     "	jnz 1b\n"
			     : : "i"(CALIBRATE_LOOPS) : "ecx", "cc");
	ICOUNT_STOP(TAG_CALIBRATE);
}

/* The measured runs; returns the wall-clock seconds of the N-iteration one, or -1. */
static double measure(struct pio_vm *vm, unsigned long n)
{
	double t0, t1;
	int ret;

	icount_calibrate();
	/* Warm up first so that neither measured run pays for first-touch work. */
	if (run_guest(vm, WARMUP_ITERATIONS) < 0)
		return -1;

	ICOUNT_START(TAG_ONE);
	ret = run_guest(vm, 1);
	ICOUNT_STOP(TAG_ONE);
	if (ret < 0)
		return -1;

	t0 = now_seconds();
	ICOUNT_START(TAG_MANY);
	ret = run_guest(vm, n);
	ICOUNT_STOP(TAG_MANY);
	t1 = now_seconds();
	return ret < 0 ? -1 : t1 - t0;
}

int main(int argc, char **argv)
{
	struct pio_vm vm;
	unsigned long n;
	double secs;

	if (parse_iterations(argc, argv, &n) < 0)
		return 2;
	if (pio_vm_create(&vm, pio_guest_start, pio_guest_end - pio_guest_start) < 0)
		return 1;
	printf("kvm_pio: guest `out` loop, port %#x, %lu iterations\n", PIO_PORT, n);
	printf("kvm_pio: icount tags: %d = calibration (%d instructions), %d = 1 round trip, "
	       "%d = %lu round trips\n", TAG_CALIBRATE, ICOUNT_CALIBRATE_INSNS, TAG_ONE, TAG_MANY, n);
	secs = measure(&vm, n);
	pio_vm_destroy(&vm);
	if (secs < 0) {
		printf("kvm_pio: FAILED\n");
		return 1;
	}
	printf("kvm_pio: result: %lu round trips in %.3f s: %.0f round trips/s\n", n, secs,
	       n / secs);
	return 0;
}
