// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: a random-ioctl fuzzer of tern's KVM ABI, a device model built
 * with tern-cc. For its time budget (TERN_DEADLINE_NS from the service
 * domain's for= flag, else SECONDS) it
 *  1. for the first 70 %, from FZ_THREADS threads, sends through libkvm on
 *     /dev/kvm, VM and vcpu fds: random ioctl numbers with random payloads
 *     and pointers (ioctl_random.c), valid ioctls with mutated structs
 *     (ioctl_mutate.c), creates and closes VMs and vcpus, mmaps, memory
 *     slots (lifecycle.c) and runs vcpus on random guest memory (run.c); a
 *     watchdog thread kicks a thread that stays in a call too long;
 *  2. closes everything, checks that /dev/kvm still answers, and for the
 *     rest writes garbage straight into its KVM ring (ring.c).
 * Prints "kvmfuzz: N requests in M ms" and exits 0; exits 1 if the service
 * domain stopped answering. A crash of the fuzzer is a failure too: the
 * integration test (tests/integration/kvmfuzz.test.sh) wants exit status 0.
 *
 * Usage: kvmfuzz [SECONDS [SEED]]
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <tern/tern.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

#define FZ_THREADS	4
#define WATCHDOG_NS	(10ull * 1000 * 1000)
/* A worker not back this long after the end of the ioctl phase is stuck. */
#define STUCK_NS	(10ull * 1000 * 1000 * 1000)

uint64_t fz_requests;
volatile bool fz_stop;
static volatile bool watchdog_stop;

struct worker {
	pthread_t th;
	uint64_t seed;
	uint64_t busy_since;	/* 0: not in a libkvm call */
	bool done;
	/* The last call, for the report of a stuck worker. */
	const char *what;
	int fd;
	unsigned long cmd;
};

static struct worker workers[FZ_THREADS];
static __thread struct worker *self;

uint64_t fz_now_ns(void)
{
	return tern_clock_ns();
}

void fz_call_begin(const char *what, int fd, unsigned long cmd)
{
	if (!self)
		return;
	self->what = what;
	self->fd = fd;
	self->cmd = cmd;
	__atomic_store_n(&self->busy_since, fz_now_ns(), __ATOMIC_RELEASE);
}

void fz_call_end(void)
{
	if (self)
		__atomic_store_n(&self->busy_since, 0, __ATOMIC_RELEASE);
}

static void on_kick(int sig)
{
	(void)sig;
}

static void *worker_main(void *arg)
{
	unsigned int op;

	self = arg;
	self->what = "nothing yet";
	self->fd = -1;
	fz_seed(self->seed);
	while (!fz_stop) {
		op = (unsigned int)fz_below(100);
		if (op < 45)
			fz_op_random_ioctl();
		else if (op < 65)
			fz_op_mutate();
		else if (op < 85)
			fz_op_lifecycle();
		else
			fz_op_run();
	}
	__atomic_store_n(&self->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* Kicks workers stuck in a guest (or anywhere else) for FZ_KICK_NS. */
static void *watchdog_main(void *arg)
{
	struct timespec tick = { 0, WATCHDOG_NS };
	uint64_t since;
	unsigned int i;

	(void)arg;
	/* Until every worker is back: the last ones may still be in a guest. */
	while (!watchdog_stop) {
		nanosleep(&tick, NULL);
		for (i = 0; i < FZ_THREADS; i++) {
			since = __atomic_load_n(&workers[i].busy_since, __ATOMIC_ACQUIRE);
			if (since && fz_now_ns() - since > FZ_KICK_NS)
				pthread_kill(workers[i].th, SIGUSR1);
		}
	}
	return NULL;
}

static uint64_t deadline(int argc, char **argv)
{
	const char *env = getenv("TERN_DEADLINE_NS");
	uint64_t secs = argc > 1 ? strtoull(argv[1], NULL, 0) : 10;

	if (env)
		return strtoull(env, NULL, 0);
	return fz_now_ns() + secs * 1000000000ull;
}

/*
 * Joins the workers, or reports the ones that do not come back (a call that
 * never returns: a lost ring completion, a vcpu the kick did not reach).
 */
static int wait_workers(void)
{
	uint64_t end = fz_now_ns() + STUCK_NS, since;
	struct timespec t = { 0, 10 * 1000 * 1000 };
	unsigned int i, stuck = 0;

	for (i = 0; i < FZ_THREADS; i++) {
		while (!__atomic_load_n(&workers[i].done, __ATOMIC_ACQUIRE) && fz_now_ns() < end)
			nanosleep(&t, NULL);
		if (!workers[i].done) {
			since = __atomic_load_n(&workers[i].busy_since, __ATOMIC_ACQUIRE);
			printf("kvmfuzz: FAIL worker %u stuck in %s (fd %d, ioctl %#lx)%s\n", i,
			       workers[i].what, workers[i].fd, workers[i].cmd,
			       since ? " inside a call the watchdog keeps kicking" : "");
			stuck++;
		}
	}
	if (stuck)
		return -1;
	for (i = 0; i < FZ_THREADS; i++)
		pthread_join(workers[i].th, NULL);
	return 0;
}

/* After the storm: a fresh /dev/kvm fd must still give the API version. */
static int still_answers(void)
{
	int fd = open("/dev/kvm", O_RDWR), v;

	fz_count();
	if (fd < 0) {
		perror("kvmfuzz: FAIL open /dev/kvm after the ioctl phase");
		return -1;
	}
	v = ioctl(fd, KVM_GET_API_VERSION, 0);
	fz_count();
	close(fd);
	if (v != KVM_API_VERSION) {
		printf("kvmfuzz: FAIL KVM_GET_API_VERSION after the ioctl phase: %d\n", v);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t start = fz_now_ns(), end = deadline(argc, argv), mid;
	uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 0) : start ^ (start >> 17);
	struct sigaction sa = { .sa_handler = on_kick };
	pthread_t dog;
	unsigned int i;
	int failed = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	mid = end > start ? start + (end - start) * 7 / 10 : start;
	printf("kvmfuzz: seed %#llx, %u threads, %llu ms\n", (unsigned long long)seed, FZ_THREADS,
	       (unsigned long long)((end > start ? end - start : 0) / 1000000));
	fz_seed(seed);
	sigaction(SIGUSR1, &sa, NULL);
	fz_pool_init();
	fz_kvm = open("/dev/kvm", O_RDWR);
	if (fz_kvm < 0) {
		perror("kvmfuzz: FAIL open /dev/kvm");
		return 1;
	}
	fz_mmap_size = ioctl(fz_kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (fz_mmap_size <= 0 || fz_mem_init()) {
		printf("kvmfuzz: FAIL set-up (vcpu mmap size %ld)\n", fz_mmap_size);
		return 1;
	}
	fz_mutate_init();

	for (i = 0; i < FZ_THREADS; i++) {
		workers[i].seed = seed + 0x9e3779b97f4a7c15ull * (i + 1);
		if (pthread_create(&workers[i].th, NULL, worker_main, &workers[i])) {
			printf("kvmfuzz: FAIL pthread_create\n");
			return 1;
		}
	}
	if (pthread_create(&dog, NULL, watchdog_main, NULL)) {
		printf("kvmfuzz: FAIL pthread_create\n");
		return 1;
	}
	while (fz_now_ns() < mid) {
		struct timespec t = { 0, 20 * 1000 * 1000 };

		nanosleep(&t, NULL);
	}
	fz_stop = true;
	if (wait_workers())
		return 1;
	watchdog_stop = true;
	pthread_join(dog, NULL);
	fz_pool_close_all();
	printf("kvmfuzz: ioctl phase: %llu requests, %llu guest exits\n",
	       (unsigned long long)fz_requests, (unsigned long long)fz_guest_exits);
	if (still_answers())
		failed = 1;
	close(fz_kvm);
	fz_count();

	if (!failed && fz_ring_phase(end))
		failed = 1;
	printf("kvmfuzz: %llu requests in %llu ms\n", (unsigned long long)fz_requests,
	       (unsigned long long)((fz_now_ns() - start) / 1000000));
	return failed;
}
