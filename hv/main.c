/* kernel_main: the boot CPU's path from the multiboot2 hand-off to a running core. */
#include "hv/types.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/mm.h"
#include "hv/console.h"
#include "hv/boot_info.h"
#include "hv/cmdline.h"
#include "hv/percpu.h"
#include "hv/testmode.h"
#include "hv/bench.h"
#include "arch/x86/cpu.h"
#include "arch/x86/power.h"

#define MB2_BOOT_MAGIC 0x36d76289

/* Big: keep it off the boot stack. */
static struct boot_info boot_info;

void kernel_main(uint32_t mb2_magic, paddr_t mb2_info);

void kernel_main(uint32_t mb2_magic, paddr_t mb2_info)
{
	struct percpu *bsp = percpu_by_id[0];

	percpu_install(bsp);
	bsp->kstack_top = 0;	/* the boot stack; smp.c gives APs their own */
	if (mb2_magic != MB2_BOOT_MAGIC)
		panic("bad multiboot2 magic %#x", mb2_magic);

	/* [cpu] descriptor tables first, so that any fault below is reported. */

	/* [memory] parse the multiboot2 information into boot_info. */

	/* [cpu] command line: console=, loglevel=, smp=, panic=, poweroff, crashtest= */

	pr_info("tern %s\n", TERN_VERSION);

	/* [cpu] CPU features and the "cpu: ..." line. */

	/* [memory] direct map, frame allocator, heap and the "memory: ..." line. */

	/* [platform] ACPI, LAPIC, TSC/timer calibration, SMP and the "cpus: N online" line. */

	/* [cpu] deliberate fault for tests (crashtest=). */

	/* [vcpu] virtualization backend on the boot CPU (virt_init_bsp); APs enable it in smp.c. */

	/* [guests] test mode (testguests) and in-core benchmarks (bench). */
	if (core_options.bench)
		bench_run();
	if (core_options.testguests)
		testmode_run(&boot_info);	/* powers off when done */

	(void)boot_info;
	(void)mb2_info;
	pr_info("tern: boot complete\n");
	/* [platform] power off when asked to (poweroff), otherwise idle. */
	power_off();
}
