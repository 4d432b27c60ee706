/*
 * Test mode: each multiboot2 module is a test guest image (header and port
 * protocol in hv/testguest.c, tests/guests/README.md). Each gets a fresh VM,
 * one vcpu entered directly in the image's CPU mode, and this file as the
 * vcpu's owner: the exits the core leaves to its owner (port I/O, MMIO,
 * shutdown) drive the protocol. The VM is destroyed after each guest and the
 * frame count must come back, so a leak is a FAIL too.
 */
#include "hv/testmode.h"
#include "hv/testguest.h"
#include "hv/vm.h"
#include "hv/vcpu.h"
#include "hv/frame.h"
#include "hv/mm.h"
#include "hv/log.h"
#include "hv/string.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "arch/x86/virt.h"
#include "arch/x86/power.h"

#define GUEST_TIMEOUT_MS	10000	/* a whole guest, in guest-visible TSC time */
#define SPIN_MS			200	/* how long a spinning guest is left to spin */

struct testmode_ctx {
	struct tg_state st;
	uint64_t tsc_per_ms;
};

static bool exception_has_error_code(uint8_t vector)
{
	return vector == X86_DF || (vector >= X86_TS && vector <= X86_PF) || vector == X86_AC;
}

static bool testmode_exit(struct vcpu *v, struct vcpu_exit *e, void *arg)
{
	struct testmode_ctx *c = arg;
	struct tg_state *st = &c->st;
	struct tg_event ev;
	bool go;

	switch (e->reason) {
	case EXIT_IO:
		if ((uint64_t)e->io.count * e->io.size > sizeof(v->pio_data)) {
			tg_fail(st, "I/O exit with %u elements of %u bytes: more than the buffer",
				e->io.count, e->io.size);
			return false;
		}
		go = tg_io(st, e->io.port, e->io.size, e->io.in, v->pio_data, e->io.count, &ev);
		if (ev.type == TG_EVENT_EXTINT)
			vcpu_queue_interrupt(v, ev.vector);
		else if (ev.type == TG_EVENT_EXCEPTION)
			vcpu_inject_exception(v, ev.vector, exception_has_error_code(ev.vector), 0);
		if (go && st->expect == TG_EXPECT_SPIN)
			v->deadline_tsc = rdtsc() + SPIN_MS * c->tsc_per_ms;
		return go;
	case EXIT_HLT:
		return tg_hlt(st);
	case EXIT_MMIO:
		return tg_mmio(st, e->mmio.gpa, e->mmio.write);
	case EXIT_SHUTDOWN:
		return tg_shutdown(st);
	case EXIT_ENTRY_FAILED:
		tg_fail(st, "VM entry failed: %s (code %#x)", e->fail.why ? e->fail.why : "?",
			e->fail.code);
		return false;
	default:
		tg_fail(st, "unexpected exit %s (hw %#llx, qualification %#llx) at RIP %#llx",
			exit_reason_name(e->reason), (unsigned long long)e->hw_reason,
			(unsigned long long)e->hw_qual, (unsigned long long)v->regs.rip);
		return false;
	}
}

/* Sets up @vm from the validated image and runs it to its end. */
static void run_in_vm(struct testmode_ctx *c, struct vm *vm, const struct tg_header *h,
		      const void *image)
{
	struct vcpu_sregs sregs;
	struct vcpu *v;
	enum exit_reason last;
	int rc;

	rc = vm_alloc_ram(vm, 0, h->ram_size);
	if (rc) {
		tg_fail(&c->st, "vm_alloc_ram(%#llx bytes): error %d",
			(unsigned long long)h->ram_size, rc);
		return;
	}
	rc = vm_write_gpa(vm, h->load_gpa, image, h->image_size);
	if (rc) {
		tg_fail(&c->st, "vm_write_gpa: error %d", rc);
		return;
	}
	v = vcpu_create(vm, 0);
	if (!v) {
		tg_fail(&c->st, "vcpu_create failed");
		return;
	}
	virt->get_sregs(v, &sregs);
	tg_entry_state(h, &sregs, &v->regs);
	rc = virt->set_sregs(v, &sregs);
	if (rc) {
		tg_fail(&c->st, "set_sregs for mode %s: error %d", tg_mode_name(h->mode), rc);
		return;
	}
	v->deadline_tsc = rdtsc() + GUEST_TIMEOUT_MS * c->tsc_per_ms;
	last = vcpu_run_loop(v, testmode_exit, c);
	if (c->st.status == TG_RUNNING) {
		if (rdtsc() >= v->deadline_tsc)
			tg_deadline(&c->st);
		else
			tg_fail(&c->st, "the run loop returned early (last exit %s)",
				exit_reason_name(last));
	}
	if (c->st.expect == TG_EXPECT_SPIN)
		pr_info("guest %s: preempted by %llu host interrupts while spinning\n",
			c->st.name, (unsigned long long)v->exit_count[EXIT_EXTINT]);
}

