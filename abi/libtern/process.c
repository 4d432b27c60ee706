/*
 * newlib's process hooks. A tern process is created from an ELF image by its
 * parent through a handle (tern_spawn), so fork/exec/wait do not exist; they
 * fail with the errno POSIX gives a system without them.
 */
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"

void _exit(int status)
{
	for (;;)
		sys1(TERN_SYS_EXIT, status);
}

pid_t _getpid(void)
{
	return (pid_t)sys0(TERN_SYS_GETPID);
}

pid_t getpid(void) __attribute__((alias("_getpid")));

int _fork(void)
{
	errno = ENOSYS;
	return -1;
}

int _execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path;
	(void)argv;
	(void)envp;
	errno = ENOSYS;
	return -1;
}

/* No process has children in the wait() sense. */
int _wait(int *status)
{
	(void)status;
	errno = ECHILD;
	return -1;
}

pid_t fork(void) __attribute__((alias("_fork")));
int execve(const char *path, char *const argv[], char *const envp[]) __attribute__((alias("_execve")));
pid_t wait(int *status) __attribute__((alias("_wait")));
