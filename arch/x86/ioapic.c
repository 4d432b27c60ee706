/*
 * I/O APIC programming through the direct map (the MMIO window lies in the
 * low 4 GiB the core maps, as for the xAPIC). Each IOAPIC is reached through
 * an index register and a data window; the redirection table has two 32-bit
 * registers per pin.
 */
#include "arch/x86/ioapic.h"
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"
#include "hv/mm.h"
#include "hv/log.h"
#include "hv/spinlock.h"

#define IOAPIC_REGSEL		0x00
#define IOAPIC_WINDOW		0x10

#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_REDIR(pin)	(0x10 + 2 * (pin))

#define REDIR_DELIVERY_NMI	(4u << 8)
#define REDIR_ACTIVE_LOW	(1u << 13)
#define REDIR_LEVEL		(1u << 15)
#define REDIR_MASKED		(1u << 16)

/* MPS INTI flags of an interrupt source override. */
#define INTI_POLARITY_MASK	0x3
#define INTI_POLARITY_LOW	0x3
#define INTI_TRIGGER_MASK	0xc
#define INTI_TRIGGER_LEVEL	0xc

struct ioapic {
	volatile uint32_t *mmio;
	uint32_t gsi_base;
	unsigned int pins;
};

static struct ioapic ioapics[MADT_MAX_IOAPICS];
static unsigned int nr_ioapics;
/* The index/data pair is not atomic: one access sequence at a time. */
static spinlock_t ioapic_lock = SPINLOCK_INIT;

static uint32_t ioapic_read(const struct ioapic *io, uint32_t reg)
{
	io->mmio[IOAPIC_REGSEL / 4] = reg;
	return io->mmio[IOAPIC_WINDOW / 4];
}

static void ioapic_write(const struct ioapic *io, uint32_t reg, uint32_t val)
{
	io->mmio[IOAPIC_REGSEL / 4] = reg;
	io->mmio[IOAPIC_WINDOW / 4] = val;
}

void ioapic_init(void)
{
	const struct madt_info *m = acpi_madt();

	if (!m || m->nr_ioapics == 0) {
		pr_warn("ioapic: none described by ACPI; device interrupts stay off\n");
		return;
	}
	uint64_t flags = spin_lock_irqsave(&ioapic_lock);

	for (unsigned int i = 0; i < m->nr_ioapics; i++) {
		struct ioapic *io = &ioapics[nr_ioapics];
		uint32_t ver;

		io->mmio = phys_to_virt(m->ioapics[i].addr);
		io->gsi_base = m->ioapics[i].gsi_base;
		ver = ioapic_read(io, IOAPIC_REG_VERSION);
		if (ver == 0xffffffffu) {
			/* Nothing decodes that address: a firmware table error. */
			pr_warn("ioapic: id %u at %#x does not answer; ignored\n",
				m->ioapics[i].id, m->ioapics[i].addr);
			continue;
		}
		io->pins = ((ver >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < io->pins; pin++) {
			ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, 0);
			ioapic_write(io, IOAPIC_REG_REDIR(pin), REDIR_MASKED);
		}
		pr_debug("ioapic: id %u at %#x, GSIs %u-%u, all masked\n", m->ioapics[i].id,
			 m->ioapics[i].addr, io->gsi_base, io->gsi_base + io->pins - 1);
		nr_ioapics++;
	}
	spin_unlock_irqrestore(&ioapic_lock, flags);
}

static struct ioapic *ioapic_for_gsi(uint32_t gsi)
{
	for (unsigned int i = 0; i < nr_ioapics; i++) {
		if (gsi >= ioapics[i].gsi_base && gsi - ioapics[i].gsi_base < ioapics[i].pins)
			return &ioapics[i];
	}
	return NULL;
}

/* Programs ISA IRQ @irq's pin with the low word @redir (delivery mode and
 * vector; polarity and trigger come from the MADT) for @apic_id. */
static bool route_isa_irq(unsigned int irq, uint32_t redir, uint32_t apic_id)
{
	const struct madt_info *m = acpi_madt();
	uint32_t gsi = irq;

	if (m) {
		for (unsigned int i = 0; i < m->nr_overrides; i++) {
			const struct madt_override *o = &m->overrides[i];

			if (o->bus != 0 || o->source_irq != irq)
				continue;
			gsi = o->gsi;
			if ((o->flags & INTI_POLARITY_MASK) == INTI_POLARITY_LOW)
				redir |= REDIR_ACTIVE_LOW;
			if ((o->flags & INTI_TRIGGER_MASK) == INTI_TRIGGER_LEVEL)
				redir |= REDIR_LEVEL;
			break;
		}
	}
	if (apic_id > 0xff) {
		/* Physical destination mode holds 8 bits; more needs interrupt remapping. */
		pr_warn("ioapic: cannot route ISA IRQ %u to APIC ID %u\n", irq, apic_id);
		return false;
	}
	struct ioapic *io = ioapic_for_gsi(gsi);

	if (!io) {
		pr_warn("ioapic: no IOAPIC serves GSI %u (ISA IRQ %u)\n", gsi, irq);
		return false;
	}
	unsigned int pin = gsi - io->gsi_base;
	uint64_t flags = spin_lock_irqsave(&ioapic_lock);

	/* Destination first, then the low word that unmasks. */
	ioapic_write(io, IOAPIC_REG_REDIR(pin) + 1, apic_id << 24);
	ioapic_write(io, IOAPIC_REG_REDIR(pin), redir);
	spin_unlock_irqrestore(&ioapic_lock, flags);
	pr_debug("ioapic: ISA IRQ %u -> GSI %u -> %s %#x on APIC ID %u%s%s\n", irq, gsi,
		 redir & REDIR_DELIVERY_NMI ? "NMI" : "vector", redir & 0xff, apic_id,
		 redir & REDIR_LEVEL ? ", level" : ", edge",
		 redir & REDIR_ACTIVE_LOW ? ", active low" : "");
	return true;
}

bool ioapic_route_isa_irq(unsigned int irq, uint8_t vector, uint32_t apic_id)
{
	return route_isa_irq(irq, vector, apic_id);	/* fixed delivery, physical destination */
}

bool ioapic_route_isa_irq_nmi(unsigned int irq, uint32_t apic_id)
{
	return route_isa_irq(irq, REDIR_DELIVERY_NMI, apic_id);
}
