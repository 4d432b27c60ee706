/*
 * The /dev/kvm fd: libtern's open() hook. Every ioctl goes to the service
 * domain on the KVM ring with target 0; KVM_CREATE_VM's answer, a VM id,
 * becomes a VM fd. The fd itself holds nothing: the system has no state per
 * open file, so any number of them can be open and closed freely.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <linux/kvm.h>
#include "../libtern/internal.h"
#include "libkvm.h"

/* Linux's /dev/kvm: the misc device 10:232. */
#define KVM_DEV_MODE	(S_IFCHR | 0660)
#define KVM_DEV_RDEV	((10 << 8) | 232)

static int sys_ioctl(struct tern_fd *f, unsigned long request, void *arg)
{
	uint32_t cmd = (uint32_t)request;	/* Linux's ioctl() takes an unsigned int */
	long r;

	(void)f;
	r = kvm_ring_ioctl(KVM_FD_SYSTEM, 0, cmd, arg);
	if (r >= 0 && cmd == KVM_CREATE_VM) {
		if (r == 0 || r > UINT32_MAX)
			return -EIO;	/* not a VM id: nothing we could close either */
		r = kvm_vm_fd_install((uint32_t)r);
	}
	return (int)r;
}

static int sys_fstat(struct tern_fd *f, struct stat *st)
{
	(void)f;
	st->st_mode = KVM_DEV_MODE;
	st->st_rdev = KVM_DEV_RDEV;
	st->st_nlink = 1;
	st->st_blksize = 4096;
	return 0;
}

static const struct tern_fd_ops kvm_sys_ops = {
	.kind = "kvm",
	.ioctl = sys_ioctl,
	.fstat = sys_fstat,
};

int tern_kvm_open(int flags)
{
	int r = kvm_ring_init();
	int fd;

	if (r < 0) {
		errno = -r;
		return -1;
	}
	if (flags & O_DIRECTORY) {
		errno = ENOTDIR;
		return -1;
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
		errno = EEXIST;
		return -1;
	}
	fd = tern_fd_install(&kvm_sys_ops, -1, flags & (O_ACCMODE | O_NONBLOCK), NULL);
	if (fd >= 0 && (flags & O_CLOEXEC))
		tern_fd_cloexec[fd] = 1;
	return fd;
}
