/*
 * pthread_kill interrupts a blocked call: a thread blocked in read() on an
 * eventfd, in nanosleep() and in poll() gets -1/EINTR soon after another
 * thread calls pthread_kill(SIGUSR1) on it, and the SIGUSR1 handler (installed
 * without SA_RESTART) runs once per signal. On tern a signal sent just before
 * the thread blocks is kept, so its next blocking call returns EINTR at once.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "lib/r3.h"

#define LONG_MS		3000	/* how long a call would block if nobody interrupted it */

enum call { CALL_READ, CALL_SLEEP, CALL_POLL };
static const char *const call_name[] = { "read(eventfd)", "nanosleep", "poll" };

struct blocker {
	enum call call;
	int fd;
	volatile bool spin;	/* busy until cleared, then block (the "pending" case) */
	volatile bool spinning;
	volatile bool done;
	int ret, err;
	uint64_t ms;
};

static volatile int handled;

static void on_usr1(int sig)
{
	if (sig == SIGUSR1)
		__atomic_add_fetch(&handled, 1, __ATOMIC_RELAXED);
}

static void *blocker_main(void *arg)
{
	struct blocker *b = arg;
	struct timespec ts = { .tv_sec = LONG_MS / 1000 };
	struct pollfd p = { .fd = b->fd, .events = POLLIN };
	uint64_t v, t0;

	b->spinning = true;
	while (b->spin)
		;
	t0 = r3_now_ns();
	switch (b->call) {
	case CALL_READ:
		b->ret = (int)read(b->fd, &v, sizeof(v));
		break;
	case CALL_SLEEP:
		b->ret = nanosleep(&ts, NULL);
		break;
	case CALL_POLL:
		b->ret = poll(&p, 1, LONG_MS);
		break;
	}
	b->err = errno;
	b->ms = (r3_now_ns() - t0) / 1000000;
	b->done = true;
	return NULL;
}

static void interrupt(enum call call, bool pending)
{
	struct blocker b = { .call = call, .fd = eventfd(0, 0), .spin = pending };
	uint64_t one = 1;
	pthread_t t;

	pthread_create(&t, NULL, blocker_main, &b);
	if (!pending)
		usleep(30 * 1000);	/* long enough for it to block */
	while (!b.spinning)
		;	/* its start-up is done: the interrupt is for the call below */
	r3_check(pthread_kill(t, SIGUSR1) == 0, "pthread_kill failed");
	b.spin = false;
	/* Never hang the test: after LONG_MS the blocked read gets data. */
	for (int i = 0; i < LONG_MS / 10 && !b.done; i++)
		usleep(10 * 1000);
	if (!b.done)
		write(b.fd, &one, sizeof(one));
	pthread_join(t, NULL);
	close(b.fd);

	r3_check(b.ret == -1 && b.err == EINTR, "%s%s returned %d (%s), want -1/EINTR",
		 call_name[call], pending ? " (interrupt sent before it blocked)" : "", b.ret,
		 b.ret < 0 ? strerror(b.err) : "no error");
	r3_check(b.ms < LONG_MS / 2, "%s took %llu ms to be interrupted", call_name[call],
		 (unsigned long long)b.ms);
	printf("%s: %s%s interrupted after %llu ms\n", r3_name(), call_name[call],
	       pending ? " (pending)" : "", (unsigned long long)b.ms);
}

static void *idle_thread(void *arg)
{
	(void)arg;
	usleep(20 * 1000);
	return NULL;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	pthread_t t;

	(void)argc;
	r3_start(argv[0]);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: interrupted calls fail with EINTR */
	sigemptyset(&sa.sa_mask);
	r3_check(sigaction(SIGUSR1, &sa, NULL) == 0, "sigaction: %s", strerror(errno));

	interrupt(CALL_READ, false);
	interrupt(CALL_SLEEP, false);
	interrupt(CALL_POLL, false);
	interrupt(CALL_READ, true);
	r3_check(handled == 4, "SIGUSR1 handler ran %d times, want 4", handled);

	/* Signal 0 only checks the thread exists; a bad signal number is EINVAL. */
	pthread_create(&t, NULL, idle_thread, NULL);
	r3_check(pthread_kill(t, 0) == 0, "pthread_kill(t, 0) on a live thread");
	r3_check(pthread_kill(t, 1000) == EINVAL, "pthread_kill(t, 1000) not EINVAL");
	pthread_join(t, NULL);
	return r3_done();
}
