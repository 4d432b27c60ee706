/* SPDX-License-Identifier: MIT */
/*
 * Interval markers for the project's QEMU instruction-count plugin
 * (bench/plugin/icount.c). A program brackets the code it wants measured:
 *
 *	ICOUNT_START(tag);
 *	... measured code ...
 *	ICOUNT_STOP(tag);
 *
 * and the plugin logs "icount: interval TAG: N instructions", N being every
 * guest instruction QEMU executed strictly between the two markers on all
 * vCPUs: this program, the kernel under it, a hypervisor and a nested guest
 * alike.
 *
 * A marker is `nopl disp32(%rax)` (0f 1f 80 + disp32) with a magic
 * displacement. A NOP with a memory operand never touches memory, is legal in
 * every ring and every 32/64-bit mode and needs no privilege, so a ring-3
 * process inside Linux or inside tern can mark its loop; the plugin spots the
 * seven bytes when QEMU translates them. Outside QEMU-with-plugin it is a NOP.
 *
 * disp32 = ICOUNT_MARK_MAGIC | op << 12 | tag, tag in 0..ICOUNT_TAG_MAX.
 */
#ifndef BENCH_ICOUNT_MARK_H
#define BENCH_ICOUNT_MARK_H

#define ICOUNT_MARK_MAGIC	0x7e4e0000u
#define ICOUNT_MARK_MAGIC_MASK	0xffff0000u
#define ICOUNT_OP_SHIFT		12
#define ICOUNT_OP_MASK		0xfu
#define ICOUNT_OP_START		1u
#define ICOUNT_OP_STOP		2u
#define ICOUNT_TAG_MAX		0xfffu

#define ICOUNT_MARK_VALUE(op, tag) \
	(ICOUNT_MARK_MAGIC | ((op) << ICOUNT_OP_SHIFT) | ((tag) & ICOUNT_TAG_MAX))

#ifndef __ASSEMBLER__
/*
 * The "memory" clobber keeps the compiler from moving loads and stores of the
 * measured code across the marker. The tag must be a compile-time constant.
 */
#define ICOUNT_MARK(op, tag) \
	__asm__ __volatile__(".byte 0x0f, 0x1f, 0x80\n\t.long %c0" \
			     : : "i"(ICOUNT_MARK_VALUE(op, tag)) : "memory")
#define ICOUNT_START(tag)	ICOUNT_MARK(ICOUNT_OP_START, tag)
#define ICOUNT_STOP(tag)	ICOUNT_MARK(ICOUNT_OP_STOP, tag)
#endif

#endif /* BENCH_ICOUNT_MARK_H */
