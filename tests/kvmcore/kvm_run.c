/*
 * The core's KVM_RUN path from ring 3, with the raw syscalls: this program is
 * the service domain (module 0, root handle TERN_H_ROOT). It creates a VM and a
 * vcpu, maps memory it mmapped, runs a real-mode guest from the reset vector
 * that prints a string through port 0x10, does a `rep outsb`, an `in`, a write
 * to dirty-logged RAM and `hlt`, answering every exit; checks the error cases,
 * the dirty log, kicks out of a spinning guest and of one looping on INT n
 * (with software breakpoints on) from another thread, -EBUSY
 * for a second runner, the /dev/kvm and VM ioctls the core answers
 * (TERN_SYS_KVM_SYSTEM, TERN_SYS_VM_IOCTL: capabilities, CPUID, MSR lists,
 * clock, coalesced MMIO zones and the shared ring page), and that every frame
 * comes back once the VMs are gone.
 * Prints "kvmcore: PASS" or "kvmcore: FAIL ..." and powers off.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <tern/kvm_ring.h>
#include <tern/syscall.h>
#include <tern/tern.h>

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("kvmcore: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;					\
		}							\
	} while (0)

#define sys(nr, a, b, c, d, e, f)	tern_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* Real mode from the reset state: CS base 0xffff0000, IP 0xfff0 -> GPA 0xfffffff0. */
#define CODE_GPA	0xfffff000UL
#define RAM_SIZE	(64 * 1024)
static const uint8_t guest_code[] = {
	0xbe, 0x00, 0xf1,	/* 0:  mov si, 0xf100 (the string) */
	0xba, 0x10, 0x00,	/* 3:  mov dx, 0x10 */
	0x2e, 0xac,		/* 6:  cs lodsb */
	0x84, 0xc0,		/* 8:  test al, al */
	0x74, 0x03,		/* 10: jz 15 */
	0xee,			/* 12: out dx, al */
	0xeb, 0xf7,		/* 13: jmp 6 */
	0xb9, 0x05, 0x00,	/* 15: mov cx, 5 */
	0xbe, 0x00, 0xf1,	/* 18: mov si, 0xf100 */
	0xb2, 0x13,		/* 21: mov dl, 0x13 */
	0x2e, 0xf3, 0x6e,	/* 23: cs rep outsb */
	0xe4, 0x11,		/* 26: in al, 0x11 */
	0xe6, 0x12,		/* 28: out 0x12, al */
	0xa2, 0x00, 0x20,	/* 30: mov [0x2000], al (RAM, dirty logged) */
	0xf4,			/* 33: hlt */
};
static const char guest_string[] = "Hello from the guest";

