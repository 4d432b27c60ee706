/*
 * Backtraces for fault dumps and panics. Everything here may run after the
 * core's state is already broken, so nothing is dereferenced before it has
 * been checked to be mapped and to lie on the stack being walked.
 */
#include <stdarg.h>
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"
#include "boot/layout.h"
#include "hv/console.h"
#include "hv/format.h"
#include "hv/mm.h"
#include "hv/percpu.h"

#define PTE_PRESENT	0x1UL
#define PTE_LARGE	0x80UL
#define PTE_ADDR_MASK	0x000ffffffffff000UL
#define CR4_LA57	(1UL << 12)

/* Linker symbols (linker.ld): the boot CPU's stack lives in .bss. */
extern char _bss_start[], _bss_end[], _text_start[], _text_end[];

static bool is_canonical(uintptr_t va)
{
	int64_t top = (int64_t)va >> 47;

	return top == 0 || top == -1;
}

bool kernel_va_mapped(uintptr_t va)
{
	uint64_t table;

	/* The walk below knows 4-level paging only; say "no" rather than guess. */
	if (!is_canonical(va) || (read_cr4() & CR4_LA57))
		return false;
	table = read_cr3() & PTE_ADDR_MASK;
	for (int level = 3; level >= 0; level--) {
		unsigned int idx = (va >> (PAGE_SHIFT + 9 * level)) & 511;
		/* Page-table frames are RAM, and all RAM is in the direct map (hv/mm.h). */
		uint64_t e = ((const volatile uint64_t *)phys_to_virt(table))[idx];

		if (!(e & PTE_PRESENT))
			return false;
		if (level == 0 || (level <= 2 && (e & PTE_LARGE)))
			return true;
		table = e & PTE_ADDR_MASK;
	}
	return false;
}

void dump_printf(const char *fmt, ...)
{
	char line[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	console_write(line, n);
}

static bool in_range(uintptr_t sp, uintptr_t lo, uintptr_t hi)
{
	return sp >= lo && sp < hi;
}

/*
 * The top of the stack @sp is on: this CPU's IST stacks or main stack, or the
 * boot stack in .bss. Returns 0 for anything else (the walk is then skipped).
 */
static uintptr_t stack_top_of(uintptr_t sp)
{
	struct percpu *pc = trap_this_cpu();

	if (pc) {
		for (int i = 0; i < IST_COUNT; i++) {
			uintptr_t lo = (uintptr_t)pc->tables.ist_stacks[i];

			if (in_range(sp, lo, lo + IST_STACK_SIZE))
				return lo + IST_STACK_SIZE;
		}
		if (pc->kstack_top && in_range(sp, pc->kstack_top - KSTACK_SIZE, pc->kstack_top))
			return pc->kstack_top;
	}
	/*
	 * The boot stack's own bounds are private to boot/entry.S; the most it can
	 * span above @sp is BOOT_STACK_SIZE, and it never extends past .bss.
	 */
	if (in_range(sp, (uintptr_t)_bss_start, (uintptr_t)_bss_end))
		return MIN(sp + BOOT_STACK_SIZE, (uintptr_t)_bss_end);
	return 0;
}

static bool in_text(uintptr_t addr)
{
	return in_range(addr, (uintptr_t)_text_start, (uintptr_t)_text_end);
}

static bool frame_ok(uintptr_t fp, uintptr_t lo, uintptr_t hi)
{
	/* A record is two quadwords, {saved rbp, return address}. */
	return is_canonical(fp) && IS_ALIGNED(fp, 8) && fp >= lo && fp + 16 <= hi &&
	       kernel_va_mapped(fp) && kernel_va_mapped(fp + 8);
}

void backtrace_print(uintptr_t rbp, uintptr_t sp)
{
	uintptr_t top = stack_top_of(sp);
	uintptr_t fp = rbp;
	int n;

	dump_printf("backtrace:\n");
	if (!top) {
		dump_printf("  (stack pointer %#lx is on no known stack)\n", sp);
		return;
	}
	/*
	 * GCC omits the frame of leaf functions even with -fno-omit-frame-pointer,
	 * so a fault in one leaves its caller out of the chain. If the word at the
	 * stack pointer looks like a return address, show it, marked as a guess.
	 */
	if (sp != fp && frame_ok(sp, sp, top) && in_text(*(const uintptr_t *)sp) &&
	    !(frame_ok(fp, sp, top) && ((const uintptr_t *)fp)[1] == *(const uintptr_t *)sp))
		dump_printf("  %#018lx ? (at the stack pointer: maybe a leaf function's caller)\n",
			    *(const uintptr_t *)sp);
	for (n = 0; n < BACKTRACE_MAX_FRAMES && fp; n++) {
		const uintptr_t *rec = (const uintptr_t *)fp;
		uintptr_t ret, next;

		if (!frame_ok(fp, sp, top)) {
			dump_printf("  (bad frame pointer %#lx)\n", fp);
			return;
		}
		next = rec[0];
		ret = rec[1];
		if (!ret)
			break;
		dump_printf("  %#018lx%s\n", ret, in_text(ret) ? "" : "  (outside the core's code)");
		/* Callers' frames are higher up; anything else would loop or wander. */
		if (next && next <= fp) {
			dump_printf("  (frame pointer %#lx does not move up the stack)\n", next);
			return;
		}
		fp = next;
	}
	if (n == BACKTRACE_MAX_FRAMES && fp)
		dump_printf("  ...\n");
}
