/*
 * The fd table. Each slot points at a reference-counted struct tern_fd, so a
 * close() racing with a read() in another thread frees nothing under it; dup
 * shares one struct (one "open file description", flags included).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include <tern/fd.h>
#include "internal.h"

static struct tern_lowlock fd_lock = TERN_LOWLOCK_INIT;
static struct tern_fd *fd_table[TERN_FD_MAX];
uint8_t tern_fd_cloexec[TERN_FD_MAX];	/* FD_CLOEXEC, per fd (reported only: no exec) */

static void fd_release(struct tern_fd *f)
{
	if (f->ops->release)
		f->ops->release(f);
	if (f->handle >= 0)
		sys1(TERN_SYS_HANDLE_CLOSE, f->handle);
	free(f);
}

void tern_fd_put(struct tern_fd *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) == 0)
		fd_release(f);
}

struct tern_fd *tern_fd_get(int fd)
{
	struct tern_fd *f = NULL;

	if (fd >= 0 && fd < TERN_FD_MAX) {
		tern_lowlock_acquire(&fd_lock);
		f = fd_table[fd];
		if (f)
			__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
		tern_lowlock_release(&fd_lock);
	}
	if (!f)
		errno = EBADF;
	return f;
}

/* Puts @f (whose reference the table takes over) at the lowest free fd >= @min. */
static int fd_place(struct tern_fd *f, int min)
{
	int fd = -1;

	tern_lowlock_acquire(&fd_lock);
	for (int i = min; i < TERN_FD_MAX; i++) {
		if (!fd_table[i]) {
			fd_table[i] = f;
			tern_fd_cloexec[i] = 0;
			fd = i;
			break;
		}
	}
	tern_lowlock_release(&fd_lock);
	if (fd < 0)
		errno = EMFILE;
	return fd;
}

int tern_fd_install(const struct tern_fd_ops *ops, int handle, int flags, void *priv)
{
	struct tern_fd *f = calloc(1, sizeof(*f));
	int fd;

	if (!f) {
		errno = ENOMEM;
		return -1;
	}
	f->ops = ops;
	f->handle = handle;
	f->flags = flags;
	f->priv = priv;
	f->refs = 1;
	fd = fd_place(f, 0);
	if (fd < 0)
		free(f);	/* the caller still owns @handle and @priv */
	return fd;
}

int tern_fd_dup_min(int oldfd, int min)
{
	struct tern_fd *f = tern_fd_get(oldfd);
	int fd;

	if (!f)
		return -1;
	if (min < 0 || min >= TERN_FD_MAX) {
		tern_fd_put(f);
		errno = EINVAL;
		return -1;
	}
	fd = fd_place(f, min);
	if (fd < 0)
		tern_fd_put(f);
	return fd;
}

int dup(int oldfd)
{
	return tern_fd_dup_min(oldfd, 0);
}

int dup2(int oldfd, int newfd)
{
	struct tern_fd *f = tern_fd_get(oldfd), *old;

	if (!f)
		return -1;
	if (newfd < 0 || newfd >= TERN_FD_MAX) {
		tern_fd_put(f);
		errno = EBADF;
		return -1;
	}
	if (newfd == oldfd) {
		tern_fd_put(f);
		return newfd;
	}
	tern_lowlock_acquire(&fd_lock);
	old = fd_table[newfd];
	fd_table[newfd] = f;
	tern_fd_cloexec[newfd] = 0;
	tern_lowlock_release(&fd_lock);
	if (old)
		tern_fd_put(old);
	return newfd;
}

int _close(int fd)
{
	struct tern_fd *f = NULL;

	if (fd >= 0 && fd < TERN_FD_MAX) {
		tern_lowlock_acquire(&fd_lock);
		f = fd_table[fd];
		fd_table[fd] = NULL;
		tern_lowlock_release(&fd_lock);
	}
	if (!f) {
		errno = EBADF;
		return -1;
	}
	tern_fd_put(f);
	return 0;
}

int close(int fd) __attribute__((alias("_close")));

int tern_fd_from_handle(int h)
{
	struct tern_handle_info info;
	extern const struct tern_fd_ops tern_console_ops, tern_eventfd_ops;
	const struct tern_fd_ops *ops;
	int flags = O_RDWR;

	if (sys_ret(sys2(TERN_SYS_HANDLE_INFO, h, &info)) < 0)
		return -1;
	if (info.type == TERN_KOBJ_CONSOLE) {
		ops = &tern_console_ops;
	} else if (info.type == TERN_KOBJ_NOTIFY) {
		ops = &tern_eventfd_ops;
	} else {
		errno = EINVAL;	/* no fd kind for this object type */
		return -1;
	}
	return tern_fd_install(ops, h, flags, NULL);
}

int tern_handle_from_fd(int fd)
{
	struct tern_fd *f = tern_fd_get(fd);
	int h;

	if (!f)
		return -1;
	h = f->handle;
	tern_fd_put(f);
	if (h < 0) {
		errno = EBADF;
		return -1;
	}
	return h;
}

void tern_fd_init(void)
{
	tern_console_fd_init();
}
