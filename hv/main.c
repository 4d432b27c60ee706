/* kernel_main: the boot CPU's path from the multiboot2 hand-off to a running core. */
#include "hv/types.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "arch/x86/cpu.h"

#define MB2_BOOT_MAGIC 0x36d76289

void kernel_main(uint32_t mb2_magic, paddr_t mb2_info);

void kernel_main(uint32_t mb2_magic, paddr_t mb2_info)
{
	pr_info("tern %s\n", TERN_VERSION);
	if (mb2_magic != MB2_BOOT_MAGIC)
		panic("bad multiboot2 magic %#x", mb2_magic);
	pr_info("multiboot2 info at %#lx\n", mb2_info);
	outl(0xf4, 0);
	for (const char *s = "Shutdown"; *s; s++)
		outb(0x8900, *s);
	cpu_stop();
}
