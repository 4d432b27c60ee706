/* SPDX-License-Identifier: MIT */
/*
 * kvmfuzz: the random-ioctl fuzzer of tern's KVM ABI (kvm_fuzz.c has the
 * overview). Shared state of its parts: random numbers and pointers, the pool
 * of open /dev/kvm, VM and vcpu fds, the memory guests may use, counters.
 */
#ifndef KVMFUZZ_FUZZ_H
#define KVMFUZZ_FUZZ_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kvm.h>

#define FZ_PAGE		4096ul

/* ---- random numbers (rand.c): one xorshift64* state per thread ---- */

void fz_seed(uint64_t seed);
uint64_t fz_rand(void);
static inline uint64_t fz_below(uint64_t n)
{
	return n ? fz_rand() % n : 0;
}
static inline bool fz_chance(unsigned int percent)
{
	return fz_below(100) < percent;
}
void fz_fill(void *p, size_t len);
/* A value that stresses validation: 0, small, -1, powers of two, random. */
uint64_t fz_interesting(void);
/* Flips bits and bytes and plants interesting values in @p. */
void fz_mutate(void *p, size_t len);

/* ---- memory (mem.c) ---- */

/*
 * The scratch area: the only memory the fuzzer passes as a "valid" pointer,
 * so an ioctl writing its answer there cannot corrupt the fuzzer. Pointers
 * land in its first FZ_SCRATCH_USE bytes and the rest absorbs the largest
 * answer (16 KiB _IOC_SIZE, 256 CPUID entries); guard pages on both sides.
 */
#define FZ_SCRATCH_USE	(32 * 1024)
#define FZ_SCRATCH_LEN	(96 * 1024)
/* Guest memory for memory slots, then an inaccessible guard. */
#define FZ_GUEST_LEN	(2ul << 20)
#define FZ_GUEST_GUARD	(64 * 1024)

extern uint8_t *fz_scratch;
extern uint8_t *fz_guest;

int fz_mem_init(void);
/* A pointer argument: inside the scratch area, NULL, a guard page, the core's
 * half, non-canonical or random. */
uint64_t fz_pick_ptr(void);
/* @p, or a bad pointer instead when @p could be the fuzzer's own memory
 * (anything but the scratch area): an answer written there corrupts it. */
uint64_t fz_not_ours(uint64_t p);
/* A scratch pointer with @len random bytes behind it. */
void *fz_scratch_random(size_t len);
/* A userspace_addr for a memory slot: guest memory (bounded so the slot ends
 * at the latest in the guard) or an address no slot may use. */
void fz_sanitize_region(struct kvm_userspace_memory_region *r);

/* ---- the fd pool (pool.c) ---- */

enum fz_kind { FZ_FREE, FZ_SYS, FZ_VM, FZ_VCPU };

/*
 * An entry's lock covers its lifetime (close, mmap, munmap) and any use of
 * its kvm_run mapping; plain ioctls use the fd number without it, so an fd
 * closed and reused meanwhile is part of the test, as it would be on Linux.
 */
struct fz_entry {
	pthread_mutex_t lock;
	int fd;
	enum fz_kind kind;
	struct kvm_run *run;	/* vcpu: its mmap, or NULL */
	bool has_memory;	/* VM: a slot at GPA 0 was set by fz_vm_add_memory */
};

#define FZ_POOL		24

extern struct fz_entry fz_pool[FZ_POOL];
extern int fz_kvm;		/* a /dev/kvm fd kept open for the whole run */
extern long fz_mmap_size;	/* KVM_GET_VCPU_MMAP_SIZE */

void fz_pool_init(void);
/* Puts @fd of @kind into a free entry; closes it if the pool is full. */
void fz_pool_add(int fd, enum fz_kind kind);
/* A random fd of @kind (FZ_FREE: any kind), or -1. */
int fz_pool_pick(enum fz_kind kind);
/* A random entry of @kind, locked (trylock), or NULL. */
struct fz_entry *fz_pool_lock(enum fz_kind kind);
/* Closes the entry (munmaps its kvm_run); the caller holds its lock. */
void fz_pool_release(struct fz_entry *e);
void fz_pool_close_all(void);

/* ---- counting and the watchdog (kvm_fuzz.c) ---- */

extern uint64_t fz_requests;		/* ioctls, mmaps, opens, closes, ring submissions */
extern uint64_t fz_guest_exits;		/* KVM_RUN returns with an exit */
extern volatile bool fz_stop;

static inline void fz_count(void)
{
	__atomic_add_fetch(&fz_requests, 1, __ATOMIC_RELAXED);
}

/*
 * fz_call_begin/end bracket every call into libkvm: the watchdog kicks
 * (pthread_kill SIGUSR1) a thread that stays inside longer than FZ_KICK_NS,
 * as a VMM kicks a vcpu thread out of a spinning guest on Linux, and a call
 * that never returns is reported with @what, @fd and @cmd.
 */
#define FZ_KICK_NS	(50ull * 1000 * 1000)
void fz_call_begin(const char *what, int fd, unsigned long cmd);
void fz_call_end(void);

/* The calls into libkvm, counted and bracketed (call.c). */
int fz_ioctl(const char *what, int fd, unsigned long cmd, uint64_t arg);
int fz_open_kvm(int flags);
void fz_close(int fd);
void *fz_mmap(int fd, size_t len, int prot, int flags, long off);
void fz_munmap(void *p, size_t len);
uint64_t fz_now_ns(void);

/* ---- the fuzzing operations ---- */

/* One random ioctl (ioctl_random.c). */
void fz_op_random_ioctl(void);
/* Valid ioctls with mutated structs (ioctl_mutate.c); init reads the CPUID
 * and MSR lists they start from. */
void fz_mutate_init(void);
void fz_op_mutate(void);
/* Creating and closing VMs and vcpus, memory slots, mmaps (lifecycle.c). */
void fz_op_lifecycle(void);
/* A vcpu run on random guest memory (run.c). */
void fz_op_run(void);

/* The raw ring phase (ring.c): 0, or -1 if the service domain stopped answering. */
int fz_ring_phase(uint64_t deadline_ns);

#endif
