/*
 * Masking the 8259A PICs. The BIOS leaves them mapped onto vectors 8-15,
 * which are CPU exceptions; a spurious IRQ 7/15 (raised even for masked lines
 * when a request vanishes mid-acknowledge) would then look like a fault. So
 * they are first reprogrammed onto 0x20-0x2F, then fully masked. Harmless on
 * machines without PICs: nothing decodes the ports.
 */
#include "arch/x86/pic.h"
#include "arch/x86/cpu.h"

#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xA0
#define PIC2_DATA	0xA1

#define ICW1_INIT	0x10
#define ICW1_ICW4	0x01
#define ICW4_8086	0x01
#define PIC_CASCADE_IRQ	2

/* Old PICs need a moment between initialization words; port 0x80 is the usual pause. */
static void pic_out(uint16_t port, uint8_t val)
{
	outb(port, val);
	outb(0x80, 0);
}

void pic_disable(void)
{
	pic_out(PIC1_CMD, ICW1_INIT | ICW1_ICW4);
	pic_out(PIC2_CMD, ICW1_INIT | ICW1_ICW4);
	pic_out(PIC1_DATA, PIC_MASTER_VECTOR);
	pic_out(PIC2_DATA, PIC_SLAVE_VECTOR);
	pic_out(PIC1_DATA, 1u << PIC_CASCADE_IRQ);	/* slave on IRQ 2 */
	pic_out(PIC2_DATA, PIC_CASCADE_IRQ);		/* slave's cascade identity */
	pic_out(PIC1_DATA, ICW4_8086);
	pic_out(PIC2_DATA, ICW4_8086);
	pic_out(PIC1_DATA, 0xFF);
	pic_out(PIC2_DATA, 0xFF);
}
