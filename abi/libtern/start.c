/*
 * The C start of every process: TLS and the main thread's identity first (errno
 * lives there), then the fd table, constructors, main() and exit().
 */
#include <stdlib.h>
#include <string.h>
#include <sys/lock.h>
#include "internal.h"

extern char **environ;
char *__progname = "";	/* for err.h */
extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

/*
 * libc.a has placeholder versions of the retargetable locks; the linker takes
 * whichever definition it meets first. Referencing ours from here (crt0 pulls
 * this file in before libc.a is searched) makes sure newlib uses real locks.
 */
void *const tern_force_link_locks[] __attribute__((used)) = {
	(void *)__retarget_lock_acquire_recursive,
};

/*
 * newlib is built with HAVE_INIT_FINI and calls _init/_fini around the
 * .init_array/.fini_array walk. tern programs link no crti/crtn, so there is
 * no .init/.fini section code to run: everything is in the arrays.
 */
void _init(void)
{
}

void _fini(void)
{
}

void __tern_start(uint64_t *sp) __attribute__((noreturn));
void __tern_start(uint64_t *sp)
{
	int argc = (int)sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char **p = envp;

	while (*p)
		p++;
	tern_tls_find((const uint64_t *)(p + 1));
	tern_tls_init_main();
	tern_threads_init_main();
	environ = envp;
	if (argc > 0 && argv[0]) {
		char *slash = strrchr(argv[0], '/');

		__progname = slash ? slash + 1 : argv[0];
	}
	tern_fd_init();

	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
