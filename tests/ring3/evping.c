/*
 * eventfd ping-pong between two threads, then between two processes: this
 * program (given TERN_RIGHT_SPAWN on handle 2) reads its own image from
 * /boot/<argv[0]>, starts a copy of itself and passes it the two eventfds'
 * handles. Usage: evping (parent); evping child A B (the copy: A and B are
 * its handles of the two eventfds).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <tern/tern.h>
#include <unistd.h>

#include "lib/r3.h"

#define ROUNDS	200

static int efd_a, efd_b;

static bool get(int fd, uint64_t *v)
{
	return read(fd, v, sizeof(*v)) == sizeof(*v);
}

static bool put(int fd, uint64_t v)
{
	return write(fd, &v, sizeof(v)) == sizeof(v);
}

/* The far side: answers each value v on A with 2v on B. */
static int echo_side(int a, int b)
{
	uint64_t v;

	for (int i = 0; i < ROUNDS; i++) {
		if (!get(a, &v) || v != (uint64_t)i + 1 || !put(b, 2 * v))
			return 1;
	}
	return 0;
}

/* The near side: sends 1..ROUNDS on A, expects the doubles on B. */
static void ping_side(int a, int b, const char *what)
{
	uint64_t t0 = r3_now_ns(), v = 0, us;

	for (int i = 0; i < ROUNDS; i++) {
		if (!r3_check(put(a, i + 1), "%s: write %d failed: %s", what, i, strerror(errno)) ||
		    !r3_check(get(b, &v), "%s: read %d failed: %s", what, i, strerror(errno)) ||
		    !r3_check(v == 2 * ((uint64_t)i + 1), "%s: round %d got %llu", what, i,
			      (unsigned long long)v))
			return;
	}
	us = (r3_now_ns() - t0) / 1000;
	printf("%s: %s: %d round trips in %llu us\n", r3_name(), what, ROUNDS,
	       (unsigned long long)us);
}

static void *thread_echo(void *arg)
{
	(void)arg;
	return (void *)(long)echo_side(efd_a, efd_b);
}

static void semantics(void)
{
	int fd = eventfd(0, EFD_NONBLOCK), sem = eventfd(2, EFD_SEMAPHORE);
	uint64_t v = 0;

	r3_check(fd >= 0 && sem >= 0, "eventfd: %s", strerror(errno));
	r3_check(read(fd, &v, 8) == -1 && errno == EAGAIN, "empty non-blocking read: want EAGAIN");
	put(fd, 3);
	put(fd, 4);
	r3_check(get(fd, &v) && v == 7, "3 + 4 read as %llu", (unsigned long long)v);
	r3_check(read(fd, &v, 4) == -1 && errno == EINVAL, "4-byte read: want EINVAL");
	r3_check(get(sem, &v) && v == 1 && get(sem, &v) && v == 1, "semaphore reads not 1, 1");
	close(fd);
	close(sem);
}

static void between_threads(void)
{
	pthread_t t;
	void *rc;

	pthread_create(&t, NULL, thread_echo, NULL);
	ping_side(efd_a, efd_b, "threads");
	pthread_join(t, &rc);
	r3_check(rc == NULL, "echo thread failed");
}

static void *read_boot_file(const char *name, size_t *len)
{
	char path[96];
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap);
	int fd;
	ssize_t r;

	snprintf(path, sizeof(path), "/boot/%s", name);
	fd = open(path, O_RDONLY);
	if (!r3_check(fd >= 0 && buf, "open %s: %s", path, strerror(errno)))
		return NULL;
	while ((r = read(fd, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap)
			buf = realloc(buf, cap *= 2);
	}
	close(fd);
	*len = n;
	return r3_check(r == 0 && n > 0, "reading %s: %s", path, strerror(errno)) ? buf : NULL;
}

static void between_processes(const char *self)
{
	int ha = tern_handle_from_fd(efd_a), hb = tern_handle_from_fd(efd_b);
	int handles[3] = { TERN_H_CONSOLE, ha, hb };
	const char *argv[] = { self, "child", "2", "3", NULL };
	size_t len;
	void *elf = read_boot_file(self, &len);
	int child, status = -1;

	if (!elf || !r3_check(ha >= 0 && hb >= 0, "eventfd handles: %s", strerror(errno)))
		return;
	child = tern_spawn(TERN_H_ROOT, elf, len, "evping-child", argv, NULL, handles, 3);
	free(elf);
	if (!r3_check(child >= 0, "tern_spawn: %s (needs the spawn flag in the SD config)",
		      strerror(errno)))
		return;
	ping_side(efd_a, efd_b, "processes");
	r3_check(tern_process_wait(child, &status, 30ull * 1000000000) == 0,
		 "waiting for the child: %s", strerror(errno));
	r3_check(status == 0, "child exit status 0x%x", status);
	tern_handle_close(child);
}

static int child_main(int argc, char **argv)
{
	const char *nargv[] = { "x", NULL };
	struct tern_handle_info info;
	int a, b, bad = 0;

	if (argc < 4)
		return 2;
	a = tern_fd_from_handle(atoi(argv[2]));
	b = tern_fd_from_handle(atoi(argv[3]));
	if (a < 0 || b < 0) {
		printf("%s: child: no fds for handles %s %s\n", r3_name(), argv[2], argv[3]);
		return 3;
	}
	/* Exactly the handles the parent passed: no root, nothing beyond them. */
	if (tern_handle_info(2, &info) || info.type != TERN_KOBJ_NOTIFY)
		bad |= 4;
	if (tern_handle_info(4, &info) == 0 || errno != EBADF)
		bad |= 8;
	if (tern_spawn(2, "", 1, "x", nargv, NULL, NULL, 0) >= 0)
		bad |= 16;
	return echo_side(a, b) | bad;
}

int main(int argc, char **argv)
{
	r3_start(argv[0]);
	if (argc > 1 && !strcmp(argv[1], "child"))
		return child_main(argc, argv);

	semantics();
	efd_a = eventfd(0, 0);
	efd_b = eventfd(0, 0);
	if (!r3_check(efd_a >= 0 && efd_b >= 0, "eventfd: %s", strerror(errno)))
		return r3_done();
	between_threads();
	between_processes(argv[0]);
	return r3_done();
}
