/* panic() and the stack protector's failure hook. */
#include <stdarg.h>
#include "hv/panic.h"
#include "hv/log.h"
#include "hv/console.h"
#include "arch/x86/cpu.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766UL;
void __stack_chk_fail(void);

__noreturn void panic(const char *fmt, ...)
{
	va_list ap;

	irq_disable();
	console_set_emergency();
	pr_err("panic: ");
	va_start(ap, fmt);
	log_vprintf(LOG_ERR, fmt, ap);
	va_end(ap);
	log_printf(LOG_ERR, "\n");
	cpu_stop();
}

__noreturn void __stack_chk_fail(void)
{
	panic("stack smashing detected (return address %p)", __builtin_return_address(0));
}
