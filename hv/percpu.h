/* Per-CPU data. GS base points at the current CPU's struct percpu. */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include "hv/types.h"
#include "arch/x86/cpu_tables.h"

#define MAX_CPUS	64
#define KSTACK_SIZE	(16 * 1024)

struct percpu {
	struct percpu *self;		/* must stay first: read through %gs:0 */
	uint32_t cpu_id;		/* 0 = boot CPU, then in MADT order */
	uint32_t apic_id;
	uintptr_t kstack_top;		/* this CPU's main (idle) stack */
	volatile bool online;
	/* TSC when this CPU last entered a guest, 0 while it runs host code: the
	 * guest watchdog (hv/vcpu_run.c) kicks a CPU that stays in a guest too long. */
	volatile uint64_t guest_entered_tsc;
	struct cpu_tables tables;	/* GDT, TSS, IDT and IST stacks */
};

extern struct percpu *percpu_by_id[MAX_CPUS];
extern volatile uint32_t cpus_online;
extern uint32_t cpus_possible;

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;

	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
	return p;
}

/* Installs @pc as this CPU's per-CPU area (writes GS base). */
void percpu_install(struct percpu *pc);

#endif
