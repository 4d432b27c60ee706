/* Per-CPU data. GS base points at the current CPU's struct percpu. */
#ifndef HV_PERCPU_H
#define HV_PERCPU_H

#include "hv/types.h"
#include "arch/x86/cpu_tables.h"

struct thread;
struct runqueue;

#define MAX_CPUS	64
#define KSTACK_SIZE	(16 * 1024)

struct percpu {
	struct percpu *self;		/* must stay first: read through %gs:0 */
	/* Scratch of syscall_entry.S, at fixed offsets (checked in syscall_init.c). */
	uintptr_t entry_rsp;		/* top of the running user thread's kernel stack */
	uintptr_t user_rsp;		/* ring-3 rsp while syscall_entry switches stacks */
	uint32_t cpu_id;		/* 0 = boot CPU, then in MADT order */
	uint32_t apic_id;
	uintptr_t kstack_top;		/* this CPU's main (idle) stack */
	volatile bool online;
	/* TSC when this CPU last entered a guest, 0 while it runs host code: the
	 * guest watchdog (hv/vcpu_run.c) kicks a CPU that stays in a guest too long. */
	volatile uint64_t guest_entered_tsc;
	/* Scheduler (hv/sched.c): only this CPU writes them, with interrupts off. */
	struct thread *current;		/* NULL until sched_init() (boot CPU) or sched_run_cpu() */
	struct thread *idle;
	struct runqueue *rq;
	struct thread *switch_prev;	/* the thread switched away from, for sched_finish_switch */
	bool switch_migrate;		/* ... and it must go to another CPU's queue */
	volatile bool need_resched;	/* also set by other CPUs before they kick this one */
	volatile bool sched_running;	/* in sched_run_cpu: the timer is the scheduler's */
	uint64_t timer_armed_ns;	/* when the one-shot timer fires; 0: not armed */
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
