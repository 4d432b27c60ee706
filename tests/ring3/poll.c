/*
 * poll(): timeouts are honoured (never early, late by at most SLACK_MS),
 * readiness is reported per fd (eventfd readable/writable, the console
 * writable, a closed fd POLLNVAL, a negative fd ignored), and a write from
 * another thread ends a long poll early.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "lib/r3.h"

/* Emulators are slow and the scheduler has 10 ms slices. */
#define SLACK_MS	100

static int efd[2];

static uint64_t ms_since(uint64_t t0)
{
	return (r3_now_ns() - t0) / 1000000;
}

static void timeouts(void)
{
	static const int waits[] = { 0, 10, 50, 200 };

	for (unsigned int i = 0; i < sizeof(waits) / sizeof(waits[0]); i++) {
		struct pollfd p = { .fd = efd[0], .events = POLLIN };
		uint64_t t0 = r3_now_ns(), ms;
		int n = poll(&p, 1, waits[i]);

		ms = ms_since(t0);
		r3_check(n == 0 && p.revents == 0, "poll(%d ms) on an empty eventfd returned %d (%s), "
			 "revents %#x", waits[i], n, n < 0 ? strerror(errno) : "-", p.revents);
		r3_check(ms >= (uint64_t)waits[i] && ms <= (uint64_t)waits[i] + SLACK_MS,
			 "poll(%d ms) took %llu ms", waits[i], (unsigned long long)ms);
		printf("%s: poll(%d ms) timed out after %llu ms\n", r3_name(), waits[i],
		       (unsigned long long)ms);
	}
}

static void readiness(void)
{
	struct pollfd p[5] = {
		{ .fd = efd[0], .events = POLLIN },
		{ .fd = efd[1], .events = POLLIN | POLLOUT },
		{ .fd = 1, .events = POLLOUT },
		{ .fd = 99, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	uint64_t one = 1, v;
	int n;

	r3_check(write(efd[1], &one, 8) == 8, "eventfd write");
	n = poll(p, 5, 1000);
	r3_check(n == 3, "poll returned %d, want 3 (efd1, console, fd 99)", n);
	r3_check(p[0].revents == 0, "idle eventfd revents %#x", p[0].revents);
	r3_check(p[1].revents == (POLLIN | POLLOUT), "signalled eventfd revents %#x, want %#x",
		 p[1].revents, POLLIN | POLLOUT);
	r3_check(p[2].revents == POLLOUT, "console revents %#x, want POLLOUT", p[2].revents);
	r3_check(p[3].revents == POLLNVAL, "fd 99 revents %#x, want POLLNVAL", p[3].revents);
	r3_check(p[4].revents == 0, "fd -1 revents %#x, want 0", p[4].revents);
	r3_check(read(efd[1], &v, 8) == 8 && v == 1, "eventfd read after poll");

	p[1].events = POLLIN;
	r3_check(poll(&p[1], 1, 0) == 0, "drained eventfd still readable");
}

static uint64_t write_ns;

static void *late_writer(void *arg)
{
	uint64_t one = 1;

	(void)arg;
	usleep(40 * 1000);
	write_ns = r3_now_ns();
	write(efd[0], &one, 8);
	return NULL;
}

/* A write from another thread ends a long poll soon after it happens. */
static void woken_early(void)
{
	struct pollfd p = { .fd = efd[0], .events = POLLIN };
	pthread_t t;
	uint64_t woken, v;
	int n;

	pthread_create(&t, NULL, late_writer, NULL);
	n = poll(&p, 1, 5000);
	woken = r3_now_ns();
	pthread_join(t, NULL);
	r3_check(n == 1 && p.revents == POLLIN, "poll woken by a write returned %d revents %#x", n,
		 p.revents);
	r3_check(woken >= write_ns && woken - write_ns <= SLACK_MS * 1000000ull,
		 "poll(5000 ms) ended %lld ms after the write", ((long long)woken -
		 (long long)write_ns) / 1000000);
	printf("%s: a write ended poll(5000 ms) %llu us later\n", r3_name(),
	       (unsigned long long)(woken - write_ns) / 1000);
	read(efd[0], &v, 8);
}

int main(int argc, char **argv)
{
	(void)argc;
	r3_start(argv[0]);
	efd[0] = eventfd(0, 0);
	efd[1] = eventfd(0, 0);
	if (!r3_check(efd[0] >= 0 && efd[1] >= 0, "eventfd: %s", strerror(errno)))
		return r3_done();
	timeouts();
	readiness();
	woken_early();
	return r3_done();
}