static void *map_pages(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint64_t free_pages(void)
{
	struct tern_mem_info mi;

	if (sys(TERN_SYS_MEM_INFO, TERN_H_ROOT, &mi, 0, 0, 0, 0))
		return 0;
	return mi.free_pages;
}

/* A page with @code at the reset vector's page offset 0 and a jump to it at 0xff0. */
static uint8_t *reset_page(const uint8_t *code, size_t len, const char *data)
{
	uint8_t *p = map_pages(4096);

	if (!p)
		return NULL;
	memcpy(p, code, len);
	if (data)
		memcpy(p + 0x100, data, strlen(data) + 1);
	p[0xff0] = 0xe9;	/* jmp near 0xf000: rel16 = 0xf000 - 0xfff3 */
	p[0xff1] = 0x0d;
	p[0xff2] = 0xf0;
	return p;
}

static void main_guest(int vm, int vcpu, struct kvm_run *run, uint8_t *ram)
{
	char said[64] = "";
	size_t n = 0;
	int ios = 0, r;
	uint64_t bits[1];

	run->immediate_exit = 1;
	r = sys(TERN_SYS_VCPU_RUN, vcpu, 0, 0, 0, 0, 0);
	CHECK(r == -EINTR && run->exit_reason == KVM_EXIT_INTR);
	run->immediate_exit = 0;

	for (;;) {
		uint8_t *data;

		r = sys(TERN_SYS_VCPU_RUN, vcpu, 0, 0, 0, 0, 0);
		data = (uint8_t *)run + run->io.data_offset;
		if (r) {
			printf("kvmcore: FAIL KVM_RUN returned %d\n", r);
			failures++;
			return;
		}
		if (run->exit_reason == KVM_EXIT_HLT)
			break;
		if (run->exit_reason != KVM_EXIT_IO) {
			printf("kvmcore: FAIL exit reason %u\n", run->exit_reason);
			failures++;
			return;
		}
		ios++;
		CHECK(run->io.data_offset == KVM_PIO_PAGE_OFFSET * 4096);
		if (run->io.port == 0x10) {
			CHECK(run->io.direction == KVM_EXIT_IO_OUT && run->io.size == 1 &&
			      run->io.count == 1);
			if (n < sizeof(said) - 1)
				said[n++] = (char)data[0];
		} else if (run->io.port == 0x13) {
			CHECK(run->io.direction == KVM_EXIT_IO_OUT && run->io.count == 5);
			CHECK(!memcmp(data, "Hello", 5));
		} else if (run->io.port == 0x11) {
			CHECK(run->io.direction == KVM_EXIT_IO_IN && run->io.size == 1);
			data[0] = 0x5a;
		} else if (run->io.port == 0x12) {
			CHECK(run->io.direction == KVM_EXIT_IO_OUT && data[0] == 0x5a);
		} else {
			printf("kvmcore: FAIL I/O to port %#x\n", run->io.port);
			failures++;
		}
	}
	printf("kvmcore: guest printed \"%s\" (%d I/O exits), then halted\n", said, ios);
	CHECK(!strcmp(said, guest_string));
	CHECK(ios == (int)strlen(guest_string) + 3);
	CHECK(run->if_flag == 0 && run->ready_for_interrupt_injection == 0);
	CHECK(run->apic_base == 0 || (run->apic_base & 0xfffff000) == 0xfee00000);
	{
		/* vcpu ioctls straight to the core: RIP is past the hlt, AL holds 0x5a. */
		struct kvm_regs regs;

		CHECK(sys(TERN_SYS_VCPU_IOCTL, vcpu, KVM_GET_REGS, &regs, 0, 0, 0) == 0);
		CHECK(regs.rip == 0xf000 + 34 && (regs.rax & 0xff) == 0x5a);
		printf("kvmcore: KVM_GET_REGS rip %#llx rax %#llx\n", (unsigned long long)regs.rip,
		       (unsigned long long)regs.rax);
		CHECK(sys(TERN_SYS_VCPU_IOCTL, vcpu, KVM_GET_REGS, 16, 0, 0, 0) == -EFAULT);
		CHECK(sys(TERN_SYS_VCPU_IOCTL, vcpu, 0xdeadbeef, &regs, 0, 0, 0) == -EINVAL);	/* x86 Linux: EINVAL */
	}

	/* Exactly page 2 was written, once; the bits were moved out. */
	CHECK(ram[0x2000] == 0x5a);
	bits[0] = ~0ULL;
	CHECK(sys(TERN_SYS_VM_DIRTY_LOG, vm, 0, RAM_SIZE, bits, 0, 0) == 0);
	printf("kvmcore: dirty log %#llx\n", (unsigned long long)bits[0]);
	CHECK(bits[0] == 1ULL << 2);
	CHECK(sys(TERN_SYS_VM_DIRTY_LOG, vm, 0, RAM_SIZE, bits, 0, 0) == 0);
	CHECK(bits[0] == 0);
	CHECK(sys(TERN_SYS_VM_DIRTY_LOG, vm, 0, RAM_SIZE, (void *)8, 0, 0) == -EFAULT);
	CHECK(sys(TERN_SYS_VM_DIRTY_LOG, vm, CODE_GPA, 4096, bits, 0, 0) == -ENOENT);
}

/* ---- the /dev/kvm ioctls the core answers (TERN_SYS_KVM_SYSTEM) ---- */

#define kvm_sys(cmd, arg)	sys(TERN_SYS_KVM_SYSTEM, TERN_H_ROOT, cmd, arg, 0, 0, 0)
#define vm_ioctl(vm, cmd, arg)	sys(TERN_SYS_VM_IOCTL, vm, cmd, arg, 0, 0, 0)
#define CPUID_ROOM		256

static const struct kvm_cpuid_entry2 *find_leaf(const struct kvm_cpuid2 *c, uint32_t fn)
{
	for (uint32_t i = 0; i < c->nent; i++)
		if (c->entries[i].function == fn)
			return &c->entries[i];
	return NULL;
}

static void system_cpuid(int verbose)
{
	static struct {
		struct kvm_cpuid2 hdr;
		struct kvm_cpuid_entry2 e[CPUID_ROOM];
	} c;
	const struct kvm_cpuid_entry2 *l0, *hv;
	uint32_t a, b, cx, d;

	memset(&c, 0, sizeof(c));
	c.hdr.nent = 1;
	CHECK(kvm_sys(KVM_GET_SUPPORTED_CPUID, &c) == -E2BIG);
	CHECK(c.hdr.nent == 1);		/* Linux leaves nent alone on E2BIG */
	c.hdr.nent = CPUID_ROOM;
	CHECK(kvm_sys(KVM_GET_SUPPORTED_CPUID, &c) == 0);
	CHECK(c.hdr.nent > 2 && c.hdr.nent < CPUID_ROOM);
	l0 = find_leaf(&c.hdr, 0);
	hv = find_leaf(&c.hdr, 0x40000000);
	CHECK(l0 && find_leaf(&c.hdr, 1) && find_leaf(&c.hdr, 0x80000001) && hv);
	/* The vendor is the CPU's, the hypervisor leaf tern's. */
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(cx), "=d"(d) : "a"(0), "c"(0));
	CHECK(l0 && l0->ebx == b && l0->ecx == cx && l0->edx == d);
	CHECK(hv && !memcmp(&hv->ebx, "Tern", 4));
	if (verbose)
		printf("kvmcore: KVM_GET_SUPPORTED_CPUID: %u entries\n", c.hdr.nent);
	CHECK(kvm_sys(KVM_GET_SUPPORTED_CPUID, 8) == -EFAULT);

	memset(&c, 0, sizeof(c));
	c.hdr.nent = 1;
	CHECK(kvm_sys(KVM_GET_EMULATED_CPUID, &c) == -E2BIG);
	c.hdr.nent = 8;
	CHECK(kvm_sys(KVM_GET_EMULATED_CPUID, &c) == 0);
	CHECK(c.hdr.nent == 2 && c.e[0].function == 0 && c.e[1].function == 1);
	c.hdr.nent = 8;
	c.e[5].padding[1] = 1;		/* Linux wants the offered entries' padding clean */
	CHECK(kvm_sys(KVM_GET_EMULATED_CPUID, &c) == -EINVAL);
}

