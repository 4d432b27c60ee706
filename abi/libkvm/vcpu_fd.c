/*
 * vcpu fds: a vcpu handle the service domain granted at KVM_CREATE_VCPU.
 * Nothing here goes through the service domain: KVM_RUN is one syscall
 * (the hot path), every other vcpu ioctl is TERN_SYS_VCPU_IOCTL, where the
 * core does the work and the pointer checks, and mmap maps the vcpu's area
 * (kvm_run, the PIO data page, the coalesced MMIO ring) from the core.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include "../libtern/internal.h"
#include "libkvm.h"

#define VCPU_AREA	(TERN_VCPU_MMAP_PAGES * TERN_PAGE_SIZE)

static int vcpu_ioctl(struct tern_fd *f, unsigned long request, void *arg)
{
	uint32_t cmd = (uint32_t)request;	/* Linux's ioctl() takes an unsigned int */
	long r;

	if (cmd == KVM_RUN) {
		if (arg)
			return -EINVAL;		/* as Linux: KVM_RUN takes no argument */
		r = sys1(TERN_SYS_VCPU_RUN, f->handle);
		/* A kick is pthread_kill: its handler runs before KVM_RUN
		 * returns EINTR, as a Linux signal would be delivered. */
		if (r == -EINTR)
			tern_signals_deliver();
		return (int)r;
	}
	return (int)sys3(TERN_SYS_VCPU_IOCTL, f->handle, cmd, arg);
}

/*
 * The core maps the whole area; the caller may ask for a part of it (a
 * page-aligned offset and a length inside it), so the rest is unmapped
 * again. Linux accepts any size and raises SIGBUS past the area on access;
 * tern has no lazy mappings, so a request past the area is EINVAL.
 */
static long vcpu_mmap(struct tern_fd *f, void *addr, size_t len, int prot, int flags, off_t off)
{
	int fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	uintptr_t want = 0, base;
	size_t plen;
	long r;

	if (off < 0 || (uint64_t)off >= VCPU_AREA || len > VCPU_AREA - (uint64_t)off)
		return -EINVAL;
	plen = TERN_PAGE_ALIGN(len);
	if ((uintptr_t)addr >= (uint64_t)off)
		want = (uintptr_t)addr - (uint64_t)off;
	if (fixed) {
		if (!want)
			return -EINVAL;
		/* MAP_FIXED replaces what the caller named, and only that. */
		if (!(flags & MAP_FIXED_NOREPLACE))
			sys2(TERN_SYS_MUNMAP, addr, plen);
	}
	r = sys2(TERN_SYS_VCPU_MAP_RUN, f->handle, want);
	if (r < 0)
		return r;
	base = (uintptr_t)r;
	if (fixed && base != want) {
		/* Something around the asked range is mapped: the area cannot
		 * sit where the caller needs it. */
		sys2(TERN_SYS_MUNMAP, base, VCPU_AREA);
		return flags & MAP_FIXED_NOREPLACE ? -EEXIST : -ENOMEM;
	}
	if (off)
		sys2(TERN_SYS_MUNMAP, base, off);
	if ((uint64_t)off + plen < VCPU_AREA)
		sys2(TERN_SYS_MUNMAP, base + off + plen, VCPU_AREA - off - plen);
	if (prot != (PROT_READ | PROT_WRITE)) {
		r = sys3(TERN_SYS_MPROTECT, base + off, plen, prot);
		if (r < 0) {
			sys2(TERN_SYS_MUNMAP, base + off, plen);
			return r;
		}
	}
	return (long)(base + off);
}

static void vcpu_release(struct tern_fd *f)
{
	/* The vcpu goes before its VM's last reference, as on Linux. */
	sys1(TERN_SYS_HANDLE_CLOSE, f->handle);
	f->handle = -1;
	kvm_vm_ref_put(f->priv);
}

static const struct tern_fd_ops kvm_vcpu_ops = {
	.kind = "kvm-vcpu",
	.ioctl = vcpu_ioctl,
	.mmap = vcpu_mmap,
	.release = vcpu_release,
};

int kvm_vcpu_fd_install(struct kvm_vm_ref *vm, int handle)
{
	struct tern_handle_info info;
	int fd;

	/* Only a vcpu handle becomes a vcpu fd: an answer naming anything
	 * else of ours is the service domain's mistake, and not ours to close. */
	if (handle < 0 || sys2(TERN_SYS_HANDLE_INFO, handle, &info) < 0 ||
	    info.type != TERN_KOBJ_VCPU)
		return -EIO;
	kvm_vm_ref_get(vm);
	fd = tern_fd_install(&kvm_vcpu_ops, handle, O_RDWR, vm);
	if (fd < 0) {
		int err = errno;

		sys1(TERN_SYS_HANDLE_CLOSE, handle);
		kvm_vm_ref_put(vm);
		return -err;
	}
	return fd;
}
