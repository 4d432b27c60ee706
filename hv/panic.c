/* panic() and the stack protector's failure hook. */
#include <stdarg.h>
#include "hv/panic.h"
#include "hv/log.h"
#include "hv/format.h"
#include "hv/console.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766UL;
void __stack_chk_fail(void);

__noreturn void panic(const char *fmt, ...)
{
	uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
	unsigned int depth;
	char msg[256];
	va_list ap;

	irq_disable();
	console_set_emergency();
	depth = fatal_enter();
	if (depth == 1) {
		/* Panicking while reporting a fatal error: the message might be what fails. */
		dump_printf("panic: nested panic while reporting a fatal error; stopping\n");
		fatal_stop();
	}
	if (depth > 1)
		cpu_stop();
	/* One log call: each adds the "error: " prefix, so the message is assembled first. */
	va_start(ap, fmt);
	fmt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("panic: %s\n", msg);
	/* Our own frame is the first record; its return address is panic()'s caller. */
	backtrace_print(fp, fp);
	fatal_stop();
}

__noreturn void __stack_chk_fail(void)
{
	panic("stack smashing detected (return address %p)", __builtin_return_address(0));
}