static void system_msrs(int vcpu)
{
	static struct {
		struct kvm_msr_list hdr;
		uint32_t idx[256];
	} l;
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry e[2];
	} m;
	int efer = 0;

	memset(&l, 0, sizeof(l));
	CHECK(kvm_sys(KVM_GET_MSR_INDEX_LIST, &l) == -E2BIG);
	CHECK(l.hdr.nmsrs > 20 && l.hdr.nmsrs < 256);
	l.hdr.nmsrs = 256;
	CHECK(kvm_sys(KVM_GET_MSR_INDEX_LIST, &l) == 0);
	for (uint32_t i = 0; i < l.hdr.nmsrs && i < 256; i++)
		efer |= l.idx[i] == 0xc0000080;
	CHECK(efer);

	memset(&l, 0, sizeof(l));
	CHECK(kvm_sys(KVM_GET_MSR_FEATURE_INDEX_LIST, &l) == -E2BIG);
	CHECK(l.hdr.nmsrs == 1);
	CHECK(kvm_sys(KVM_GET_MSR_FEATURE_INDEX_LIST, &l) == 0 && l.idx[0] == 0x8b);
	CHECK(kvm_sys(KVM_GET_MSR_FEATURE_INDEX_LIST, 8) == -EFAULT);

	/* Feature MSR values: what a vcpu reads; reading stops at a non-feature. */
	memset(&m, 0, sizeof(m));
	m.hdr.nmsrs = 2;
	m.e[0].index = 0x8b;
	m.e[1].index = 0xc0000080;
	m.e[1].data = 77;
	CHECK(kvm_sys(KVM_GET_MSRS, &m) == 1);
	CHECK(m.e[0].data == 0x100000000ULL && m.e[1].data == 0);
	m.hdr.nmsrs = 1;
	m.e[0].data = 0;
	CHECK(sys(TERN_SYS_VCPU_IOCTL, vcpu, KVM_GET_MSRS, &m, 0, 0, 0) == 1);
	CHECK(m.e[0].data == 0x100000000ULL);
	m.hdr.nmsrs = 256;
	CHECK(kvm_sys(KVM_GET_MSRS, &m) == -E2BIG);
}

