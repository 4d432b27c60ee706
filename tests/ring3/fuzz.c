/*
 * Random system calls from ring 3: random numbers (valid, invalid, huge) with
 * arguments drawn from values that stress validation (0, small handles,
 * pointers into a scratch area between inaccessible guard pages, core addresses,
 * the edges of the canonical hole, random 64-bit values). The core must answer
 * every call with a result or kill only this process; the service domain
 * restarts it (config flag for=SECS) until the time is up.
 *
 * A few calls would end or wedge the fuzzer itself rather than test the core,
 * so they are shaped: EXIT and THREAD_EXIT are skipped, blocking calls get
 * timeouts of at most 2 ms, handles 0..2 are not closed and the process is not
 * asked to kill itself, objects a call creates are closed again and mappings
 * unmapped (so memory stays bounded), console writes from user memory print
 * dots, and
 * SET_FS_BASE only gets non-canonical values (which it must refuse).
 * mmap/munmap/mprotect and fixed shm mappings on user addresses are confined
 * to the scratch area (the guard pages stay), and allocation sizes to 1 MiB, unless the range runs past
 * the user half (then the call must fail, and it is left as drawn).
 *
 * Usage: fuzz [SECONDS [SEED]]; TERN_DEADLINE_NS (from the service domain)
 * overrides SECONDS.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <tern/tern.h>

#define PAGE		4096ul
#define SCRATCH_LEN	(16 * PAGE)
#define MAX_TIMEOUT_NS	2000000ull
#define CORE_TEXT	0xffffffff80100000ull
#define DIRECT_MAP	0xffff800000000000ull
#define USER_TOP	0x0000800000000000ull
#define MAX_ALLOC	(1ul << 20)

static uint64_t rng;
static unsigned char *scratch;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

/* 1 TiB is where libtern's heap starts: writing there only corrupts the fuzzer. */
#define LIBTERN_HEAP	(1ull << 40)

static uint64_t power_of_two(void)
{
	uint64_t v = 1ull << (rnd() % 64);

	return v == LIBTERN_HEAP ? v << 1 : v;
}

static uint64_t pick_arg(void)
{
	switch (rnd() % 11) {
	case 0: return 0;
	case 1: return rnd() % 8;
	case 2: return rnd() % 300;
	case 3: return (uint64_t)(scratch + rnd() % SCRATCH_LEN);
	case 4: return (uint64_t)scratch - PAGE + rnd() % (SCRATCH_LEN + 2 * PAGE);
	case 5: return CORE_TEXT + rnd() % (1 << 20);
	case 6: return DIRECT_MAP + rnd() % (1ull << 32);
	case 7: return 0x0000800000000000ull - 64 + rnd() % 128;
	case 8: return -(rnd() % 16);
	case 9: return power_of_two();
	default: return rnd();
	}
}

static bool is_scratch(uint64_t p)
{
	return p >= (uint64_t)scratch && p < (uint64_t)scratch + SCRATCH_LEN;
}

/* Makes call @nr safe for the fuzzer itself (see the top); false: skip it. */
static bool shape(uint64_t nr, uint64_t a[6])
{
	switch (nr) {
	case TERN_SYS_EXIT:
	case TERN_SYS_THREAD_EXIT:
		return false;
	/* Handles are ints: the core looks at the low 32 bits only. */
	case TERN_SYS_PROCESS_KILL:
		return (uint32_t)a[0] != TERN_H_SELF;
	case TERN_SYS_HANDLE_CLOSE:
		return (uint32_t)a[0] > TERN_H_ROOT;
	case TERN_SYS_SLEEP:
		a[0] %= MAX_TIMEOUT_NS;
		return true;
	case TERN_SYS_PROCESS_WAIT:
	case TERN_SYS_FUTEX_WAIT:
	case TERN_SYS_NOTIFY_WAIT:
	case TERN_SYS_WAIT_ANY:
		a[2] %= MAX_TIMEOUT_NS;
		return true;
	case TERN_SYS_CONSOLE_READ:
		a[3] %= MAX_TIMEOUT_NS;
		return true;
	case TERN_SYS_CONSOLE_WRITE:
		/* User memory may hold anything (module bytes read into it):
		 * only core and non-canonical pointers are tried as they are. */
		if (a[1] < USER_TOP) {
			a[1] = (uint64_t)"........";
			a[2] %= 9;
		}
		return true;
	case TERN_SYS_MMAP:
	case TERN_SYS_MUNMAP:
	case TERN_SYS_MPROTECT:
		if (a[0] >= USER_TOP || a[1] >= USER_TOP)
			return true;
		a[1] %= MAX_ALLOC;
		if (nr == TERN_SYS_MMAP && !(a[3] & (TERN_MAP_FIXED | TERN_MAP_FIXED_NOREPLACE)))
			return true;	/* a hint only: the core picks free space */
		a[0] = (uint64_t)scratch + a[0] % SCRATCH_LEN;
		if (a[0] + a[1] > (uint64_t)scratch + SCRATCH_LEN)
			a[1] = (uint64_t)scratch + SCRATCH_LEN - a[0];
		return true;
	case TERN_SYS_SHM_CREATE:
		/* Small enough that a fixed mapping of it fits in the scratch area. */
		if (a[0] < USER_TOP)
			a[0] %= SCRATCH_LEN;
		return true;
	case TERN_SYS_SHM_MAP:
		if (a[1] < USER_TOP && (a[3] & (TERN_MAP_FIXED | TERN_MAP_FIXED_NOREPLACE)))
			a[1] = (uint64_t)scratch;
		return true;
	case TERN_SYS_SET_FS_BASE:
		a[0] = 0x0000800000000000ull | (rnd() & 0x00007fffffffffffull);
		return true;
	default:
		return true;
	}
}

