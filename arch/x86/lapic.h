/*
 * The local APIC of each CPU, in x2APIC mode when the CPU has it and xAPIC
 * (MMIO through the direct map) otherwise, and its timer.
 */
#ifndef ARCH_X86_LAPIC_H
#define ARCH_X86_LAPIC_H

#include "hv/types.h"

/* Vectors the core owns at the top of the range (highest priority class). */
#define LAPIC_TIMER_VECTOR	0xEF
#define LAPIC_ERROR_VECTOR	0xFE
#define LAPIC_SPURIOUS_VECTOR	0xFF

/*
 * Enables this CPU's LAPIC: x2APIC mode if the boot CPU chose it, software
 * enable with the spurious vector, TPR 0, every LVT masked except LINT NMIs
 * the MADT asks for, error LVT on LAPIC_ERROR_VECTOR. The boot CPU's call
 * chooses the mode for all and registers the error/spurious handlers.
 */
void lapic_init(void);

bool lapic_is_x2apic(void);
uint32_t lapic_id(void);
void lapic_eoi(void);

/* Fixed-delivery interrupt @vector (32..255) to the CPU with @apic_id. */
void lapic_send_ipi(uint32_t apic_id, uint8_t vector);
void lapic_send_nmi(uint32_t apic_id);
/* INIT (assert) and STARTUP for bringing up another CPU (smp.c). */
void lapic_send_init(uint32_t apic_id);
void lapic_send_sipi(uint32_t apic_id, uint8_t start_page);

/* Raw register access by xAPIC offset (0x20 = ID ...), for the timer code. */
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t val);

#define LAPIC_ID		0x020
#define LAPIC_VERSION		0x030
#define LAPIC_TPR		0x080
#define LAPIC_EOI		0x0B0
#define LAPIC_SVR		0x0F0
#define LAPIC_ESR		0x280
#define LAPIC_LVT_CMCI		0x2F0
#define LAPIC_ICR		0x300
#define LAPIC_ICR_HIGH		0x310
#define LAPIC_LVT_TIMER		0x320
#define LAPIC_LVT_THERMAL	0x330
#define LAPIC_LVT_PERF		0x340
#define LAPIC_LVT_LINT0		0x350
#define LAPIC_LVT_LINT1		0x360
#define LAPIC_LVT_ERROR		0x370
#define LAPIC_TIMER_INIT	0x380
#define LAPIC_TIMER_CURRENT	0x390
#define LAPIC_TIMER_DIVIDE	0x3E0

#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_LVT_NMI		(4u << 8)
#define LAPIC_LVT_ACTIVE_LOW	(1u << 13)
#define LAPIC_LVT_LEVEL		(1u << 15)
#define LAPIC_TIMER_ONESHOT	(0u << 17)
#define LAPIC_TIMER_PERIODIC	(1u << 17)
#define LAPIC_TIMER_DEADLINE	(2u << 17)
/* Every CPU's timer divides its input clock by 16 (set by lapic_init). */
#define LAPIC_TIMER_DIVIDE_16	0x3
#define LAPIC_TIMER_DIVISOR	16

/*
 * Timer (lapic_timer.c). lapic_timer_init() on the boot CPU measures the LAPIC
 * timer against the TSC, checks that ticks really arrive and prints the
 * "timer:" line; the other CPUs only need lapic_init(). The handler counts
 * ticks and sends the EOI; the calls below program this CPU's timer.
 */
void lapic_timer_init(void);
uint64_t lapic_timer_hz(void);		/* LAPIC timer input clock (before the divider) */
bool lapic_timer_has_deadline(void);
/* Fires once after @ns (TSC-deadline mode when available). */
void lapic_timer_oneshot_ns(uint64_t ns);
/* Fires every @ns until stopped (always the LAPIC counter). */
void lapic_timer_periodic_ns(uint64_t ns);
void lapic_timer_stop(void);
/* Timer interrupts this CPU has taken. */
uint64_t lapic_timer_ticks(void);
/* Called on every timer interrupt of every CPU (after EOI), if set. */
extern void (*lapic_timer_hook)(void);

#endif