static void vm_clock(int vm, int verbose)
{
	struct kvm_clock_data c, later;

	memset(&c, 0xff, sizeof(c));
	CHECK(vm_ioctl(vm, KVM_GET_CLOCK, &c) == 0);
	/* A new VM's clock starts at 0; the core's clock is the TSC. */
	CHECK(c.clock < 10000000000ULL);
	CHECK(c.flags == (KVM_CLOCK_TSC_STABLE | KVM_CLOCK_HOST_TSC) && c.host_tsc && !c.realtime);
	memset(&c, 0, sizeof(c));
	c.clock = 5000000000ULL;
	CHECK(vm_ioctl(vm, KVM_SET_CLOCK, &c) == 0);
	CHECK(vm_ioctl(vm, KVM_GET_CLOCK, &later) == 0);
	CHECK(later.clock >= c.clock && later.clock < c.clock + 60000000000ULL);
	if (verbose)
		printf("kvmcore: KVM_SET_CLOCK 5 s, KVM_GET_CLOCK %llu ns\n",
		       (unsigned long long)later.clock);
	c.flags = KVM_CLOCK_TSC_STABLE | KVM_CLOCK_HOST_TSC | KVM_CLOCK_REALTIME;
	CHECK(vm_ioctl(vm, KVM_SET_CLOCK, &c) == 0);
	c.flags = 0x80000000u;
	CHECK(vm_ioctl(vm, KVM_SET_CLOCK, &c) == -EINVAL);
	CHECK(vm_ioctl(vm, KVM_GET_CLOCK, 8) == -EFAULT);
	CHECK(vm_ioctl(vm, KVM_SET_CLOCK, 8) == -EFAULT);
}

/*
 * The system and VM ioctls, on a VM of their own with two vcpus: both vcpus'
 * mappings show the VM's one coalesced MMIO ring page. Quiet when repeated.
 */
