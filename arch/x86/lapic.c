/*
 * Local APIC access. x2APIC is preferred (MSR access, 32-bit IDs, no MMIO
 * mapping); the boot CPU decides the mode and every other CPU follows it, so
 * IPIs address all CPUs the same way.
 */
#include "arch/x86/lapic.h"
#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/madt.h"
#include "arch/x86/traps.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/panic.h"

#define APIC_BASE_BSP		(1ULL << 8)
#define APIC_BASE_EXTD		(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_EN		(1ULL << 11)
#define APIC_BASE_ADDR_MASK	0x000FFFFFFFFFF000ULL
#define X2APIC_MSR_BASE		0x800
#define X2APIC_ICR_MSR		0x830

#define SVR_ENABLE		(1u << 8)
#define ICR_FIXED		(0u << 8)
#define ICR_NMI			(4u << 8)
#define ICR_INIT		(5u << 8)
#define ICR_STARTUP		(6u << 8)
#define ICR_PENDING		(1u << 12)	/* xAPIC only */
#define ICR_ASSERT		(1u << 14)
/* Bounded wait for the xAPIC ICR: real APICs accept an IPI within microseconds. */
#define ICR_WAIT_LIMIT		1000000

/* MPS INTI flags of MADT NMI entries. */
#define INTI_POLARITY_MASK	0x3
#define INTI_ACTIVE_LOW		0x3

static bool x2apic;
static bool mode_chosen;
static volatile uint8_t *xapic_mmio;

bool lapic_is_x2apic(void)
{
	return x2apic;
}

uint32_t lapic_read(uint32_t reg)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return *(volatile uint32_t *)(xapic_mmio + reg);
}

void lapic_write(uint32_t reg, uint32_t val)
{
	if (x2apic)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), val);
	else
		*(volatile uint32_t *)(xapic_mmio + reg) = val;
}

uint32_t lapic_id(void)
{
	if (x2apic)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (LAPIC_ID >> 4));
	return lapic_read(LAPIC_ID) >> 24;
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

static void icr_send(uint32_t apic_id, uint32_t low)
{
	uint64_t flags;
	int n;

	if (x2apic) {
		/* x2APIC MSR writes are not serializing: make earlier stores (an AP's
		 * start parameters, a message) visible before the IPI can land. */
		__asm__ volatile("mfence; lfence" ::: "memory");
		wrmsr(X2APIC_ICR_MSR, ((uint64_t)apic_id << 32) | low);
		return;
	}
	/* Two register writes make one IPI: an interrupt in between must not send its own. */
	flags = read_rflags();
	irq_disable();
	for (n = 0; (lapic_read(LAPIC_ICR) & ICR_PENDING) && n < ICR_WAIT_LIMIT; n++)
		cpu_relax();
	lapic_write(LAPIC_ICR_HIGH, apic_id << 24);
	lapic_write(LAPIC_ICR, low);
	for (n = 0; (lapic_read(LAPIC_ICR) & ICR_PENDING) && n < ICR_WAIT_LIMIT; n++)
		cpu_relax();
	if (n == ICR_WAIT_LIMIT)
		pr_warn("lapic: IPI %#x to APIC %u still pending\n", low, apic_id);
	if (flags & (1u << 9))
		irq_enable();
}

void lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	ASSERT(vector >= 32);
	icr_send(apic_id, ICR_FIXED | ICR_ASSERT | vector);
}

void lapic_send_nmi(uint32_t apic_id)
{
	icr_send(apic_id, ICR_NMI | ICR_ASSERT);
}

void lapic_send_init(uint32_t apic_id)
{
	icr_send(apic_id, ICR_INIT | ICR_ASSERT);
}

void lapic_send_sipi(uint32_t apic_id, uint8_t start_page)
{
	icr_send(apic_id, ICR_STARTUP | start_page);
}

static void lapic_error_irq(struct trap_frame *tf)
{
	uint32_t esr;

	(void)tf;
	lapic_write(LAPIC_ESR, 0);	/* latches the current errors into ESR */
	esr = lapic_read(LAPIC_ESR);
	pr_warn("lapic: APIC error %#x on APIC %u\n", esr, lapic_id());
	lapic_eoi();
}

/* Spurious interrupts are not in service: no EOI (SDM 10.9). */
static void lapic_spurious_irq(struct trap_frame *tf)
{
	(void)tf;
}

