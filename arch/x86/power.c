/* power_off(): the ways a PC can be switched off, most standard first. */
#include "arch/x86/power.h"
#include "arch/x86/cpu.h"
#include "hv/log.h"

#define QEMU_DEBUG_EXIT_PORT	0xf4
#define BOCHS_SHUTDOWN_PORT	0x8900

__noreturn void power_off(void)
{
	irq_disable();
	/* QEMU with -device isa-debug-exit: the process exits at once. */
	outl(QEMU_DEBUG_EXIT_PORT, 0);
	/* Bochs ends the simulation on the string "Shutdown" at this port. */
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, *s);
	pr_err("power off failed; halting\n");
	cpu_stop();
}
