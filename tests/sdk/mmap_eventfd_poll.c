/*
 * SDK sample: anonymous mmap/mprotect/munmap (MAP_FIXED_NOREPLACE), eventfds
 * (counter and semaphore mode, nonblocking errors) and poll with a timeout.
 * Single-threaded, so tests/sdk/ternemu can run it on the build host.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static int failures;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;					\
		}							\
	} while (0)

int main(void)
{
	size_t len = 64 * 1024;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct pollfd pfd;
	uint64_t v;
	int fd;

	CHECK(p != MAP_FAILED && p[0] == 0 && p[len - 1] == 0);
	memset(p, 0xab, len);
	CHECK(mmap(p, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) ==
	      MAP_FAILED && errno == EEXIST);
	CHECK(mprotect(p, 4096, PROT_READ) == 0);
	CHECK(munmap(p, len) == 0);
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, 0, 0) == MAP_FAILED && errno == ENODEV);

	fd = eventfd(3, EFD_NONBLOCK);
	CHECK(fd >= 0);
	CHECK(read(fd, &v, sizeof(v)) == 8 && v == 3);
	CHECK(read(fd, &v, sizeof(v)) == -1 && errno == EAGAIN);
	CHECK(read(fd, &v, 4) == -1 && errno == EINVAL);
	v = UINT64_MAX;
	CHECK(write(fd, &v, sizeof(v)) == -1 && errno == EINVAL);
	CHECK(ioctl(fd, 0x1234) == -1 && errno == ENOTTY);

	/* poll: nothing to read yet times out; after a write it is readable. */
	pfd.fd = fd;
	pfd.events = POLLIN;
	CHECK(poll(&pfd, 1, 30) == 0 && pfd.revents == 0);
	CHECK(eventfd_write(fd, 5) == 0);
	CHECK(poll(&pfd, 1, 1000) == 1 && (pfd.revents & POLLIN));
	close(fd);

	fd = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
	CHECK(read(fd, &v, 8) == 8 && v == 1 && read(fd, &v, 8) == 8 && v == 1);
	CHECK(read(fd, &v, 8) == -1 && errno == EAGAIN);
	close(fd);

	printf("%s: %d failures\n", failures ? "FAIL" : "PASS", failures);
	return failures ? 1 : 0;
}
