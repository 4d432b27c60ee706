/* String I/O chunking (see hv/pio_string.h). */
#include "hv/pio_string.h"

uint64_t pio_addr_mask(uint8_t addr_size)
{
	return addr_size >= 8 ? ~0ULL : (1ULL << (8 * addr_size)) - 1;
}

uint64_t pio_string_linear(const struct pio_string_op *op, uint32_t i)
{
	uint64_t mask = pio_addr_mask(op->addr_size);
	uint64_t step = (uint64_t)i * op->size;
	uint64_t off = (op->df ? op->index - step : op->index + step) & mask;
	uint64_t lin = op->seg_base + off;

	/* Outside 64-bit mode linear addresses are 32 bits and wrap. */
	return op->code64 ? lin : (uint32_t)lin;
}

uint64_t pio_string_remaining(const struct pio_string_op *op)
{
	return op->rep ? op->rcx & pio_addr_mask(op->addr_size) : 1;
}

uint32_t pio_string_chunk(const struct pio_string_op *op, uint32_t max_elems)
{
	uint64_t mask = pio_addr_mask(op->addr_size);
	uint64_t off = op->index & mask;
	uint64_t page_off = pio_string_linear(op, 0) & (PAGE_SIZE - 1);
	uint64_t n = pio_string_remaining(op);
	uint64_t in_page, in_wrap;

	if (n == 0)
		return 0;
	if (op->df) {
		/* Elements at off, off - size, ...: down to the page start and
		 * to offset 0. */
		in_page = page_off + op->size <= PAGE_SIZE ? page_off / op->size + 1 : 1;
		in_wrap = off / op->size + 1;
	} else {
		in_page = (PAGE_SIZE - page_off) / op->size;
		in_wrap = mask == ~0ULL ? ~0ULL : (mask - off + 1) / op->size;
	}
	/* An element straddling the page end or the offset wrap moves alone. */
	n = MIN(n, MAX(in_page, 1ULL));
	n = MIN(n, MAX(in_wrap, 1ULL));
	n = MIN(n, (uint64_t)MAX(max_elems, 1u));
	return (uint32_t)n;
}

uint64_t pio_string_chunk_start(const struct pio_string_op *op, uint32_t n)
{
	return pio_string_linear(op, op->df ? n - 1 : 0);
}

/* Writes @val into @reg the way an @addr_size-bit register write does. */
static uint64_t write_sized(uint64_t reg, uint64_t val, uint8_t addr_size)
{
	if (addr_size == 2)
		return (reg & ~0xFFFFULL) | (val & 0xFFFF);
	if (addr_size == 4)
		return (uint32_t)val;	/* 32-bit writes zero-extend */
	return val;
}

void pio_string_advance(struct pio_string_op *op, uint32_t n)
{
	uint64_t step = (uint64_t)n * op->size;

	op->index = write_sized(op->index, op->df ? op->index - step : op->index + step,
				op->addr_size);
	if (op->rep)
		op->rcx = write_sized(op->rcx, op->rcx - n, op->addr_size);
}

void pio_reverse_elements(uint8_t *buf, uint32_t n, uint8_t size)
{
	for (uint32_t i = 0, j = n ? n - 1 : 0; i < j; i++, j--) {
		for (uint8_t k = 0; k < size; k++) {
			uint8_t t = buf[i * size + k];

			buf[i * size + k] = buf[j * size + k];
			buf[j * size + k] = t;
		}
	}
}
