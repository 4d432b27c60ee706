/* power_off(): the ways a PC can be switched off, most standard first. */
#include "arch/x86/power.h"
#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "hv/log.h"

#define QEMU_DEBUG_EXIT_PORT	0xf4
#define BOCHS_SHUTDOWN_PORT	0x8900

/* PM1 control register bits (ACPI 4.8.4.2). */
#define PM1_SCI_EN		(1u << 0)
#define PM1_SLP_TYP_SHIFT	10
#define PM1_SLP_TYP_MASK	(7u << PM1_SLP_TYP_SHIFT)
#define PM1_SLP_EN		(1u << 13)
/* How long firmware may take to hand over to ACPI mode after the SMI. */
#define ACPI_ENABLE_TIMEOUT_MS	3000
/* How long to wait for the power to go after SLP_EN. */
#define S5_SETTLE_MS		100

/* Firmware in legacy mode ignores SLP_EN until it has been asked to enter ACPI mode. */
static bool acpi_enable_mode(const struct acpi_sleep_info *si)
{
	if (inw(si->pm1a_cnt) & PM1_SCI_EN)
		return true;
	if (!si->smi_cmd || !si->acpi_enable)
		return true;	/* no handshake defined: the hardware is always in ACPI mode */
	outb(si->smi_cmd, si->acpi_enable);
	for (int ms = 0; ms < ACPI_ENABLE_TIMEOUT_MS; ms++) {
		if (inw(si->pm1a_cnt) & PM1_SCI_EN)
			return true;
		tsc_delay_us(1000);
	}
	return false;
}

static void pm1_write_sleep(uint16_t port, uint8_t slp_typ, bool enable)
{
	uint16_t v = inw(port) & ~(PM1_SLP_TYP_MASK | PM1_SLP_EN);

	v |= (uint16_t)(slp_typ << PM1_SLP_TYP_SHIFT);
	if (enable)
		v |= PM1_SLP_EN;
	outw(port, v);
}

/* ACPI S5 (soft off) through the PM1 control registers. Returns if it did not work. */
static void acpi_power_off(void)
{
	const struct acpi_sleep_info *si = acpi_sleep_info();

	if (!si)
		return;
	if (!acpi_enable_mode(si))
		pr_warn("power: firmware did not enter ACPI mode; trying S5 anyway\n");
	/* Type first, then enable, on both blocks (ACPI 7.4.2: a/b written together). */
	pm1_write_sleep(si->pm1a_cnt, si->slp_typa, false);
	if (si->pm1b_cnt)
		pm1_write_sleep(si->pm1b_cnt, si->slp_typb, false);
	pm1_write_sleep(si->pm1a_cnt, si->slp_typa, true);
	if (si->pm1b_cnt)
		pm1_write_sleep(si->pm1b_cnt, si->slp_typb, true);
	tsc_delay_us(S5_SETTLE_MS * 1000);
	pr_warn("power: ACPI S5 did not switch the machine off\n");
}

__noreturn void power_off(void)
{
	irq_disable();
	acpi_power_off();
	/* QEMU with -device isa-debug-exit: the process exits at once. */
	outl(QEMU_DEBUG_EXIT_PORT, 0);
	/* Bochs ends the simulation on the string "Shutdown" at this port. */
	for (const char *s = "Shutdown"; *s; s++)
		outb(BOCHS_SHUTDOWN_PORT, *s);
	pr_err("power off failed; halting\n");
	cpu_stop();
}
