/*
 * Bringing up the application processors listed in the MADT, one at a time:
 * each gets a per-CPU area and a stack, then INIT-SIPI-SIPI through the
 * real-mode trampoline, and the boot CPU waits until it reports online.
 */
#include "arch/x86/smp.h"
#include "arch/x86/virt.h"

#define AP_TICK_NS	(10 * 1000 * 1000)
#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/lapic.h"
#include "arch/x86/madt.h"
#include "arch/x86/paging.h"
#include "arch/x86/tsc.h"
#include "boot/trampoline.h"
#include "hv/cmdline.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/panic.h"
#include "hv/percpu.h"
#include "hv/sched.h"
#include "hv/string.h"

/* MP start-up delays (Intel SDM 8.4.4.1): 10 ms after INIT, 200 us after each SIPI. */
#define INIT_DELAY_US		10000
#define SIPI_DELAY_US		200
/* An AP that is not online this long after its second SIPI is given up on. */
#define AP_TIMEOUT_US		1000000

#define KSTACK_ORDER		2
_Static_assert((PAGE_SIZE << KSTACK_ORDER) == KSTACK_SIZE, "AP stacks come from frame_alloc");

static uint64_t kernel_cr3;

static struct trampoline_params *tramp_params(void)
{
	return phys_to_virt(TRAMPOLINE_PA + (trampoline_params - trampoline_start));
}

/* First C code of an AP, on its own stack with the boot page tables. */
static __noreturn void ap_entry(struct percpu *pc)
{
	if (read_cr3() != kernel_cr3)
		write_cr3(kernel_cr3);
	percpu_install(pc);
	cpu_tables_init(pc);
	cpu_features_enable();
	lapic_init();
	/* The backend chosen on the boot CPU, before this CPU reports online. */
	if (virt && virt_init_ap() != 0)
		pr_warn("smp: cpu %u: %s could not be enabled; no guests will run on it\n",
			pc->cpu_id, virt->name);
	/* A CPU that was given up on may wake up late with another CPU's
	 * parameters: it must not run on that CPU's stack and identity. */
	if (lapic_id() != pc->apic_id) {
		pr_err("smp: CPU with APIC ID %u started with the parameters of APIC ID %u; "
		       "stopping it\n", lapic_id(), pc->apic_id);
		cpu_stop();
	}
	__atomic_store_n(&pc->online, true, __ATOMIC_RELEASE);
	__atomic_fetch_add(&cpus_online, 1, __ATOMIC_SEQ_CST);
	/* A slow tick while idle: it drives the guest watchdog (hv/vcpu_run.c). */
	lapic_timer_periodic_ns(AP_TICK_NS);
	/* Idle until kernel_main starts the scheduler (it kicks every CPU then). */
	for (;;) {
		irq_disable();
		if (sched_started())
			sched_run_cpu();
		__asm__ volatile("sti; hlt" ::: "memory");
	}
}

static void install_trampoline(void)
{
	size_t size = trampoline_end - trampoline_start;

	ASSERT(size <= PAGE_SIZE);
	memcpy(phys_to_virt(TRAMPOLINE_PA), trampoline_start, size);
}

/* Starts the CPU with @apic_id as cpu_id @id. Returns false if it did not come up. */
static bool start_cpu(uint32_t apic_id, uint32_t id)
{
	struct trampoline_params *tp = tramp_params();
	struct percpu *pc = kzalloc(sizeof(*pc));
	paddr_t stack = frame_alloc(KSTACK_ORDER);
	uint64_t start;

	if (!pc || stack == FRAME_NONE) {
		pr_warn("smp: out of memory for CPU with APIC ID %u; not started\n", apic_id);
		if (pc)
			kfree(pc);
		if (stack != FRAME_NONE)
			frame_free(stack, KSTACK_ORDER);
		return false;
	}
	pc->cpu_id = id;
	pc->apic_id = apic_id;
	pc->kstack_top = (uintptr_t)phys_to_virt(stack) + KSTACK_SIZE;

	/* The boot tables: below 4 GiB and with the identity map the trampoline runs on. */
	tp->cr3 = paging_kernel_cr3();
	tp->efer = rdmsr(MSR_EFER) & (EFER_LME | EFER_NXE);
	tp->stack = pc->kstack_top;
	tp->percpu = (uintptr_t)pc;
	tp->entry = (uintptr_t)ap_entry;

	lapic_send_init(apic_id);
	tsc_delay_us(INIT_DELAY_US);
	/* The second SIPI is architectural: a CPU that missed the first takes
	 * it; one that is already running ignores it. */
	for (int i = 0; i < 2; i++) {
		lapic_send_sipi(apic_id, TRAMPOLINE_PA >> PAGE_SHIFT);
		tsc_delay_us(SIPI_DELAY_US);
	}
	start = rdtsc();
	while (!__atomic_load_n(&pc->online, __ATOMIC_ACQUIRE)) {
		if (rdtsc() - start > tsc_ns_to_ticks(AP_TIMEOUT_US * 1000ULL)) {
			pr_warn("smp: CPU with APIC ID %u did not come up; skipped\n", apic_id);
			/* Back to wait-for-SIPI, so it cannot run into the next CPU's
			 * start. Its memory stays allocated: it might still touch it. */
			lapic_send_init(apic_id);
			return false;
		}
		cpu_relax();
	}
	percpu_by_id[id] = pc;
	return true;
}

void smp_boot(void)
{
	const struct madt_info *m = acpi_madt();
	struct percpu *bsp = this_cpu();
	unsigned int limit = MAX_CPUS, not_started = 0;
	bool bsp_listed = false;

	bsp->apic_id = lapic_id();
	__atomic_store_n(&bsp->online, true, __ATOMIC_RELEASE);
	__atomic_store_n(&cpus_online, 1, __ATOMIC_SEQ_CST);
	cpus_possible = 1;
	if (core_options.smp && core_options.smp < limit)
		limit = core_options.smp;
	kernel_cr3 = read_cr3();

	if (m && limit > 1)
		install_trampoline();
	for (unsigned int i = 0; m && i < m->nr_cpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];

		if (c->apic_id == bsp->apic_id) {
			bsp_listed = true;
			continue;
		}
		if (!c->enabled)
			continue;	/* hot-pluggable later, not present now */
		if (cpus_possible >= limit) {
			not_started++;
			continue;
		}
		if (!lapic_is_x2apic() && c->apic_id > 0xFE) {
			pr_warn("smp: APIC ID %u needs x2APIC mode; CPU not started\n", c->apic_id);
			continue;
		}
		if (start_cpu(c->apic_id, cpus_possible))
			cpus_possible++;
	}
	if (m && !bsp_listed)
		pr_warn("smp: the boot CPU (APIC ID %u) is not in the MADT\n", bsp->apic_id);
	if (not_started)
		pr_info("smp: %u more CPU(s) not started (limit %u: smp= or MAX_CPUS)\n",
			not_started, limit);
	pr_info("cpus: %u online\n", __atomic_load_n(&cpus_online, __ATOMIC_SEQ_CST));
}
