/* Starting the other CPUs. */
#ifndef ARCH_X86_SMP_H
#define ARCH_X86_SMP_H

/*
 * Starts every enabled CPU of the MADT (at most MAX_CPUS, and at most smp=
 * when given), fills percpu_by_id[] and cpus_possible, and prints
 * "cpus: N online". A CPU that does not come up is reported and skipped.
 * @pre acpi_init(), tsc_init() and lapic_init() ran on the boot CPU, and the
 * frame allocator and heap are up.
 */
void smp_boot(void);

#endif
