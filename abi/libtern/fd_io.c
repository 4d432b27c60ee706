/*
 * The fd-level POSIX calls and newlib's hooks for them: dispatch through the
 * fd's ops, turn -errno into errno, and run signal handlers when a blocking
 * call was interrupted (restarting it when the handlers asked for SA_RESTART).
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <tern/fd.h>
#include "internal.h"

ssize_t _read(int fd, void *buf, size_t len)
{
	struct tern_fd *f = tern_fd_get(fd);
	ssize_t r;

	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		r = -EBADF;
	else if (!f->ops->read)
		r = -EINVAL;
	else
		while ((r = f->ops->read(f, buf, len)) == -EINTR && tern_signals_deliver())
			;
	tern_fd_put(f);
	return sys_ret(r);
}

ssize_t _write(int fd, const void *buf, size_t len)
{
	struct tern_fd *f = tern_fd_get(fd);
	ssize_t r;

	if (!f)
		return -1;
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		r = -EBADF;
	else if (!f->ops->write)
		r = -EINVAL;
	else
		while ((r = f->ops->write(f, buf, len)) == -EINTR && tern_signals_deliver())
			;
	tern_fd_put(f);
	return sys_ret(r);
}

off_t _lseek(int fd, off_t off, int whence)
{
	struct tern_fd *f = tern_fd_get(fd);
	off_t r;

	if (!f)
		return -1;
	r = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	tern_fd_put(f);
	return sys_ret(r);
}

int _fstat(int fd, struct stat *st)
{
	struct tern_fd *f = tern_fd_get(fd);
	int r;

	if (!f)
		return -1;
	memset(st, 0, sizeof(*st));
	r = f->ops->fstat ? f->ops->fstat(f, st) : 0;
	tern_fd_put(f);
	return (int)sys_ret(r);
}

int _isatty(int fd)
{
	struct tern_fd *f = tern_fd_get(fd);
	extern const struct tern_fd_ops tern_console_ops;
	int tty;

	if (!f)
		return 0;
	tty = f->ops == &tern_console_ops;
	tern_fd_put(f);
	if (!tty)
		errno = ENOTTY;
	return tty;
}

int _open(const char *path, int flags, ...)
{
	if (!path) {
		errno = EFAULT;
		return -1;
	}
	/* The one device node: libkvm (linked in the same group) owns it. */
	if (strcmp(path, TERN_KVM_DEV_PATH) == 0)
		return tern_kvm_open(flags);
	return tern_bootfile_open(path, flags);
}

int _stat(const char *path, struct stat *st)
{
	if (!path) {
		errno = EFAULT;
		return -1;
	}
	return tern_bootfile_stat(path, st);
}

/* The only files are the read-only /boot modules. */
int _unlink(const char *path)
{
	struct stat st;

	if (_stat(path, &st) == 0)
		errno = EROFS;
	return -1;
}

int _link(const char *old, const char *new)
{
	struct stat st;

	(void)new;
	if (_stat(old, &st) == 0)
		errno = EROFS;
	return -1;
}

ssize_t read(int fd, void *buf, size_t len) __attribute__((alias("_read")));
ssize_t write(int fd, const void *buf, size_t len) __attribute__((alias("_write")));
off_t lseek(int fd, off_t off, int whence) __attribute__((alias("_lseek")));
int fstat(int fd, struct stat *st) __attribute__((alias("_fstat")));
int isatty(int fd) __attribute__((alias("_isatty")));
int open(const char *path, int flags, ...) __attribute__((alias("_open")));
int stat(const char *path, struct stat *st) __attribute__((alias("_stat")));
int unlink(const char *path) __attribute__((alias("_unlink")));
int link(const char *old, const char *new) __attribute__((alias("_link")));

/* Nothing on tern is writable by path: the namespace is the read-only /boot. */
int _mkdir(const char *path, mode_t mode)
{
	struct stat st;

	(void)mode;
	errno = (path && _stat(path, &st) == 0) ? EEXIST : EROFS;
	return -1;
}

int mkdir(const char *path, mode_t mode) __attribute__((alias("_mkdir")));
