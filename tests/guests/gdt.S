/* The GDT every protected- and long-mode guest loads: 0x08 flat 32-bit code,
 * 0x10 flat data, 0x18 64-bit code. */
	.balign 8
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* 0x08: code, 32-bit, base 0, 4 GiB */
	.quad 0x00cf93000000ffff	/* 0x10: data, base 0, 4 GiB */
	.quad 0x00af9b000000ffff	/* 0x18: code, 64-bit */
gdt_end:
gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt
	.long 0
