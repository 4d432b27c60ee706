/*
 * eventfd on a tern notification object, which already has eventfd semantics
 * (a 64-bit counter, semaphore mode, a maximum of 2^64 - 2). read/write move
 * exactly 8 bytes, with the errors eventfd(2) gives.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tern/fd.h>
#include "internal.h"


static ssize_t eventfd_fd_read(struct tern_fd *f, void *buf, size_t len)
{
	uint64_t value;
	long r;

	if (len < sizeof(value))
		return -EINVAL;
	r = sys3(TERN_SYS_NOTIFY_WAIT, f->handle, &value,
		 (f->flags & O_NONBLOCK) ? 0 : TERN_WAIT_FOREVER);
	if (r < 0)
		return r;
	memcpy(buf, &value, sizeof(value));
	return sizeof(value);
}

static ssize_t eventfd_fd_write(struct tern_fd *f, const void *buf, size_t len)
{
	struct tern_wait_item item = { .handle = f->handle, .events = TERN_WAIT_WRITE };
	uint64_t value;
	long r;

	if (len < sizeof(value))
		return -EINVAL;
	memcpy(&value, buf, sizeof(value));
	if (value == UINT64_MAX)
		return -EINVAL;
	/* A full counter blocks the writer until a read makes room. */
	while ((r = sys2(TERN_SYS_NOTIFY_SIGNAL, f->handle, value)) == -EAGAIN &&
	       !(f->flags & O_NONBLOCK)) {
		r = sys3(TERN_SYS_WAIT_ANY, &item, 1, TERN_WAIT_FOREVER);
		if (r < 0)
			return r;
	}
	return r < 0 ? r : (ssize_t)sizeof(value);
}

static int eventfd_fd_fstat(struct tern_fd *f, struct stat *st)
{
	(void)f;
	st->st_mode = 0600;	/* an anonymous inode, like Linux's */
	return 0;
}

const struct tern_fd_ops tern_eventfd_ops = {
	.kind = "eventfd",
	.read = eventfd_fd_read,
	.write = eventfd_fd_write,
	.fstat = eventfd_fd_fstat,
};

int eventfd(unsigned int initval, int flags)
{
	long h;
	int fd;

	if (flags & ~(EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC)) {
		errno = EINVAL;
		return -1;
	}
	h = sys2(TERN_SYS_NOTIFY_CREATE, initval,
		 (flags & EFD_SEMAPHORE) ? TERN_NOTIFY_SEMAPHORE : 0);
	if (sys_ret(h) < 0)
		return -1;
	fd = tern_fd_install(&tern_eventfd_ops, (int)h, O_RDWR | (flags & O_NONBLOCK), NULL);
	if (fd < 0)
		sys1(TERN_SYS_HANDLE_CLOSE, h);
	else if (flags & EFD_CLOEXEC)
		tern_fd_cloexec[fd] = 1;
	return fd;
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}
