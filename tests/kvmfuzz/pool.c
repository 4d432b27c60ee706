// SPDX-License-Identifier: MIT
/* kvmfuzz: the pool of open /dev/kvm, VM and vcpu fds (fuzz.h). */
#include "fuzz.h"

struct fz_entry fz_pool[FZ_POOL];
int fz_kvm = -1;
long fz_mmap_size;

void fz_pool_init(void)
{
	unsigned int i;

	for (i = 0; i < FZ_POOL; i++) {
		pthread_mutex_init(&fz_pool[i].lock, NULL);
		fz_pool[i].fd = -1;
		fz_pool[i].kind = FZ_FREE;
	}
}

void fz_pool_add(int fd, enum fz_kind kind)
{
	unsigned int start = (unsigned int)fz_below(FZ_POOL), i;
	struct fz_entry *e;

	for (i = 0; i < FZ_POOL; i++) {
		e = &fz_pool[(start + i) % FZ_POOL];
		if (e->kind != FZ_FREE || pthread_mutex_trylock(&e->lock))
			continue;
		if (e->kind == FZ_FREE) {
			e->fd = fd;
			e->run = NULL;
			e->has_memory = false;
			__atomic_store_n(&e->kind, kind, __ATOMIC_RELEASE);
			pthread_mutex_unlock(&e->lock);
			return;
		}
		pthread_mutex_unlock(&e->lock);
	}
	fz_close(fd);
}

int fz_pool_pick(enum fz_kind kind)
{
	unsigned int start = (unsigned int)fz_below(FZ_POOL), i;
	struct fz_entry *e;

	for (i = 0; i < FZ_POOL; i++) {
		e = &fz_pool[(start + i) % FZ_POOL];
		enum fz_kind k = __atomic_load_n(&e->kind, __ATOMIC_ACQUIRE);

		if (k != FZ_FREE && (kind == FZ_FREE || k == kind))
			return e->fd;
	}
	return kind == FZ_SYS ? fz_kvm : -1;
}

struct fz_entry *fz_pool_lock(enum fz_kind kind)
{
	unsigned int start = (unsigned int)fz_below(FZ_POOL), i;
	struct fz_entry *e;

	for (i = 0; i < FZ_POOL; i++) {
		e = &fz_pool[(start + i) % FZ_POOL];
		if (e->kind == FZ_FREE || (kind != FZ_FREE && e->kind != kind))
			continue;
		if (pthread_mutex_trylock(&e->lock))
			continue;
		if (e->kind != FZ_FREE && (kind == FZ_FREE || e->kind == kind))
			return e;
		pthread_mutex_unlock(&e->lock);
	}
	return NULL;
}

void fz_pool_release(struct fz_entry *e)
{
	if (e->run) {
		fz_munmap(e->run, (size_t)fz_mmap_size);
		e->run = NULL;
	}
	__atomic_store_n(&e->kind, FZ_FREE, __ATOMIC_RELEASE);
	fz_close(e->fd);
	e->fd = -1;
}

void fz_pool_close_all(void)
{
	unsigned int i;

	for (i = 0; i < FZ_POOL; i++) {
		pthread_mutex_lock(&fz_pool[i].lock);
		if (fz_pool[i].kind != FZ_FREE)
			fz_pool_release(&fz_pool[i]);
		pthread_mutex_unlock(&fz_pool[i].lock);
	}
}
