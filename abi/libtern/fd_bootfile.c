/*
 * Read-only files /boot/<name>: the multiboot2 modules, read through the
 * first ROOT handle that carries TERN_RIGHT_MODULES. No data is cached; each
 * read goes to the core, which copies from the module.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <tern/fd.h>
#include "internal.h"

#define BOOT_PREFIX	"/boot/"

struct bootfile {
	int root;
	unsigned int index;
	uint64_t size;
	uint64_t pos;
	struct tern_lowlock lock;	/* pos */
};

static int root_cached = -2;	/* -2: not looked up yet */

int tern_root_for_modules(void)
{
	struct tern_handle_info info;
	int root = -1;

	if (root_cached != -2)
		goto out;
	for (int h = 0; h < TERN_MAX_HANDLES; h++) {
		if (sys2(TERN_SYS_HANDLE_INFO, h, &info) == 0 && info.type == TERN_KOBJ_ROOT &&
		    (info.rights & TERN_RIGHT_MODULES)) {
			root = h;
			break;
		}
	}
	__atomic_store_n(&root_cached, root, __ATOMIC_RELAXED);
out:
	if (root_cached < 0)
		errno = ENOENT;
	return root_cached;
}

/* Finds module @path (with the /boot/ prefix) into *@index / *@size; 0 or -errno. */
static int bootfile_lookup(const char *path, int *root, unsigned int *index, uint64_t *size)
{
	struct tern_module_info info;
	const char *name;

	if (strncmp(path, BOOT_PREFIX, strlen(BOOT_PREFIX)) != 0)
		return -ENOENT;
	name = path + strlen(BOOT_PREFIX);
	if (!*name || strchr(name, '/'))
		return -ENOENT;
	*root = tern_root_for_modules();
	if (*root < 0)
		return -ENOENT;
	for (unsigned int i = 0;; i++) {
		long r = sys3(TERN_SYS_MODULE_INFO, *root, i, &info);

		if (r < 0)
			return r == -ENOENT ? -ENOENT : (int)r;
		info.name[TERN_MODULE_NAME_MAX - 1] = '\0';
		if (strcmp(info.name, name) == 0) {
			*index = i;
			*size = info.size;
			return 0;
		}
	}
}

static ssize_t bootfile_read(struct tern_fd *f, void *buf, size_t len)
{
	struct bootfile *b = f->priv;
	long r;

	tern_lowlock_acquire(&b->lock);
	if (b->pos >= b->size) {
		r = 0;
	} else {
		if (len > b->size - b->pos)
			len = (size_t)(b->size - b->pos);
		r = sys5(TERN_SYS_MODULE_READ, b->root, b->index, b->pos, buf, len);
		if (r > 0)
			b->pos += (uint64_t)r;
	}
	tern_lowlock_release(&b->lock);
	return r;
}

static off_t bootfile_lseek(struct tern_fd *f, off_t off, int whence)
{
	struct bootfile *b = f->priv;
	int64_t base;
	off_t r;

	tern_lowlock_acquire(&b->lock);
	base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? (int64_t)b->pos :
	       whence == SEEK_END ? (int64_t)b->size : -1;
	if (base < 0 || base + off < 0) {
		r = -EINVAL;
	} else {
		b->pos = (uint64_t)(base + off);
		r = (off_t)b->pos;
	}
	tern_lowlock_release(&b->lock);
	return r;
}

static void bootfile_fill_stat(struct stat *st, unsigned int index, uint64_t size)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0444;
	st->st_ino = index + 1;
	st->st_nlink = 1;
	st->st_size = (off_t)size;
	st->st_blksize = 4096;
	st->st_blocks = (blkcnt_t)((size + 511) / 512);
}

static int bootfile_fstat(struct tern_fd *f, struct stat *st)
{
	struct bootfile *b = f->priv;

	bootfile_fill_stat(st, b->index, b->size);
	return 0;
}

static int bootfile_ioctl(struct tern_fd *f, unsigned long request, void *arg)
{
	struct bootfile *b = f->priv;

	if (request != FIONREAD)
		return -ENOTTY;
	tern_lowlock_acquire(&b->lock);
	*(int *)arg = b->pos >= b->size ? 0 :
		      b->size - b->pos > 0x7fffffff ? 0x7fffffff : (int)(b->size - b->pos);
	tern_lowlock_release(&b->lock);
	return 0;
}

/* A regular file never blocks: readable and writable (as Linux reports) at once. */
static short bootfile_poll(struct tern_fd *f, short events, struct tern_wait_item *item)
{
	(void)f;
	item->handle = -1;	/* nothing to wait for if neither was asked */
	return events & (POLLIN | POLLOUT);
}

static void bootfile_release(struct tern_fd *f)
{
	free(f->priv);
}

static const struct tern_fd_ops bootfile_ops = {
	.kind = "bootfile",
	.read = bootfile_read,
	.lseek = bootfile_lseek,
	.ioctl = bootfile_ioctl,
	.fstat = bootfile_fstat,
	.poll = bootfile_poll,
	.release = bootfile_release,
};

int tern_bootfile_open(const char *path, int flags)
{
	struct bootfile *b;
	unsigned int index;
	uint64_t size;
	int root, r, fd;

	r = bootfile_lookup(path, &root, &index, &size);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT))) {
		errno = EROFS;
		return -1;
	}
	b = calloc(1, sizeof(*b));
	if (!b) {
		errno = ENOMEM;
		return -1;
	}
	b->root = root;
	b->index = index;
	b->size = size;
	fd = tern_fd_install(&bootfile_ops, -1, flags & (O_ACCMODE | O_NONBLOCK), b);
	if (fd < 0)
		free(b);
	return fd;
}

int tern_bootfile_stat(const char *path, struct stat *st)
{
	unsigned int index;
	uint64_t size;
	int root, r;

	r = bootfile_lookup(path, &root, &index, &size);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	bootfile_fill_stat(st, index, size);
	return 0;
}
