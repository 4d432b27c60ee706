/*
 * The console as fds 0, 1 and 2: one shared open file on handle 1 when the
 * creator passed a console there (the convention in <tern/syscall.h>).
 * Without one, the three fds stay closed and stdio reports EBADF.
 */
#include <fcntl.h>
#include <unistd.h>
#include <tern/fd.h>
#include "internal.h"

static ssize_t console_read(struct tern_fd *f, void *buf, size_t len)
{
	uint64_t timeout = (f->flags & O_NONBLOCK) ? 0 : TERN_WAIT_FOREVER;

	if (len == 0)
		return 0;
	return sys4(TERN_SYS_CONSOLE_READ, f->handle, buf, len, timeout);
}

static ssize_t console_write(struct tern_fd *f, const void *buf, size_t len)
{
	return sys3(TERN_SYS_CONSOLE_WRITE, f->handle, buf, len);
}

static int console_fstat(struct tern_fd *f, struct stat *st)
{
	(void)f;
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	return 0;
}

const struct tern_fd_ops tern_console_ops = {
	.kind = "console",
	.read = console_read,
	.write = console_write,
	.fstat = console_fstat,
};

void tern_console_fd_init(void)
{
	struct tern_handle_info info;
	int fd;

	if (sys2(TERN_SYS_HANDLE_INFO, TERN_H_CONSOLE, &info) < 0 ||
	    info.type != TERN_KOBJ_CONSOLE)
		return;
	fd = tern_fd_install(&tern_console_ops, TERN_H_CONSOLE, O_RDWR, NULL);
	if (fd != 0)
		return;		/* out of memory this early: no console */
	dup2(0, 1);
	dup2(0, 2);
}
