/* kernel_main: the boot CPU's path from the multiboot2 hand-off to a running core. */
#include "hv/types.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/mm.h"
#include "hv/console.h"
#include "hv/boot_info.h"
#include "hv/cmdline.h"
#include "hv/percpu.h"
#include "hv/vcpu.h"
#include "hv/crashtest.h"
#include "hv/multiboot2.h"
#include "hv/memory.h"
#include "hv/testmode.h"
#include "hv/bench.h"
#include "hv/console_dev.h"
#include "hv/sched.h"
#include "hv/selftest.h"
#include "hv/process.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/power.h"
#include "arch/x86/virt.h"
#include "arch/x86/acpi.h"
#include "arch/x86/pic.h"
#include "arch/x86/tsc.h"
#include "arch/x86/lapic.h"
#include "arch/x86/smp.h"

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

	cpu_tables_init(bsp);

	mb2_load(mb2_info, &boot_info);

	cmdline_parse(boot_info.cmdline, &core_options);
	log_level = core_options.loglevel;

	pr_info("tern %s\n", TERN_VERSION);

	cpu_features_detect();
	cpu_features_enable();
	cpu_features_log();

	memory_init(&boot_info);

	acpi_init(&boot_info);
	pic_disable();
	tsc_init();
	lapic_init();
	lapic_timer_init();
	console_dev_init();
	/* Before SMP: each AP enables the chosen backend as it comes up. */
	if (virt_init_bsp() == 0)
		vcpu_watchdog_init();
	smp_boot();

	if (core_options.crashtest)
		crashtest_run(core_options.crashtest);

	if (core_options.bench)
		bench_run();
	if (core_options.testguests)
		testmode_run(&boot_info);	/* powers off when done */

	pr_info("tern: boot complete\n");
	if (core_options.poweroff)
		power_off();

	sched_init();
	if (core_options.selftest)
		selftest_start(core_options.selftest);
	else
		process_start_service_domain(&boot_info);
	sched_start_all();
}
