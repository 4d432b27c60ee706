/* 2-level page tables: the scatter map of the low 1 MiB, and linear
 * 0x3ff000 -> GPA 0xd0000000 (not RAM: the MMIO guest's target). */
	.balign 4096
pd:
	.long pt + 3
	.fill 1023, 4, 0
pt:
	SCATTER_PT 4
	.fill 1023 - 256, 4, 0
	.long 0xd0000000 | 3
