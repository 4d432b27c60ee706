/*
 * Exits handled in the core versus the bare VM entry/exit round trip. The
 * guest is a few real-mode bytes: a CPUID loop counted down in ESI that ends
 * with an OUT (the only exit reaching the owner), and at a second address a
 * CPUID loop without end for the backend's bare loop.
 */
#include "hv/bench.h"
#include "hv/vm.h"
#include "hv/vcpu.h"
#include "hv/log.h"
#include "hv/string.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "arch/x86/virt.h"

#define BENCH_ITERATIONS	20000
#define BENCH_RAM		(64 * KiB)
#define BENCH_LOOP_GPA		0x1000
#define BENCH_BARE_GPA		0x2000
#define BENCH_DONE_PORT		0xe0

/* 16-bit code: 1: xor %eax,%eax; cpuid; dec %esi; jnz 1b; out %al,$0xe0; jmp . */
static const uint8_t counted_loop[] = {
	0x66, 0x31, 0xc0, 0x0f, 0xa2, 0x66, 0x4e, 0x75, 0xf7, 0xe6, BENCH_DONE_PORT, 0xeb, 0xfe,
};
/* 16-bit code: 1: xor %eax,%eax; cpuid; jmp 1b */
static const uint8_t endless_loop[] = { 0x66, 0x31, 0xc0, 0x0f, 0xa2, 0xeb, 0xf9 };

struct bench_ctx {
	bool done;
	uint16_t bad_port;
	enum exit_reason bad_exit;
};

static bool bench_exit(struct vcpu *v, struct vcpu_exit *e, void *arg)
{
	struct bench_ctx *c = arg;

	(void)v;
	if (e->reason == EXIT_IO && !e->io.in && e->io.port == BENCH_DONE_PORT)
		c->done = true;
	else if (e->reason == EXIT_IO)
		c->bad_port = e->io.port;
	else
		c->bad_exit = e->reason;
	return false;
}

/* Real mode, CS = 0, at @rip. */
static int enter_real_mode(struct vcpu *v, uint64_t rip)
{
	struct vcpu_segment seg = { .limit = 0xffff, .type = 0x3, .present = 1, .s = 1 };
	struct vcpu_sregs s;

	virt->get_sregs(v, &s);
	s.ds = s.es = s.fs = s.gs = s.ss = seg;
	seg.type = 0xb;
	s.cs = seg;
	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = rip;
	v->regs.rsp = 0x800;
	v->regs.rflags = X86_EFLAGS_FIXED;
	return virt->set_sregs(v, &s);
}

static void print_rate(const char *what, uint64_t n, uint64_t cycles, uint64_t hz)
{
	uint64_t per_s = cycles ? n * hz / cycles : 0;

	pr_info("bench: %s: %llu exits in %llu cycles, %llu cycles/exit, %llu exits/s\n", what,
		(unsigned long long)n, (unsigned long long)cycles,
		(unsigned long long)(cycles / n), (unsigned long long)per_s);
}

static void bench_in_vm(struct vm *vm, uint64_t hz)
{
	struct bench_ctx c = { .bad_exit = EXIT_NONE };
	uint64_t t0, core_cycles, bare_cycles;
	struct vcpu *v;

	if (vm_alloc_ram(vm, 0, BENCH_RAM) ||
	    vm_write_gpa(vm, BENCH_LOOP_GPA, counted_loop, sizeof(counted_loop)) ||
	    vm_write_gpa(vm, BENCH_BARE_GPA, endless_loop, sizeof(endless_loop))) {
		pr_err("bench: cannot set up guest memory\n");
		return;
	}
	v = vcpu_create(vm, 0);
	if (!v || enter_real_mode(v, BENCH_LOOP_GPA)) {
		pr_err("bench: cannot create the vcpu\n");
		return;
	}
	/* A short warm-up run, then the measured one. */
	v->regs.rsi = 100;
	vcpu_run_loop(v, bench_exit, &c);
	if (!c.done)
		goto bad_exit;
	c.done = false;
	enter_real_mode(v, BENCH_LOOP_GPA);
	v->regs.rsi = BENCH_ITERATIONS;
	t0 = rdtsc();
	vcpu_run_loop(v, bench_exit, &c);
	core_cycles = rdtsc() - t0;
	if (!c.done)
		goto bad_exit;
	print_rate("cpuid handled in the core (vcpu_run_loop)", BENCH_ITERATIONS, core_cycles, hz);
	if (v->exit_count[EXIT_CPUID] < BENCH_ITERATIONS)
		pr_warn("bench: only %llu CPUID exits counted\n",
			(unsigned long long)v->exit_count[EXIT_CPUID]);

	enter_real_mode(v, BENCH_BARE_GPA);
	virt->vcpu_load(v);
	bare_cycles = virt->bare_loop_cycles(v, BENCH_ITERATIONS);
	virt->vcpu_put(v);
	if (!bare_cycles) {
		pr_info("bench: bare round trip: not supported by the %s backend\n", virt->name);
		return;
	}
	print_rate("bare round trip (backend loop)", BENCH_ITERATIONS, bare_cycles, hz);
	/* Exits per second relative to the bare loop, in hundredths. */
	pr_info("bench: core/bare ratio: %llu.%02llu (goal >= 0.90)\n",
		(unsigned long long)(bare_cycles * 100 / core_cycles / 100),
		(unsigned long long)(bare_cycles * 100 / core_cycles % 100));
	return;

bad_exit:
	pr_err("bench: the guest stopped early (exit %s, port %#x)\n",
	       exit_reason_name(c.bad_exit), c.bad_port);
}

void bench_run(void)
{
	uint64_t hz = tsc_hz();
	struct vm *vm;

	if (!virt) {
		pr_err("bench: no virtualization backend\n");
		return;
	}
	if (!hz) {
		pr_warn("bench: TSC frequency unknown; exits/s assume 1 GHz\n");
		hz = 1000000000;
	}
	pr_info("bench: backend %s, %u iterations, TSC %llu Hz\n", virt->name, BENCH_ITERATIONS,
		(unsigned long long)hz);
	irq_enable();	/* as in normal operation: host interrupts end guest runs */
	vm = vm_create();
	if (!vm) {
		pr_err("bench: vm_create failed\n");
		return;
	}
	bench_in_vm(vm, hz);
	vm_destroy(vm);
}
