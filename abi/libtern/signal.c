/*
 * Signals, as far as tern has them: there is no kernel signal delivery, so a
 * signal is a per-thread pending bit that pthread_kill() sets before it asks
 * the core to interrupt the target (TERN_SYS_THREAD_INTERRUPT). The target's
 * interrupted blocking call runs the handlers when it sees -EINTR, then fails
 * with EINTR (or restarts, for fd reads and writes under SA_RESTART). A thread
 * that never blocks runs its handlers at its next blocking call.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

extern char *__progname;

static struct tern_lowlock act_lock = TERN_LOWLOCK_INIT;
static struct sigaction actions[NSIG];

static int sig_ignored_by_default(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT ||
	       sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/* Default action "terminate": tern has no "killed by signal" exit, so the
 * process exits with 128 + sig, as a shell reports it. */
static void __attribute__((noreturn)) sig_terminate(int sig)
{
	char msg[64];
	int n = snprintf(msg, sizeof(msg), "%s: terminated by signal %d\n",
			 __progname, sig);

	if (n > 0)
		write(2, msg, (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1);
	_exit(128 + sig);
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (sig <= 0 || sig >= NSIG || (act && (sig == SIGKILL || sig == SIGSTOP))) {
		errno = EINVAL;
		return -1;
	}
	tern_lowlock_acquire(&act_lock);
	if (old)
		*old = actions[sig];
	if (act)
		actions[sig] = *act;
	tern_lowlock_release(&act_lock);
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr handler)
{
	struct sigaction act, old;

	memset(&act, 0, sizeof(act));
	act.sa_handler = handler;
	act.sa_flags = SA_RESTART;	/* BSD/glibc signal() semantics */
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* Runs one signal's action on the calling thread; returns its SA_RESTART. */
static int sig_run(int sig)
{
	struct sigaction act;

	tern_lowlock_acquire(&act_lock);
	act = actions[sig];
	if ((act.sa_flags & SA_RESETHAND) && act.sa_handler != SIG_IGN)
		actions[sig].sa_handler = SIG_DFL;
	tern_lowlock_release(&act_lock);

	if (act.sa_handler == SIG_IGN)
		return 1;
	if (act.sa_handler == SIG_DFL) {
		if (sig_ignored_by_default(sig))
			return 1;
		sig_terminate(sig);
	}
	act.sa_handler(sig);
	return (act.sa_flags & SA_RESTART) != 0;
}

int tern_signals_deliver(void)
{
	struct tern_tcb *self = tern_self();
	int restart = 1;
	uint32_t ready;

	while ((ready = __atomic_load_n(&self->sig_pending, __ATOMIC_ACQUIRE) & ~self->sig_blocked)) {
		int sig = __builtin_ctz(ready);

		__atomic_and_fetch(&self->sig_pending, ~(1u << sig), __ATOMIC_ACQ_REL);
		restart &= sig_run(sig);
	}
	return restart;
}

/* Would delivering @sig do nothing at all? Then it need not interrupt anyone. */
static int sig_discarded(int sig)
{
	_sig_func_ptr h;

	tern_lowlock_acquire(&act_lock);
	h = actions[sig].sa_handler;
	tern_lowlock_release(&act_lock);
	return h == SIG_IGN || (h == SIG_DFL && sig_ignored_by_default(sig));
}

struct kill_req {
	int sig;
	long tid;
	int interrupt;
};

static int kill_locked(struct tern_tcb *t, void *arg)
{
	struct kill_req *req = arg;

	if (!__atomic_load_n(&t->alive, __ATOMIC_ACQUIRE))
		return -ESRCH;
	if (req->sig == 0)
		return 0;
	__atomic_or_fetch(&t->sig_pending, 1u << req->sig, __ATOMIC_ACQ_REL);
	req->tid = t->tid;
	req->interrupt = !(__atomic_load_n(&t->sig_blocked, __ATOMIC_RELAXED) & (1u << req->sig));
	return 0;
}

int pthread_kill(pthread_t thread, int sig)
{
	struct kill_req req = { .sig = sig };
	int r;

	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (sig && sig_discarded(sig))
		return tern_thread_with(thread, kill_locked, &(struct kill_req){ .sig = 0 }) ? ESRCH : 0;
	if ((struct tern_tcb *)thread == tern_self()) {
		if (sig) {
			__atomic_or_fetch(&tern_self()->sig_pending, 1u << sig, __ATOMIC_ACQ_REL);
			tern_signals_deliver();
		}
		return 0;
	}
	r = tern_thread_with(thread, kill_locked, &req);
	if (r)
		return -r;
	/* -ESRCH here means it is exiting: the signal is moot, as on Linux. */
	if (sig && req.interrupt)
		sys1(TERN_SYS_THREAD_INTERRUPT, req.tid);
	return 0;
}

/* newlib's raise() comes here as _kill(getpid(), sig). */
int _kill(int pid, int sig)
{
	int r;

	if (pid == 0 || pid == getpid()) {
		r = pthread_kill(pthread_self(), sig);
		if (r) {
			errno = r;
			return -1;
		}
		return 0;
	}
	/* Other processes are reached through handles (tern_process_kill), not pids. */
	errno = EPERM;
	return -1;
}

int kill(pid_t pid, int sig) __attribute__((alias("_kill")));

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	struct tern_tcb *self = tern_self();
	uint32_t mask = set ? (uint32_t)*set : 0;

	if (old)
		*old = self->sig_blocked;
	if (!set)
		return 0;
	mask &= ~((1u << SIGKILL) | (1u << SIGSTOP));
	switch (how) {
	case SIG_BLOCK:
		self->sig_blocked |= mask;
		break;
	case SIG_UNBLOCK:
		self->sig_blocked &= ~mask;
		break;
	case SIG_SETMASK:
		self->sig_blocked = mask;
		break;
	default:
		return EINVAL;
	}
	/* Signals that arrived while blocked run now that they are not. */
	tern_signals_deliver();
	return 0;
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	int r = pthread_sigmask(how, set, old);

	if (r) {
		errno = r;
		return -1;
	}
	return 0;
}
