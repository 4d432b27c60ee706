/*
 * mmap/munmap/mprotect. Anonymous memory goes straight to the core (zeroed,
 * populated at once; MAP_SHARED and MAP_PRIVATE behave alike because a tern
 * process never forks). An fd mapping goes to the fd's kind (libkvm's vcpu
 * fds); files that cannot be mapped give ENODEV.
 */
#include <sys/mman.h>
#include <tern/fd.h>
#include "internal.h"

#define MAP_ACCEPTED	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_GROWSDOWN | \
			 MAP_NORESERVE | MAP_POPULATE | MAP_STACK | MAP_FIXED_NOREPLACE)

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	int kind = flags & (MAP_SHARED | MAP_PRIVATE);
	int core_flags = 0;
	long r;

	if (len == 0 || (kind != MAP_SHARED && kind != MAP_PRIVATE) || (flags & ~MAP_ACCEPTED) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)) || (off & (off_t)(TERN_PAGE_SIZE - 1))) {
		errno = EINVAL;
		return MAP_FAILED;
	}
	if (flags & MAP_FIXED_NOREPLACE)
		core_flags = TERN_MAP_FIXED_NOREPLACE;
	else if (flags & MAP_FIXED)
		core_flags = TERN_MAP_FIXED;
	if (core_flags && ((uintptr_t)addr & (TERN_PAGE_SIZE - 1))) {
		errno = EINVAL;
		return MAP_FAILED;
	}

	if (!(flags & MAP_ANONYMOUS)) {
		struct tern_fd *f = tern_fd_get(fd);

		if (!f)
			return MAP_FAILED;
		if (!f->ops->mmap)
			r = -ENODEV;
		else
			r = f->ops->mmap(f, addr, len, prot, flags, off);
		tern_fd_put(f);
	} else {
		r = sys4(TERN_SYS_MMAP, addr, len, prot, core_flags);
	}
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return MAP_FAILED;
	}
	return (void *)r;
}

int munmap(void *addr, size_t len)
{
	return (int)sys_ret(sys2(TERN_SYS_MUNMAP, addr, len));
}

int mprotect(void *addr, size_t len, int prot)
{
	return (int)sys_ret(sys3(TERN_SYS_MPROTECT, addr, len, prot));
}
