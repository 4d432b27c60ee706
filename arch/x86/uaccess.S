/*
 * The only instructions in the core that touch ring-3 memory. Each one that
 * can fault has an entry in __ex_table: the #PF handler (uaccess_fixup) sends
 * a fault there to its fixup label instead of treating it as a core bug.
 * The callers (hv/uaccess.c) open and close the SMAP window around them.
 */
	.code64
	.text

#define EX_ENTRY(insn, fixup)		\
	.pushsection __ex_table, "a";	\
	.balign 8;			\
	.quad insn, fixup;		\
	.popsection

/* size_t uaccess_copy(void *dst, const void *src, size_t n): bytes NOT copied. */
	.globl uaccess_copy
uaccess_copy:
	mov	%rdx, %rcx
1:	rep movsb
	xor	%eax, %eax
	ret
2:	mov	%rcx, %rax
	ret
	EX_ENTRY(1b, 2b)

/* int uaccess_load_u8(uint8_t *dst, const uint8_t *user): 0 or -1. */
	.globl uaccess_load_u8
uaccess_load_u8:
1:	movzbl	(%rsi), %eax
	movb	%al, (%rdi)
	xor	%eax, %eax
	ret
2:	mov	$-1, %eax
	ret
	EX_ENTRY(1b, 2b)

/* int uaccess_load_u32(uint32_t *dst, const uint32_t *user): 0 or -1. */
	.globl uaccess_load_u32
uaccess_load_u32:
1:	movl	(%rsi), %eax
	movl	%eax, (%rdi)
	xor	%eax, %eax
	ret
2:	mov	$-1, %eax
	ret
	EX_ENTRY(1b, 2b)

/* int uaccess_store_u32(uint32_t *user, uint32_t val): 0 or -1. */
	.globl uaccess_store_u32
uaccess_store_u32:
1:	movl	%esi, (%rdi)
	xor	%eax, %eax
	ret
2:	mov	$-1, %eax
	ret
	EX_ENTRY(1b, 2b)

	.section .note.GNU-stack, "", @progbits
