// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: every call into libkvm goes through these, so each is counted
 * and bracketed for the watchdog (fz_call_begin/end in kvm_fuzz.c).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"

int fz_ioctl(const char *what, int fd, unsigned long cmd, uint64_t arg)
{
	int r;

	fz_call_begin(what, fd, cmd);
	r = ioctl(fd, cmd, arg);
	fz_call_end();
	fz_count();
	return r;
}

int fz_open_kvm(int flags)
{
	int fd;

	fz_call_begin("open", -1, 0);
	fd = open("/dev/kvm", flags);
	fz_call_end();
	fz_count();
	return fd;
}

void fz_close(int fd)
{
	fz_call_begin("close", fd, 0);
	close(fd);
	fz_call_end();
	fz_count();
}

void *fz_mmap(int fd, size_t len, int prot, int flags, long off)
{
	void *p;

	fz_call_begin("mmap", fd, 0);
	p = mmap(NULL, len, prot, flags, fd, off);
	fz_call_end();
	fz_count();
	return p;
}

void fz_munmap(void *p, size_t len)
{
	fz_call_begin("munmap", -1, 0);
	munmap(p, len);
	fz_call_end();
}
