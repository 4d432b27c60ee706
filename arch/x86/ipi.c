/*
 * Inter-processor calls and kicks. One call is in flight at a time (a global
 * lock); a CPU waiting for that lock, or for the others to finish its call,
 * keeps interrupts on, so it still runs the call another CPU sent it: two
 * CPUs calling at once cannot wait for each other forever.
 */
#include "arch/x86/ipi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/lapic.h"
#include "arch/x86/traps.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"

#define RFLAGS_IF	(1UL << 9)

static spinlock_t call_lock = SPINLOCK_INIT;
static void (*volatile call_fn)(void *);
static void *volatile call_arg;
static volatile uint32_t call_pending;

static void call_irq(struct trap_frame *tf)
{
	(void)tf;
	call_fn(call_arg);
	__atomic_fetch_sub(&call_pending, 1, __ATOMIC_RELEASE);
	lapic_eoi();
}

/* The interrupt itself is the message: the way out of it (to ring 3, out of
 * a guest, out of hlt) is where the CPU looks at its run queue and its
 * thread's kill/interrupt flags. */
static void kick_irq(struct trap_frame *tf)
{
	(void)tf;
	lapic_eoi();
}

void ipi_init(void)
{
	irq_set_handler(IPI_CALL_VECTOR, call_irq);
	irq_set_handler(IPI_KICK_VECTOR, kick_irq);
}

void ipi_call_others(void (*fn)(void *), void *arg)
{
	struct percpu *me = this_cpu();
	uint32_t targets = 0;

	ASSERT(read_rflags() & RFLAGS_IF);
	while (!spin_trylock(&call_lock))
		cpu_relax();	/* interrupts on: calls from the lock holder still run here */
	call_fn = fn;
	call_arg = arg;
	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct percpu *pc = percpu_by_id[cpu];

		if (pc && pc != me && __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
			targets++;
	}
	__atomic_store_n(&call_pending, targets, __ATOMIC_RELEASE);
	for (uint32_t cpu = 0; cpu < MAX_CPUS; cpu++) {
		struct percpu *pc = percpu_by_id[cpu];

		if (pc && pc != me && __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
			lapic_send_ipi(pc->apic_id, IPI_CALL_VECTOR);
	}
	while (__atomic_load_n(&call_pending, __ATOMIC_ACQUIRE))
		cpu_relax();
	spin_unlock(&call_lock);
}

void ipi_kick(uint32_t cpu)
{
	struct percpu *pc = cpu < MAX_CPUS ? percpu_by_id[cpu] : NULL;

	if (pc && __atomic_load_n(&pc->online, __ATOMIC_ACQUIRE))
		lapic_send_ipi(pc->apic_id, IPI_KICK_VECTOR);
}