/* The module's name: the first word of its string (at most 31 bytes). */
static void module_name(const struct boot_module *m, char *name, size_t len)
{
	size_t n = 0;

	while (n < len - 1 && n < sizeof(m->string) && m->string[n] && m->string[n] != ' ')
		n++;
	memcpy(name, m->string, n);
	name[n] = 0;
	if (!n)
		memcpy(name, "(unnamed)", 10);
}

static bool run_module(const struct boot_module *m, uint64_t tsc_per_ms)
{
	static struct testmode_ctx c;	/* big; one guest at a time */
	char name[32], why[128];
	struct tg_header h;
	uint64_t frames_before, frames_after;
	struct vm *vm;

	module_name(m, name, sizeof(name));
	tg_init(&c.st, name);
	c.tsc_per_ms = tsc_per_ms;
	if (m->end < m->start) {
		tg_fail(&c.st, "bad module range [%#llx, %#llx)", (unsigned long long)m->start,
			(unsigned long long)m->end);
		return tg_finish(&c.st);
	}
	if (tg_parse_header(phys_to_virt(m->start), m->end - m->start, &h, why, sizeof(why))) {
		tg_fail(&c.st, "bad header: %s", why);
		return tg_finish(&c.st);
	}
	if (!virt) {
		tg_fail(&c.st, "no virtualization backend");
		return tg_finish(&c.st);
	}
	pr_info("guest %s: mode %s, %llu KiB RAM, entry %#llx\n", name, tg_mode_name(h.mode),
		(unsigned long long)(h.ram_size / KiB), (unsigned long long)h.entry);

	frames_before = frame_free_pages();
	vm = vm_create();
	if (!vm) {
		tg_fail(&c.st, "vm_create failed");
		return tg_finish(&c.st);
	}
	run_in_vm(&c, vm, &h, phys_to_virt(m->start));
	vm_destroy(vm);
	frames_after = frame_free_pages();
	if (frames_after != frames_before)
		tg_fail(&c.st, "VM teardown: %lld frames leaked",
			(long long)(frames_before - frames_after));
	return tg_finish(&c.st);
}

/* One VM lifetime before measuring, so allocator caches that grow once (the
 * heap's pages) are not counted as a guest's leak. */
static void warm_up(void)
{
	struct vm *vm;

	if (!virt)
		return;
	vm = vm_create();
	if (!vm)
		return;
	if (!vm_alloc_ram(vm, 0, TG_MIN_RAM))
		vcpu_create(vm, 0);
	vm_destroy(vm);
}

void testmode_run(const struct boot_info *bi)
{
	uint64_t tsc_per_ms = tsc_hz() / 1000;
	unsigned int passed = 0, failed = 0;

	if (!tsc_per_ms) {
		pr_warn("testguests: TSC frequency unknown; assuming 1 GHz for deadlines\n");
		tsc_per_ms = 1000000;
	}
	pr_info("guests: running %u test guests on %s\n", bi->nr_modules,
		virt ? virt->name : "no backend");
	/* Host interrupts on: the core's timer must be able to take the CPU back
	 * from a guest that never exits (virt.h: enabled around vcpu_run). */
	irq_enable();
	warm_up();
	for (unsigned int i = 0; i < bi->nr_modules; i++) {
		if (run_module(&bi->modules[i], tsc_per_ms))
			passed++;
		else
			failed++;
	}
	pr_info("guests: %u passed, %u failed\n", passed, failed);
	power_off();
}
