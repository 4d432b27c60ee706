/*
 * The NMI tick. A guest normally comes back to the core by the LAPIC timer's
 * external-interrupt exit, and the guest watchdog (hv/vcpu_run.c) NMIs a CPU
 * that stays in a guest too long from another CPU's timer tick. That leaves
 * one hole: every CPU inside a guest whose timer interrupt does not exit.
 * Bochs' VMX is such a platform (after a VM entry that loads RFLAGS.IF=0 it
 * no longer delivers LAPIC interrupts to the guest), so a guest spinning with
 * interrupts off on each CPU, or on the only one, would stop the machine.
 * An NMI always exits. The PIT pulses ISA IRQ 0 and the IOAPIC turns each
 * pulse into an NMI on the boot CPU: there the NMI exit brings the core back,
 * the pending timer interrupt runs the scheduler tick and with it the guest
 * watchdog, which NMIs the other CPUs. The NMI itself only counts (traps.c).
 */
#include "arch/x86/nmi_tick.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/lapic.h"
#include "arch/x86/pit.h"
#include "hv/log.h"

#define ISA_IRQ_PIT	0

bool nmi_tick_start(void)
{
	if (!ioapic_route_isa_irq_nmi(ISA_IRQ_PIT, lapic_id()))
		return false;
	pit_start_periodic(NMI_TICK_HZ);
	pr_debug("nmi tick: %u Hz from the PIT through the IOAPIC\n", NMI_TICK_HZ);
	return true;
}
