/*
 * A program that does something ring 3 may not do; the core must kill it
 * with the matching signal status and go on. Usage: fault MODE, MODE one of
 *   null   write through a NULL pointer            -> SIGSEGV
 *   kread  read the core's image (0xffffffff80100000) -> SIGSEGV
 *   core   jump into the core's image               -> SIGSEGV
 *   hlt    hlt                                       -> SIGSEGV (#GP)
 *   cli    cli                                       -> SIGSEGV (#GP)
 *   wrmsr  wrmsr to EFER                             -> SIGSEGV (#GP)
 *   ud2    an undefined opcode                       -> SIGILL (#UD)
 *   div0   integer division by zero                  -> SIGFPE (#DE)
 *   int3   a breakpoint                              -> SIGTRAP (#BP)
 * (the signals Linux sends, as <tern/syscall.h> specifies).
 * Exit code 1 means it survived, 2 a bad MODE.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CORE_TEXT	0xffffffff80100000ull

static volatile int zero;

static void do_fault(const char *mode)
{
	if (!strcmp(mode, "null")) {
		*(volatile int *)(uintptr_t)zero = 1;
	} else if (!strcmp(mode, "kread")) {
		printf("fault: read %lx\n", *(volatile unsigned long *)CORE_TEXT);
	} else if (!strcmp(mode, "core")) {
		((void (*)(void))CORE_TEXT)();
	} else if (!strcmp(mode, "hlt")) {
		asm volatile("hlt");
	} else if (!strcmp(mode, "cli")) {
		asm volatile("cli");
	} else if (!strcmp(mode, "wrmsr")) {
		asm volatile("wrmsr" : : "c"(0xc0000080u), "a"(0), "d"(0));
	} else if (!strcmp(mode, "ud2")) {
		asm volatile("ud2");
	} else if (!strcmp(mode, "int3")) {
		asm volatile("int3");
	} else if (!strcmp(mode, "div0")) {
		volatile int n = 7;

		printf("fault: %d\n", n / zero);
	}
}

int main(int argc, char **argv)
{
	static const char *const modes[] = { "null", "kread", "core", "hlt", "cli", "wrmsr",
					     "ud2", "div0", "int3" };
	const char *mode = argc > 1 ? argv[1] : "";

	for (unsigned int i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		if (!strcmp(mode, modes[i])) {
			printf("fault: %s: trying it\n", mode);
			fflush(stdout);
			do_fault(mode);
			printf("fault: %s: survived\n", mode);
			return 1;
		}
	}
	printf("fault: unknown mode '%s' (null kread core hlt cli wrmsr ud2 div0 int3)\n", mode);
	return 2;
}
