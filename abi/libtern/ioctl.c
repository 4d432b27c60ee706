/*
 * ioctl() and fcntl(): requests every fd understands (FIONBIO, the status and
 * descriptor flags) are handled here; the rest goes to the fd's kind, and a
 * kind without an ioctl op answers ENOTTY.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <tern/fd.h>
#include "internal.h"


int ioctl(int fd, unsigned long request, ...)
{
	struct tern_fd *f = tern_fd_get(fd);
	va_list ap;
	void *arg;
	int r;

	if (!f)
		return -1;
	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);

	if (request == FIONBIO) {
		if (!arg) {
			r = -EFAULT;
		} else {
			if (*(int *)arg)
				__atomic_or_fetch(&f->flags, O_NONBLOCK, __ATOMIC_RELAXED);
			else
				__atomic_and_fetch(&f->flags, ~O_NONBLOCK, __ATOMIC_RELAXED);
			r = 0;
		}
	} else if (f->ops->ioctl) {
		r = f->ops->ioctl(f, request, arg);
	} else {
		r = -ENOTTY;
	}
	tern_fd_put(f);
	return (int)sys_ret(r);
}


int fcntl(int fd, int cmd, ...)
{
	struct tern_fd *f = tern_fd_get(fd);
	va_list ap;
	long arg;
	int r;

	if (!f)
		return -1;
	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);

	switch (cmd) {
	case F_GETFL:
		r = f->flags;
		break;
	case F_SETFL:
		/* Only O_NONBLOCK and O_APPEND may change, as on Linux. */
		__atomic_store_n(&f->flags, (f->flags & ~(O_NONBLOCK | O_APPEND)) |
				 ((int)arg & (O_NONBLOCK | O_APPEND)), __ATOMIC_RELAXED);
		r = 0;
		break;
	case F_GETFD:
		r = tern_fd_cloexec[fd] ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		tern_fd_cloexec[fd] = (arg & FD_CLOEXEC) != 0;
		r = 0;
		break;
	case F_DUPFD:
		r = tern_fd_dup_min(fd, (int)arg);
		if (r < 0)
			r = -errno;
		break;
	default:
		r = -EINVAL;
		break;
	}
	tern_fd_put(f);
	return (int)sys_ret(r);
}


/* newlib's _fcntl_r hook (fdopen and friends). */
int _fcntl(int fd, int cmd, int arg)
{
	return fcntl(fd, cmd, arg);
}
