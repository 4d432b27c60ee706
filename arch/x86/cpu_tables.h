/* The descriptor tables every CPU owns: GDT, TSS, IDT and the IST stacks. */
#ifndef ARCH_X86_CPU_TABLES_H
#define ARCH_X86_CPU_TABLES_H

#include "hv/types.h"

/* GDT layout. The user selectors follow the order SYSRET requires:
 * STAR[63:48] = GDT_USER_CODE32, so SS = +8 and 64-bit CS = +16. */
#define GDT_NULL		0x00
#define GDT_KERNEL_CODE		0x08
#define GDT_KERNEL_DATA		0x10
#define GDT_USER_CODE32		0x18
#define GDT_USER_DATA		0x20
#define GDT_USER_CODE		0x28
#define GDT_TSS			0x30	/* 16-byte system descriptor */
#define GDT_ENTRIES		8

/* Interrupt stack table slots (1-based as in the IDT gate). */
#define IST_NMI			1
#define IST_DOUBLE_FAULT	2
#define IST_MACHINE_CHECK	3
#define IST_DEBUG		4
#define IST_COUNT		4
#define IST_STACK_SIZE		(8 * 1024)

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __packed;
_Static_assert(sizeof(struct tss64) == 104, "TSS layout");

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_high;
	uint32_t reserved;
} __packed;
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

struct cpu_tables {
	struct idt_gate idt[256] __aligned(16);
	uint64_t gdt[GDT_ENTRIES] __aligned(16);
	struct tss64 tss __aligned(16);
	uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);
};

struct percpu;

/*
 * Builds the GDT, TSS (with the IST stacks) and IDT in @pc->tables and loads
 * them on the calling CPU, which must be the one @pc describes, with interrupts
 * off. Writes nothing shared, so APs may run it at the same time; running it
 * again on the same CPU rebuilds and reloads everything.
 */
void cpu_tables_init(struct percpu *pc);

#endif