/* NMI wiring of LINT0/1 from the MADT for the CPU with @acpi_uid. */
static uint32_t lint_nmi_lvt(const struct madt_info *m, bool have_uid, uint32_t acpi_uid,
			     unsigned int lint)
{
	if (!m)
		return LAPIC_LVT_MASKED;
	for (unsigned int i = 0; i < m->nr_nmis; i++) {
		const struct madt_nmi *n = &m->nmis[i];

		if (n->is_gsi || n->lint != lint)
			continue;
		if (n->acpi_uid != MADT_NMI_ALL_CPUS && (!have_uid || n->acpi_uid != acpi_uid))
			continue;
		/* NMI delivery is always edge-triggered; only the polarity matters. */
		if ((n->flags & INTI_POLARITY_MASK) == INTI_ACTIVE_LOW)
			return LAPIC_LVT_NMI | LAPIC_LVT_ACTIVE_LOW;
		return LAPIC_LVT_NMI;
	}
	return LAPIC_LVT_MASKED;
}

static void choose_mode(uint64_t base)
{
	paddr_t pa = base & APIC_BASE_ADDR_MASK;

	x2apic = cpu_features.x2apic;
	if (!x2apic) {
		/* The direct map covers the low 4 GiB, where every LAPIC sits. */
		if (pa >= 4ULL * GiB)
			panic("lapic: xAPIC registers at %#lx are outside the direct map", pa);
		xapic_mmio = phys_to_virt(pa);
	}
	mode_chosen = true;
	irq_set_handler(LAPIC_ERROR_VECTOR, lapic_error_irq);
	irq_set_handler(LAPIC_SPURIOUS_VECTOR, lapic_spurious_irq);
}

void lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	const struct madt_info *m = acpi_madt();
	uint32_t id, uid = 0, maxlvt;
	bool have_uid = false;

	if (!mode_chosen)
		choose_mode(base);
	/* Global enable first: x2APIC mode may only be entered from xAPIC mode. */
	if (!(base & APIC_BASE_EN)) {
		base |= APIC_BASE_EN;
		wrmsr(MSR_APIC_BASE, base);
	}
	if (x2apic && !(base & APIC_BASE_EXTD))
		wrmsr(MSR_APIC_BASE, base | APIC_BASE_EXTD);

	/* Software enable before the LVTs: while disabled their mask bits cannot be cleared. */
	lapic_write(LAPIC_SVR, SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	lapic_write(LAPIC_TPR, 0);

	maxlvt = (lapic_read(LAPIC_VERSION) >> 16) & 0xFF;
	lapic_write(LAPIC_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	lapic_write(LAPIC_TIMER_DIVIDE, LAPIC_TIMER_DIVIDE_16);
	/* Registers beyond the advertised LVT count fault in x2APIC mode. */
	if (maxlvt >= 4)
		lapic_write(LAPIC_LVT_PERF, LAPIC_LVT_MASKED);
	if (maxlvt >= 5)
		lapic_write(LAPIC_LVT_THERMAL, LAPIC_LVT_MASKED);
	if (maxlvt >= 6)
		lapic_write(LAPIC_LVT_CMCI, LAPIC_LVT_MASKED);

	/* LINT0 carries the (masked) PICs' ExtINT in virtual-wire mode: keep it off.
	 * LINTs the MADT declares as NMI inputs are honoured. */
	id = lapic_id();
	for (unsigned int i = 0; m && i < m->nr_cpus; i++) {
		if (m->cpus[i].apic_id == id) {
			uid = m->cpus[i].acpi_uid;
			have_uid = true;
		}
	}
	lapic_write(LAPIC_LVT_LINT0, lint_nmi_lvt(m, have_uid, uid, 0));
	lapic_write(LAPIC_LVT_LINT1, lint_nmi_lvt(m, have_uid, uid, 1));

	/* Clear errors left by firmware (xAPIC needs the write before each read). */
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_ESR, 0);
	lapic_write(LAPIC_LVT_ERROR, LAPIC_ERROR_VECTOR);
	lapic_eoi();	/* drop anything firmware left in service */
	pr_debug("lapic: APIC %u enabled (%s%s, %u LVTs)\n", id, x2apic ? "x2apic" : "xapic",
		 (base & APIC_BASE_BSP) ? ", BSP" : "", maxlvt + 1);
}
