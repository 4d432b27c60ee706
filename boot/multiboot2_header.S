/*
 * Multiboot2 header: asks GRUB for the command line, the modules, the memory
 * map and both ACPI RSDP copies, and for page-aligned modules. See the
 * Multiboot2 specification, section 3.1.
 */
#define MB2_MAGIC		0xE85250D6
#define MB2_ARCH_I386		0
#define MB2_TAG_END		0
#define MB2_TAG_INFO_REQUEST	1
#define MB2_TAG_MODULE_ALIGN	6
#define MB2_TAG_OPTIONAL	1

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long	MB2_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* Information request: 1 cmdline, 3 module, 6 mmap, 14/15 ACPI old/new. */
	.balign 8
1:	.short	MB2_TAG_INFO_REQUEST
	.short	MB2_TAG_OPTIONAL
	.long	2f - 1b
	.long	1, 3, 6, 14, 15
2:
	.balign 8
	.short	MB2_TAG_MODULE_ALIGN
	.short	MB2_TAG_OPTIONAL
	.long	8

	.balign 8
	.short	MB2_TAG_END
	.short	0
	.long	8
mb2_header_end:
