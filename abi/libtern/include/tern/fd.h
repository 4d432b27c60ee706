/*
 * libtern's file-descriptor table and its extension hook. An fd is a
 * reference-counted struct tern_fd with an ops table; libtern supplies the
 * console, eventfds and /boot files, and other libraries (libkvm) add their
 * own kinds with tern_fd_install(). read/write/lseek/ioctl/fstat/poll/mmap/close
 * dispatch through the ops; a missing op gives the POSIX error for "this kind
 * of file cannot do that".
 */
#ifndef TERN_FD_H
#define TERN_FD_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <tern/syscall.h>

#define TERN_FD_MAX	1024

struct tern_fd;

struct tern_fd_ops {
	const char *kind;	/* for diagnostics: "console", "eventfd", ... */
	/* Return bytes or -errno. f->flags holds O_NONBLOCK. */
	ssize_t (*read)(struct tern_fd *f, void *buf, size_t len);
	ssize_t (*write)(struct tern_fd *f, const void *buf, size_t len);
	off_t (*lseek)(struct tern_fd *f, off_t off, int whence);	/* or -errno */
	/* Request-specific; returns >= 0 or -errno (-ENOTTY for unknown requests). */
	int (*ioctl)(struct tern_fd *f, unsigned long request, void *arg);
	int (*fstat)(struct tern_fd *f, struct stat *st);		/* 0 or -errno */
	/*
	 * poll: either returns the revents that are true right now (nonzero, no
	 * wait needed) or 0 after filling @item (handle and TERN_WAIT_* events)
	 * so that poll() waits on it with TERN_SYS_WAIT_ANY. NULL: poll waits on
	 * f->handle for READ/WRITE as asked.
	 */
	short (*poll)(struct tern_fd *f, short events, struct tern_wait_item *item);
	/* mmap of this fd; NULL gives ENODEV. Returns the address or -errno cast. */
	long (*mmap)(struct tern_fd *f, void *addr, size_t len, int prot, int flags, off_t off);
	/* Last reference gone: release f->priv (the handle is closed by libtern if >= 0). */
	void (*release)(struct tern_fd *f);
};

struct tern_fd {
	const struct tern_fd_ops *ops;
	int handle;		/* the kernel object behind it, or -1 */
	int flags;		/* O_ACCMODE bits, O_NONBLOCK, O_APPEND */
	uint32_t refs;		/* libtern's; do not touch */
	void *priv;
};

/* A new fd (the lowest free) for @ops/@handle/@priv, or -1 with errno (EMFILE, ENOMEM). */
int tern_fd_install(const struct tern_fd_ops *ops, int handle, int flags, void *priv);
/* The fd's object with a reference taken, or NULL with errno EBADF. */
struct tern_fd *tern_fd_get(int fd);
void tern_fd_put(struct tern_fd *f);

/*
 * open(TERN_KVM_DEV_PATH) calls this hook, which libkvm implements (tern-cc
 * links libtern and libkvm as one group): a /dev/kvm fd, or -1 with errno
 * (ENOENT when the process was not given a KVM ring by the service domain).
 */
#define TERN_KVM_DEV_PATH	"/dev/kvm"
int tern_kvm_open(int flags);

#endif
