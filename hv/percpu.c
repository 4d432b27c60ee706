/* Per-CPU areas: the boot CPU's is static, the others come from smp.c. */
#include "hv/percpu.h"
#include "arch/x86/cpu.h"

static struct percpu bsp_percpu __aligned(4096);

struct percpu *percpu_by_id[MAX_CPUS] = { &bsp_percpu };
volatile uint32_t cpus_online;
uint32_t cpus_possible = 1;

void percpu_install(struct percpu *pc)
{
	pc->self = pc;
	wrmsr(MSR_GS_BASE, (uintptr_t)pc);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
}
