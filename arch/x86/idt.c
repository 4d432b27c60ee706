/*
 * Interrupt descriptor tables and the handlers of vectors 32..255. Each CPU
 * has its own IDT (in struct cpu_tables) but all point at the same stubs, and
 * the handler table is shared: a vector means the same thing on every CPU.
 */
#include "arch/x86/cpu_tables.h"
#include "arch/x86/traps.h"
#include "hv/log.h"
#include "hv/percpu.h"

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 64-bit interrupt gate: IF cleared on entry */

typedef void (*irq_handler_t)(struct trap_frame *tf);

static irq_handler_t irq_handlers[NR_VECTORS];
/* One report per unhandled vector: a stuck interrupt source must not drown the console. */
static uint8_t irq_unhandled_reported[NR_VECTORS / 8];

static uint8_t ist_of(unsigned int vector)
{
	switch (vector) {
	case VEC_NMI:
		return IST_NMI;
	case VEC_DF:
		/* The stack may be what failed: a known-good one is the only way to report it. */
		return IST_DOUBLE_FAULT;
	case VEC_MC:
		return IST_MACHINE_CHECK;
	case VEC_DB:
		/* SYSCALL with RFLAGS.TF set traps right after it, at the first
		 * instruction of the syscall entry: still on the user's stack. */
		return IST_DEBUG;
	default:
		return 0;
	}
}

/*
 * int3 and into are meant to be executed by ring 3 (debuggers, overflow
 * checks): their gates have DPL 3, so they arrive as #BP/#OF and end the
 * process with SIGTRAP/SIGSEGV as on Linux. Every other `int n` from ring 3
 * is refused by the CPU with #GP.
 */
static uint8_t user_callable(unsigned int vector)
{
	return vector == VEC_BP || vector == 4 ? 3 << 5 : 0;
}

void idt_fill(struct idt_gate *idt)
{
	for (unsigned int v = 0; v < NR_VECTORS; v++) {
		uintptr_t entry = (uintptr_t)trap_stubs + v * TRAP_STUB_SIZE;

		idt[v] = (struct idt_gate) {
			.offset_low = entry & 0xffff,
			.selector = GDT_KERNEL_CODE,
			.ist = ist_of(v),
			.type_attr = GATE_INTERRUPT | user_callable(v),
			.offset_mid = (entry >> 16) & 0xffff,
			.offset_high = entry >> 32,
			.reserved = 0,
		};
	}
}

void irq_set_handler(uint8_t vector, void (*handler)(struct trap_frame *tf))
{
	if (vector < VEC_FIRST_IRQ) {
		pr_err("irq_set_handler: vector %u is an exception, not an interrupt; ignored\n",
		       vector);
		return;
	}
	__atomic_store_n(&irq_handlers[vector], handler, __ATOMIC_RELEASE);
}

void irq_dispatch(struct trap_frame *tf)
{
	unsigned int v = tf->vector;
	irq_handler_t handler = __atomic_load_n(&irq_handlers[v], __ATOMIC_ACQUIRE);
	struct percpu *pc;

	if (handler) {
		handler(tf);
		return;
	}
	if (__atomic_fetch_or(&irq_unhandled_reported[v / 8], 1 << (v % 8), __ATOMIC_RELAXED) &
	    (1 << (v % 8)))
		return;
	pc = trap_this_cpu();
	/* Nobody owns the source, so nobody can EOI it either: say so once and carry on. */
	pr_warn("unhandled interrupt vector %u (%#x) on cpu %u at rip %#lx; not reported again\n",
		v, v, pc ? pc->cpu_id : 0, tf->rip);
}
