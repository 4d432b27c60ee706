/* Exceptions and interrupts: the saved register frame, handlers, fatal-error plumbing. */
#ifndef ARCH_X86_TRAPS_H
#define ARCH_X86_TRAPS_H

#define VEC_DE		0
#define VEC_DB		1
#define VEC_NMI		2
#define VEC_BP		3
#define VEC_UD		6
#define VEC_DF		8
#define VEC_GP		13
#define VEC_PF		14
#define VEC_MC		18
#define VEC_FIRST_IRQ	32
#define NR_VECTORS	256

/* Every trap stub is this many bytes long, so stub N sits at trap_stubs + N * TRAP_STUB_SIZE. */
#define TRAP_STUB_SIZE	16

#ifndef __ASSEMBLY__
#include "hv/types.h"

/*
 * What traps.S saves on entry, lowest address first: the general registers in
 * reverse push order, the vector and error code (0 where the CPU pushes none),
 * then the frame the CPU pushed.
 */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8, "traps.S pushes 22 quadwords");

struct percpu;

/* Entry points of all 256 vectors, TRAP_STUB_SIZE bytes apart (traps.S). */
extern const char trap_stubs[];

/*
 * Registers @handler for @vector (32..255) on all CPUs. The handler runs with
 * interrupts off on the interrupted stack and must send the EOI itself.
 * Passing NULL unregisters. Vectors below 32 are exceptions and are refused.
 */
void irq_set_handler(uint8_t vector, void (*handler)(struct trap_frame *tf));

/* Fills @idt with gates to the trap stubs (NMI, #DF and #MC on their IST stacks). */
struct idt_gate;
void idt_fill(struct idt_gate *idt);

/* Called by traps.S for every vector. */
void trap_dispatch(struct trap_frame *tf);
/* Called by trap_dispatch for vectors >= 32. */
void irq_dispatch(struct trap_frame *tf);

/*
 * This CPU's per-CPU area if GS base points at a sane one, else NULL: fatal
 * paths must not trust GS (a fault may come from code that broke it).
 */
struct percpu *trap_this_cpu(void);

/*
 * Fatal-error bookkeeping shared by the fault handler and panic(): returns how
 * many fatal errors this CPU was already handling (0 for the first one), so a
 * fault while reporting a fault does not recurse.
 */
unsigned int fatal_enter(void);
/* Ends a fatal error on this CPU: powers the machine off when panic=poweroff, else halts. */
__noreturn void fatal_stop(void);

/* NMIs taken so far, all CPUs (they are counted, not reported: see trap_dispatch). */
extern uint64_t nmi_count;

/* rdmsr that returns false instead of faulting when the MSR does not exist. */
bool rdmsr_safe(uint32_t msr, uint64_t *value);
#endif

#endif
