/* 4-level page tables: the scatter map of the low 1 MiB. */
	.balign 4096
pml4:
	.quad pdpt + 3
	.fill 511, 8, 0
pdpt:
	.quad pd + 3
	.fill 511, 8, 0
pd:
	.quad pt + 3
	.fill 511, 8, 0
pt:
	SCATTER_PT 8
	.fill 256, 8, 0