static void ioctl_test(int verbose)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = 0xd0000000u, .size = 0x1000 };
	struct kvm_coalesced_mmio_ring *r0, *r1;
	uint64_t map_addr = 0xfffbc000ULL;
	uint8_t *m0, *m1;
	int vm, v0, v1;
	long n;

	CHECK(kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) == 1);
	CHECK(kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) == KVM_COALESCED_MMIO_PAGE_OFFSET);
	CHECK(kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS) == TERN_KVM_USER_MEM_SLOTS);
	CHECK(kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_MAX_VCPU_ID) == 64);
	CHECK(kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_IRQCHIP) == 0);
	CHECK(kvm_sys(KVM_CHECK_EXTENSION, 0x7fffffff) == 0);
	n = kvm_sys(KVM_CHECK_EXTENSION, KVM_CAP_NR_VCPUS);
	CHECK(n >= 1 && n <= 64);
	if (verbose)
		printf("kvmcore: KVM_CAP_NR_VCPUS %ld\n", n);
	CHECK(kvm_sys(0xdeadbeef, 0) == -EINVAL);
	CHECK(kvm_sys(KVM_RUN, 0) == -EINVAL);
	CHECK(sys(TERN_SYS_KVM_SYSTEM, TERN_H_CONSOLE, KVM_CHECK_EXTENSION, 3, 0, 0, 0) == -EBADF);
	system_cpuid(verbose);

	vm = (int)sys(TERN_SYS_VM_CREATE, TERN_H_ROOT, 0, 0, 0, 0, 0);
	CHECK(vm >= 0);
	CHECK(vm_ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_USER_MEMORY) == 1);
	CHECK(vm_ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_NR_MEMSLOTS) == TERN_KVM_USER_MEM_SLOTS);
	CHECK(vm_ioctl(vm, 0xdeadbeef, 0) == -ENOTTY);
	CHECK(vm_ioctl(vm, KVM_GET_API_VERSION, 0) == -ENOTTY);
	CHECK(sys(TERN_SYS_VM_IOCTL, TERN_H_ROOT, KVM_CHECK_EXTENSION, 3, 0, 0, 0) == -EBADF);
	vm_clock(vm, verbose);

	CHECK(vm_ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000UL) == 0);
	CHECK(vm_ioctl(vm, KVM_SET_TSS_ADDR, 0xfffff000UL) == -EINVAL);
	CHECK(vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &map_addr) == 0);
	CHECK(vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, 8) == -EFAULT);

	CHECK(vm_ioctl(vm, KVM_REGISTER_COALESCED_MMIO, &zone) == 0);
	CHECK(vm_ioctl(vm, KVM_UNREGISTER_COALESCED_MMIO, &zone) == 0);
	zone.pio = 2;
	CHECK(vm_ioctl(vm, KVM_REGISTER_COALESCED_MMIO, &zone) == -EINVAL);
	CHECK(vm_ioctl(vm, KVM_REGISTER_COALESCED_MMIO, 8) == -EFAULT);

	v0 = (int)sys(TERN_SYS_VCPU_CREATE, vm, 0, 0, 0, 0, 0);
	v1 = (int)sys(TERN_SYS_VCPU_CREATE, vm, 1, 0, 0, 0, 0);
	CHECK(v0 >= 0 && v1 >= 0);
	CHECK(vm_ioctl(vm, KVM_SET_IDENTITY_MAP_ADDR, &map_addr) == -EINVAL);
	system_msrs(v0);
	m0 = (uint8_t *)sys(TERN_SYS_VCPU_MAP_RUN, v0, 0, 0, 0, 0, 0);
	m1 = (uint8_t *)sys(TERN_SYS_VCPU_MAP_RUN, v1, 0, 0, 0, 0, 0);
	CHECK((long)m0 > 0 && (long)m1 > 0);
	if ((long)m0 > 0 && (long)m1 > 0) {
		r0 = (void *)(m0 + KVM_COALESCED_MMIO_PAGE_OFFSET * 4096);
		r1 = (void *)(m1 + KVM_COALESCED_MMIO_PAGE_OFFSET * 4096);
		CHECK(r0->first == 0 && r0->last == 0);
		r0->first = 7;		/* one ring page for the VM */
		CHECK(r1->first == 7);
		r0->first = 0;
		munmap(m0, TERN_VCPU_MMAP_PAGES * 4096);
		munmap(m1, TERN_VCPU_MMAP_PAGES * 4096);
	}
	tern_handle_close(v0);
	tern_handle_close(v1);
	tern_handle_close(vm);
}

/* ---- a guest that spins: kicked out by another thread ---- */

struct spinner {
	int vcpu;
	struct kvm_run *run;
	volatile int started;
	int result;
	uint32_t reason;
};

static void on_usr1(int sig)
{
	(void)sig;
}

