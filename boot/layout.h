/* Virtual memory layout of the core; shared by C and assembly. */
#ifndef BOOT_LAYOUT_H
#define BOOT_LAYOUT_H

/* The core image is linked here and mapped onto physical 0..1 GiB. */
#define KERNEL_VMA		0xFFFFFFFF80000000
/* All physical memory is mapped here (the direct map). */
#define DIRECT_MAP_BASE		0xFFFF800000000000
/* Stack of the boot CPU until the per-CPU stacks exist. */
#define BOOT_STACK_SIZE		(16 * 1024)

#endif
