// SPDX-License-Identifier: MIT
/*
 * kvmfuzz: objects coming and going: /dev/kvm opened again, VMs and vcpus
 * created (valid and random arguments) and closed while other threads use
 * them, vcpu mmaps with random lengths and offsets, memory slots at GPA 0 for
 * the vcpus to run on (run.c).
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "fuzz.h"

static void open_kvm(void)
{
	int fd = fz_open_kvm(fz_chance(80) ? O_RDWR : (int)fz_below(8));

	if (fd >= 0)
		fz_pool_add(fd, FZ_SYS);
}

static void create_vm(void)
{
	int sys = fz_chance(70) ? fz_kvm : fz_pool_pick(FZ_SYS);
	unsigned long type = fz_chance(90) ? 0 : fz_interesting();
	int fd = fz_ioctl("KVM_CREATE_VM", sys, KVM_CREATE_VM, type);

	if (fd >= 0)
		fz_pool_add(fd, FZ_VM);
}

static void create_vcpu(void)
{
	unsigned long id = fz_chance(85) ? fz_below(6) : fz_interesting();
	int fd = fz_ioctl("KVM_CREATE_VCPU", fz_pool_pick(FZ_VM), KVM_CREATE_VCPU, id);

	if (fd >= 0)
		fz_pool_add(fd, FZ_VCPU);
}

static void close_one(void)
{
	struct fz_entry *e = fz_pool_lock(FZ_FREE);

	if (!e)
		return;
	fz_pool_release(e);
	pthread_mutex_unlock(&e->lock);
}

/* Maps a vcpu's kvm_run for run.c, or tries a random mmap of any fd. */
static void map_vcpu(void)
{
	struct fz_entry *e = fz_pool_lock(fz_chance(80) ? FZ_VCPU : FZ_FREE);
	size_t len;
	off_t off;
	void *p;

	if (!e)
		return;
	if (e->kind == FZ_VCPU && !e->run && fz_chance(70)) {
		p = fz_mmap(e->fd, (size_t)fz_mmap_size, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
		if (p != MAP_FAILED)
			e->run = p;
	} else {
		len = fz_chance(50) ? (fz_below(8) + 1) * FZ_PAGE : fz_interesting();
		off = fz_chance(50) ? (off_t)(fz_below(8) * FZ_PAGE) : (off_t)fz_interesting();
		p = fz_mmap(e->fd, len, (int)fz_below(8), fz_chance(80) ? MAP_SHARED : MAP_PRIVATE,
			    off);
		if (p != MAP_FAILED)
			fz_munmap(p, len);
	}
	pthread_mutex_unlock(&e->lock);
}

/* Slot 0 at GPA 0 over a random part of guest memory. */
static void add_memory(void)
{
	struct fz_entry *e = fz_pool_lock(FZ_VM);
	struct kvm_userspace_memory_region r = { .slot = 0 };
	uint64_t pages = FZ_GUEST_LEN / FZ_PAGE;

	if (!e)
		return;
	r.memory_size = (16 + fz_below(pages - 16)) * FZ_PAGE;
	r.userspace_addr = (uint64_t)fz_guest + fz_below(pages - r.memory_size / FZ_PAGE + 1) * FZ_PAGE;
	r.flags = fz_chance(20) ? KVM_MEM_LOG_DIRTY_PAGES : 0;
	if (fz_ioctl("KVM_SET_USER_MEMORY_REGION", e->fd, KVM_SET_USER_MEMORY_REGION,
		     (uint64_t)&r) == 0)
		e->has_memory = true;
	pthread_mutex_unlock(&e->lock);
}

void fz_op_lifecycle(void)
{
	switch (fz_below(12)) {
	case 0: open_kvm(); break;
	case 1: case 2: create_vm(); break;
	case 3: case 4: case 5: create_vcpu(); break;
	case 6: case 7: close_one(); break;
	case 8: case 9: map_vcpu(); break;
	default: add_memory(); break;
	}
}
