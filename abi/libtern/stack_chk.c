/*
 * gcc's stack protector, for programs built with -fstack-protector (tern-cc
 * turns it off by default). The guard is fixed at start-up from the clock.
 */
#include <stdio.h>
#include <unistd.h>
#include "internal.h"

uintptr_t __stack_chk_guard = 0x595e9fbd94fda766UL;

static void __attribute__((constructor)) stack_chk_seed(void)
{
	uintptr_t t = (uintptr_t)tern_now_ns();

	/* Keep a zero byte so string overflows cannot copy the guard. */
	__stack_chk_guard ^= (t * 0x9e3779b97f4a7c15UL) & ~(uintptr_t)0xff;
}

void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
	static const char msg[] = "*** stack smashing detected ***: terminated\n";

	write(2, msg, sizeof(msg) - 1);
	_exit(134);
}