/* Undoes what a successful call created, so memory use stays bounded. */
static void clean_up(uint64_t nr, const uint64_t a[6], long ret)
{
	switch (nr) {
	case TERN_SYS_NOTIFY_CREATE:
	case TERN_SYS_SHM_CREATE:
	case TERN_SYS_HANDLE_DUP:
	case TERN_SYS_PROCESS_CREATE:
		if (ret > TERN_H_ROOT)
			tern_syscall(TERN_SYS_HANDLE_CLOSE, ret, 0, 0, 0, 0, 0);
		break;
	case TERN_SYS_MMAP:
		if (!is_scratch(ret))
			tern_syscall(TERN_SYS_MUNMAP, ret, a[1], 0, 0, 0, 0);
		break;
	}
}

/*
 * Reports go straight to the console handle, not through stdio: the calls
 * may leave stdio's state odd (a pending interrupt, a failed write), and the
 * report is what the test reads. Exits with 4 when the console refuses.
 */
static void report(const char *fmt, ...)
{
	char line[160];
	va_list ap;
	int n;
	long r;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	r = tern_syscall(TERN_SYS_CONSOLE_WRITE, TERN_H_CONSOLE, (long)line, n, 0, 0, 0);
	if (r != n)
		exit(4);
}

static uint64_t deadline_ns(int argc, char **argv)
{
	const char *env = getenv("TERN_DEADLINE_NS");

	if (env)
		return strtoull(env, NULL, 10);
	return tern_clock_ns() + (argc > 1 ? strtoull(argv[1], NULL, 10) : 30) * 1000000000ull;
}

int main(int argc, char **argv)
{
	uint64_t end = deadline_ns(argc, argv), start = tern_clock_ns(), seed, next_report;
	unsigned long calls = 0, ok = 0;
	unsigned char *area;

	seed = argc > 2 ? strtoull(argv[2], NULL, 0) : start ^ 0x9e3779b97f4a7c15ull;
	rng = seed ? seed : 1;
	/* The scratch area sits between two guard pages. */
	area = mmap(NULL, SCRATCH_LEN + 2 * PAGE, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		printf("fuzz: no scratch memory\n");
		return 2;
	}
	scratch = area + PAGE;
	/* Inaccessible but kept mapped, so nothing else is ever placed there. */
	mprotect(area, PAGE, PROT_NONE);
	mprotect(scratch + SCRATCH_LEN, PAGE, PROT_NONE);
	/* Filled once: the calls themselves may unmap or protect it later. */
	for (unsigned long i = 0; i < SCRATCH_LEN / 8; i++)
		((uint64_t *)scratch)[i] = rnd();
	report("fuzz: seed %#llx, %llu ms to go\n", (unsigned long long)seed,
	       (unsigned long long)(end > start ? (end - start) / 1000000 : 0));

	next_report = start + 1000000000ull;
	for (;;) {
		uint64_t nr, a[6];
		long ret;

		if ((calls & 63) == 0) {
			uint64_t now = tern_clock_ns();

			if (now >= end)
				break;
			if (now >= next_report) {
				report("fuzz: %lu calls so far\n", calls);
				next_report = now + 1000000000ull;
			}
		}
		nr = rnd() % 10 ? rnd() % (TERN_SYS_COUNT + 16) : rnd();
		for (int i = 0; i < 6; i++)
			a[i] = pick_arg();
		if (!shape(nr, a))
			continue;
		ret = tern_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		calls++;
		if (ret >= 0) {
			ok++;
			if (nr == TERN_SYS_SET_FS_BASE) {
				report("fuzz: SET_FS_BASE accepted non-canonical %#llx\n",
				       (unsigned long long)a[0]);
				return 3;
			}
			clean_up(nr, a, ret);
		}
	}
	report("fuzz: %lu calls in %llu ms, %lu succeeded (seed %#llx)\n", calls,
	       (unsigned long long)((tern_clock_ns() - start) / 1000000), ok,
	       (unsigned long long)seed);
	return 0;
}
