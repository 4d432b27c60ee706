/*
 * libkvm's /dev/kvm before any request: a process the service domain gave no
 * KVM ring (here: one that closed handles 3-5) gets ENOENT from
 * open("/dev/kvm"); a ring it cannot use (too small, wrong magic or version)
 * gives ENODEV; a well-formed one gives a character-device fd (no request is
 * sent: there is no service domain behind this ring). KVM ioctls on bad,
 * closed and non-KVM fds fail as on Linux (EBADF, ENOTTY) and fds that cannot
 * be mapped give ENODEV.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/kvm.h>
#include <tern/kvm_ring.h>
#include <tern/tern.h>

#include "lib/r3.h"

/* ioctl() fails with errno @want. */
static void ioctl_fails(int fd, unsigned long req, int want, const char *what)
{
	int r;

	errno = 0;
	r = ioctl(fd, req, 0);
	r3_check(r == -1 && errno == want, "%s: returned %d, errno %s, want %s", what, r,
		 strerror(errno), strerror(want));
}

static void open_fails(int want, const char *what)
{
	int fd;

	errno = 0;
	fd = open("/dev/kvm", O_RDWR);
	r3_check(fd == -1 && errno == want, "open /dev/kvm with %s: %d, %s, want %s", what, fd,
		 strerror(errno), strerror(want));
	if (fd >= 0)
		close(fd);
}

/* Puts a shm object of @size at handle 3 and a ring header in it. */
static struct tern_kvm_ring *ring_at_3(size_t size, uint32_t version)
{
	struct tern_kvm_ring *r;
	int h;

	tern_handle_close(TERN_H_KVM_RING);
	h = tern_shm_create(size);
	r3_check(h == TERN_H_KVM_RING, "shm at handle %d, want 3", h);
	r = tern_shm_map(h, NULL, PROT_READ | PROT_WRITE, 0);
	if (!r3_check(r != (void *)-1, "shm map: %s", strerror(errno)))
		return NULL;
	r->magic = TERN_KVM_RING_MAGIC;
	r->version = version;
	r->nslots = TERN_KVM_RING_SLOTS;
	r->slot_size = TERN_KVM_SLOT_SIZE;
	return r;
}

static void bad_and_good_rings(void)
{
	struct tern_kvm_ring *r;
	struct stat st;
	int fd, h3, h4, h5;

	/* Handles go to the lowest free number. */
	h3 = tern_notify_create(0, 0);
	h4 = tern_notify_create(0, 0);
	h5 = tern_notify_create(0, 0);
	r3_check(h3 == TERN_H_KVM_RING && h4 == TERN_H_KVM_SUBMIT && h5 == TERN_H_KVM_COMPLETE,
		 "notifications at %d, %d and %d, want 3, 4 and 5", h3, h4, h5);
	open_fails(ENOENT, "a notification at handle 3");
	ring_at_3(4096, TERN_KVM_RING_VERSION);
	open_fails(ENODEV, "a one-page ring");
	r = ring_at_3(TERN_KVM_RING_SIZE, TERN_KVM_RING_VERSION + 1);
	open_fails(ENODEV, "a ring of another version");
	if (r) {
		r->version = TERN_KVM_RING_VERSION;
		r->magic = 0;
		open_fails(ENODEV, "a ring without its magic");
		r->magic = TERN_KVM_RING_MAGIC;
	}
	/* A usable ring: the open itself sends nothing. */
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (r3_check(fd >= 0, "open /dev/kvm with a well-formed ring: %s", strerror(errno))) {
		r3_check(fstat(fd, &st) == 0 && S_ISCHR(st.st_mode),
			 "fstat of /dev/kvm: a character device (mode %#o)", (unsigned)st.st_mode);
		r3_check((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "O_CLOEXEC kept");
		errno = 0;
		r3_check(mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED &&
			 errno == ENODEV, "mmap of /dev/kvm: %s, want ENODEV", strerror(errno));
		r3_check(close(fd) == 0, "close /dev/kvm");
	}
	r3_check(r && r->sq_tail == 0, "no request queued by open/fstat/mmap/close");
}

int main(int argc, char **argv)
{
	void *p;
	int fd, efd;

	(void)argc;
	r3_start(argv[0]);
	/* Whatever the spawner passed at the ring's places goes away. */
	tern_handle_close(TERN_H_KVM_RING);
	tern_handle_close(TERN_H_KVM_SUBMIT);
	tern_handle_close(TERN_H_KVM_COMPLETE);

	for (int i = 0; i < 2; i++) {
		errno = 0;
		fd = open("/dev/kvm", i ? O_RDONLY : O_RDWR | O_CLOEXEC);
		r3_check(fd == -1 && errno == ENOENT, "open /dev/kvm without a ring (try %d): %d, %s",
			 i + 1, fd, strerror(errno));
	}
	errno = 0;
	fd = open("/dev/kvmx", O_RDWR);
	r3_check(fd == -1 && errno == ENOENT, "open /dev/kvmx: %d, %s", fd, strerror(errno));

	ioctl_fails(-1, KVM_GET_API_VERSION, EBADF, "KVM_GET_API_VERSION on fd -1");
	ioctl_fails(99, KVM_RUN, EBADF, "KVM_RUN on fd 99");
	efd = eventfd(0, 0);
	r3_check(efd >= 0, "eventfd: %s", strerror(errno));
	ioctl_fails(efd, KVM_CREATE_VM, ENOTTY, "KVM_CREATE_VM on an eventfd");
	ioctl_fails(efd, KVM_RUN, ENOTTY, "KVM_RUN on an eventfd");

	errno = 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, efd, 0);
	r3_check(p == MAP_FAILED && errno == ENODEV, "mmap of an eventfd: %p, %s", p,
		 strerror(errno));
	close(efd);
	ioctl_fails(efd, KVM_RUN, EBADF, "KVM_RUN on a closed fd");
	ioctl_fails(efd, KVM_GET_REGS, EBADF, "KVM_GET_REGS on a closed fd");
	errno = 0;
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, efd, 0);
	r3_check(p == MAP_FAILED && errno == EBADF, "mmap of a closed fd: %p, %s", p,
		 strerror(errno));
	bad_and_good_rings();
	return r3_done();
}
