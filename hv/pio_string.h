/*
 * The address arithmetic of string port I/O (INS/OUTS, with or without REP):
 * which elements one chunk moves, and how RSI/RDI/RCX change after it. A
 * chunk never leaves the guest page (nor wraps the offset) its first element
 * is in, so it needs one translation. Pure logic, host-tested.
 */
#ifndef HV_PIO_STRING_H
#define HV_PIO_STRING_H

#include "hv/types.h"

struct pio_string_op {
	uint8_t size;		/* element size: 1, 2 or 4 */
	uint8_t addr_size;	/* 2, 4 or 8 */
	bool rep;
	bool df;		/* EFLAGS.DF: addresses decrease */
	bool code64;		/* 64-bit mode: no 32-bit wrap of linear addresses */
	uint64_t seg_base;
	uint64_t index;		/* RSI (OUTS) or RDI (INS) */
	uint64_t rcx;
};

/* The register bits that take part in the address size (0xFFFF, ...). */
uint64_t pio_addr_mask(uint8_t addr_size);

/* Linear address of element @i of the string (i = 0: the current one). */
uint64_t pio_string_linear(const struct pio_string_op *op, uint32_t i);

/* Elements still to move: the masked RCX for REP, else 1. */
uint64_t pio_string_remaining(const struct pio_string_op *op);

/*
 * Elements the next chunk moves, at most @max_elems (the bounce buffer), at
 * least 1 when any remain (an element straddling a page moves alone), 0 when
 * none remain (REP with RCX = 0).
 */
uint32_t pio_string_chunk(const struct pio_string_op *op, uint32_t max_elems);

/* Lowest linear address the @n-element chunk touches (with DF it grows down). */
uint64_t pio_string_chunk_start(const struct pio_string_op *op, uint32_t n);

/* Moves the index (and RCX for REP) past @n elements, with the wrap and the
 * zero-extension the address size gives. */
void pio_string_advance(struct pio_string_op *op, uint32_t n);

/* Reverses the order of @n elements of @size bytes in @buf: memory order vs.
 * port order when DF is set. */
void pio_reverse_elements(uint8_t *buf, uint32_t n, uint8_t size);

#endif
