/* Per-CPU GDT and TSS, and loading all descriptor tables (GDT, TSS, IDT) on a CPU. */
#include "arch/x86/cpu_tables.h"
#include "arch/x86/traps.h"
#include "hv/percpu.h"
#include "hv/string.h"

/* Segment descriptor access bytes and flags (SDM vol. 3, 3.4.5). */
#define SEG_PRESENT	(1UL << 47)
#define SEG_DPL3	(3UL << 45)
#define SEG_CODE_DATA	(1UL << 44)	/* S: code/data rather than system */
#define SEG_CODE	(1UL << 43)
#define SEG_RW		(1UL << 41)	/* code: readable; data: writable */
#define SEG_LONG	(1UL << 53)
#define SEG_DB32	(1UL << 54)
#define SEG_GRAN4K	(1UL << 55)
#define SEG_LIMIT_MAX	(0xffffUL | (0xfUL << 48))	/* 4 GiB with SEG_GRAN4K */

#define SEG_KERNEL_CODE	(SEG_PRESENT | SEG_CODE_DATA | SEG_CODE | SEG_RW | SEG_LONG | \
			 SEG_GRAN4K | SEG_LIMIT_MAX)
#define SEG_KERNEL_DATA	(SEG_PRESENT | SEG_CODE_DATA | SEG_RW | SEG_DB32 | SEG_GRAN4K | \
			 SEG_LIMIT_MAX)
/* User code32 stays for SYSRET's layout (cpu_tables.h); tern runs no 32-bit user code. */
#define SEG_USER_CODE32	(SEG_PRESENT | SEG_DPL3 | SEG_CODE_DATA | SEG_CODE | SEG_RW | \
			 SEG_DB32 | SEG_GRAN4K | SEG_LIMIT_MAX)
#define SEG_USER_DATA	(SEG_KERNEL_DATA | SEG_DPL3)
#define SEG_USER_CODE	(SEG_KERNEL_CODE | SEG_DPL3)

#define SYS_TSS_AVAILABLE	0x9UL

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static void set_tss_descriptor(uint64_t *gdt, const struct tss64 *tss)
{
	uint64_t base = (uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	/* A 16-byte system descriptor; written "available", so ltr works again after a rebuild. */
	gdt[GDT_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (SYS_TSS_AVAILABLE << 40) | SEG_PRESENT |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[GDT_TSS / 8 + 1] = base >> 32;
}

static void load_tables(struct cpu_tables *t)
{
	struct table_ptr gdtr = { sizeof(t->gdt) - 1, (uintptr_t)t->gdt };
	struct table_ptr idtr = { sizeof(t->idt) - 1, (uintptr_t)t->idt };

	__asm__ volatile("lgdt %0" :: "m"(gdtr) : "memory");
	/*
	 * CS can only be reloaded by a far transfer; a far return to the next
	 * instruction is the simplest. FS and GS are left alone: loading a selector
	 * would clobber the GS base that holds this CPU's percpu pointer.
	 */
	__asm__ volatile("pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[ds], %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%ss"
			 :: [cs] "i"(GDT_KERNEL_CODE), [ds] "i"(GDT_KERNEL_DATA)
			 : "rax", "memory");
	__asm__ volatile("ltr %w0" :: "r"(GDT_TSS) : "memory");
	__asm__ volatile("lidt %0" :: "m"(idtr) : "memory");
}

void cpu_tables_init(struct percpu *pc)
{
	struct cpu_tables *t = &pc->tables;

	memset(&t->tss, 0, sizeof(t->tss));
	/* Ring 3 will enter on the CPU's main stack; the boot CPU's is set when it gets one. */
	t->tss.rsp[0] = pc->kstack_top;
	t->tss.ist[IST_NMI - 1] = (uintptr_t)t->ist_stacks[IST_NMI - 1] + IST_STACK_SIZE;
	t->tss.ist[IST_DOUBLE_FAULT - 1] =
		(uintptr_t)t->ist_stacks[IST_DOUBLE_FAULT - 1] + IST_STACK_SIZE;
	t->tss.ist[IST_MACHINE_CHECK - 1] =
		(uintptr_t)t->ist_stacks[IST_MACHINE_CHECK - 1] + IST_STACK_SIZE;
	t->tss.ist[IST_DEBUG - 1] = (uintptr_t)t->ist_stacks[IST_DEBUG - 1] + IST_STACK_SIZE;
	/* An I/O bitmap offset beyond the limit: no bitmap, every port access from ring 3 faults. */
	t->tss.iomap_base = sizeof(t->tss);

	t->gdt[GDT_NULL / 8] = 0;
	t->gdt[GDT_KERNEL_CODE / 8] = SEG_KERNEL_CODE;
	t->gdt[GDT_KERNEL_DATA / 8] = SEG_KERNEL_DATA;
	t->gdt[GDT_USER_CODE32 / 8] = SEG_USER_CODE32;
	t->gdt[GDT_USER_DATA / 8] = SEG_USER_DATA;
	t->gdt[GDT_USER_CODE / 8] = SEG_USER_CODE;
	set_tss_descriptor(t->gdt, &t->tss);

	idt_fill(t->idt);
	load_tables(t);
}