static void *spin_thread(void *arg)
{
	struct spinner *s = arg;

	s->started = 1;
	s->result = (int)sys(TERN_SYS_VCPU_RUN, s->vcpu, 0, 0, 0, 0, 0);
	s->reason = s->run->exit_reason;
	return NULL;
}

/*
 * Runs @code from the reset vector on a new vcpu (64 KiB of RAM at GPA 0 with
 * @ram_init's bytes, debug @debug_control) in another thread, kicks it after
 * 50 ms, and checks that KVM_RUN came back with -EINTR and KVM_EXIT_INTR.
 */
static void kick_test(const char *what, const uint8_t *code_bytes, size_t len,
		      void (*ram_init)(uint8_t *ram), uint32_t debug_control)
{
	struct timespec ms50 = { 0, 50 * 1000 * 1000 };
	struct spinner s = { 0 };
	pthread_t th;
	uint8_t *code = reset_page(code_bytes, len, NULL), *ram = map_pages(RAM_SIZE);
	int vm = (int)sys(TERN_SYS_VM_CREATE, TERN_H_ROOT, 0, 0, 0, 0, 0);

	CHECK(code && ram && vm >= 0);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, code, CODE_GPA, 4096, TERN_VM_MAP_READONLY) == 0);
	if (ram_init) {
		ram_init(ram);
		CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0, RAM_SIZE, 0) == 0);
	}
	s.vcpu = (int)sys(TERN_SYS_VCPU_CREATE, vm, 3, 0, 0, 0, 0);
	CHECK(s.vcpu >= 0);
	s.run = (struct kvm_run *)sys(TERN_SYS_VCPU_MAP_RUN, s.vcpu, 0, 0, 0, 0, 0);
	if (debug_control) {
		struct kvm_guest_debug g = { .control = debug_control };

		CHECK(sys(TERN_SYS_VCPU_IOCTL, s.vcpu, KVM_SET_GUEST_DEBUG, &g, 0, 0, 0) == 0);
	}
	signal(SIGUSR1, on_usr1);
	CHECK(pthread_create(&th, NULL, spin_thread, &s) == 0);
	while (!s.started)
		sched_yield();
	nanosleep(&ms50, NULL);
	/* It is in the guest (or about to be): a second runner is refused. */
	CHECK(sys(TERN_SYS_VCPU_RUN, s.vcpu, 0, 0, 0, 0, 0) == -EBUSY);
	CHECK(pthread_kill(th, SIGUSR1) == 0);
	CHECK(pthread_join(th, NULL) == 0);
	printf("kvmcore: kicked out of %s: %d, exit reason %u\n", what, s.result, s.reason);
	CHECK(s.result == -EINTR && s.reason == KVM_EXIT_INTR);
	munmap(s.run, TERN_VCPU_MMAP_PAGES * 4096);
	munmap(code, 4096);
	munmap(ram, RAM_SIZE);
	tern_handle_close(s.vcpu);
	tern_handle_close(vm);
}

/* INT 0x80's handler (0000:0500) resets SP and does INT 0x80 again. */
static void int_loop_ram(uint8_t *ram)
{
	static const uint8_t handler[] = {
		0xbc, 0x00, 0x80,	/* mov sp, 0x8000 */
		0xcd, 0x80,		/* int 0x80 */
	};

	ram[0x80 * 4 + 0] = 0x00;	/* IVT[0x80] = 0000:0500 */
	ram[0x80 * 4 + 1] = 0x05;
	ram[0x80 * 4 + 2] = 0x00;
	ram[0x80 * 4 + 3] = 0x00;
	memcpy(ram + 0x500, handler, sizeof(handler));
}

static void kick_tests(void)
{
	static const uint8_t spin[] = { 0xeb, 0xfe };		/* jmp $ */
	static const uint8_t int80[] = { 0xcd, 0x80 };		/* int 0x80 */

	kick_test("a spinning guest", spin, sizeof(spin), NULL, 0);
	/*
	 * Software breakpoints make an SVM backend intercept every INT n (some
	 * SVM implementations report INT3 only that way): a guest looping on
	 * INT n exits all the time, and each exit must still look at kicks.
	 */
	kick_test("a guest looping on INT n with KVM_GUESTDBG_USE_SW_BP", int80, sizeof(int80),
		  int_loop_ram, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP);
}

