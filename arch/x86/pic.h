/* The legacy 8259A pair: tern uses the LAPIC/IOAPIC, so the PICs are silenced. */
#ifndef ARCH_X86_PIC_H
#define ARCH_X86_PIC_H

/* Vectors the PICs are moved to before masking, so a stray IRQ cannot look like an exception. */
#define PIC_MASTER_VECTOR	0x20
#define PIC_SLAVE_VECTOR	0x28

/* Reinitializes both PICs onto PIC_*_VECTOR and masks every line. */
void pic_disable(void);

#endif
