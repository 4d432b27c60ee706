/*
 * Exit status text. The encoding is Linux's wait() status (see
 * <tern/syscall.h>), decoded here by hand so the service domain does not
 * depend on which <sys/wait.h> macros the C library provides.
 */
#include <stdio.h>

#include "sd/status.h"

static const char *const signal_names[32] = {
	[1] = "SIGHUP", [2] = "SIGINT", [3] = "SIGQUIT", [4] = "SIGILL",
	[5] = "SIGTRAP", [6] = "SIGABRT", [7] = "SIGBUS", [8] = "SIGFPE",
	[9] = "SIGKILL", [10] = "SIGUSR1", [11] = "SIGSEGV", [12] = "SIGUSR2",
	[13] = "SIGPIPE", [14] = "SIGALRM", [15] = "SIGTERM", [16] = "SIGSTKFLT",
	[17] = "SIGCHLD", [18] = "SIGCONT", [19] = "SIGSTOP", [20] = "SIGTSTP",
	[21] = "SIGTTIN", [22] = "SIGTTOU", [23] = "SIGURG", [24] = "SIGXCPU",
	[25] = "SIGXFSZ", [26] = "SIGVTALRM", [27] = "SIGPROF", [28] = "SIGWINCH",
	[29] = "SIGIO", [30] = "SIGPWR", [31] = "SIGSYS",
};

void sd_format_status(int status, char *buf, size_t len)
{
	unsigned int sig = status & 0x7f;

	if (sig == 0) {
		snprintf(buf, len, "%d", (status >> 8) & 0xff);
	} else if (sig < 32 && signal_names[sig]) {
		snprintf(buf, len, "signal %u (%s)", sig, signal_names[sig]);
	} else {
		/* Not an encoding the core produces: show it raw rather than guess. */
		snprintf(buf, len, "unknown status 0x%x", (unsigned int)status);
	}
}