int main(void)
{
	uint8_t *code, *ram;
	struct kvm_run *run;
	uint64_t before, after;
	int vm, vcpu;

	setvbuf(stdout, NULL, _IONBF, 0);
	code = reset_page(guest_code, sizeof(guest_code), guest_string);
	ram = map_pages(RAM_SIZE);
	CHECK(code && ram);
	before = free_pages();

	vm = (int)sys(TERN_SYS_VM_CREATE, TERN_H_ROOT, 0, 0, 0, 0, 0);
	CHECK(vm >= 0);
	CHECK(sys(TERN_SYS_VM_CREATE, TERN_H_CONSOLE, 0, 0, 0, 0, 0) == -EBADF);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, code, CODE_GPA, 4096, TERN_VM_MAP_READONLY) == 0);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0, RAM_SIZE, TERN_VM_MAP_LOG_DIRTY) == 0);
	/* Bad input: overlap, alignment, unmapped memory, flags, handles. */
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0x1000, 4096, 0) == -EEXIST);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0x100800, 4096, 0) == -EINVAL);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0x100000, 100, 0) == -EINVAL);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, 0x1000, 0x100000, 4096, 0) == -EFAULT);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0x100000, 4096, 0x80) == -EINVAL);
	CHECK(sys(TERN_SYS_VM_MAP, vm, vm, ram, 0x100000, 4096, 0) == -EBADF);
	CHECK(sys(TERN_SYS_VM_MAP, TERN_H_SELF, TERN_H_SELF, ram, 0x100000, 4096, 0) == -EBADF);

	vcpu = (int)sys(TERN_SYS_VCPU_CREATE, vm, 0, 0, 0, 0, 0);
	CHECK(vcpu >= 0);
	CHECK(sys(TERN_SYS_VCPU_CREATE, vm, 0, 0, 0, 0, 0) == -EEXIST);
	CHECK(sys(TERN_SYS_VCPU_CREATE, vm, 64, 0, 0, 0, 0) == -EINVAL);
	run = (struct kvm_run *)sys(TERN_SYS_VCPU_MAP_RUN, vcpu, 0, 0, 0, 0, 0);
	CHECK((long)run > 0);

	/* The guest runs from the VM's reference on the code frame alone. */
	munmap(code, 4096);
	if (!failures)
		main_guest(vm, vcpu, run, ram);

	/* Unmapping takes the RAM away from the guest, not from us. */
	CHECK(sys(TERN_SYS_VM_UNMAP, vm, 0, RAM_SIZE, 0, 0, 0) == 0);
	CHECK(sys(TERN_SYS_VM_UNMAP, vm, 1, RAM_SIZE, 0, 0, 0) == -EINVAL);
	CHECK(ram[0x2000] == 0x5a);

	/* Gone with the last handle and mapping. */
	munmap(run, TERN_VCPU_MMAP_PAGES * 4096);
	tern_handle_close(vcpu);
	tern_handle_close(vm);
	after = free_pages();
	printf("kvmcore: free pages %llu before the VM, %llu after\n",
	       (unsigned long long)before, (unsigned long long)after);
	/* Not compared: the first VM leaves page-table pages for the new user
	 * addresses and heap slabs behind. The second cycle must be exact. */
	ioctl_test(1);
	before = free_pages();
	kick_tests();
	ioctl_test(0);
	after = free_pages();
	printf("kvmcore: free pages %llu before the second VM, %llu after\n",
	       (unsigned long long)before, (unsigned long long)after);
	CHECK(after == before);

	if (failures)
		printf("kvmcore: FAIL (%d failures)\n", failures);
	else
		printf("kvmcore: PASS\n");
	tern_power_off(TERN_H_ROOT);
	return 1;
}
