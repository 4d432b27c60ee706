/*
 * Channel lifetime. The device model's handles are duplicates with reduced
 * rights: the ring can be mapped and written but not waited on, SUBMIT only
 * signalled, COMPLETE only waited on. They also carry DUP because the spawn
 * passes only duplicable handles (the device model may hand its own channel
 * on to a child, which gains nothing it did not have).
 */
#include <errno.h>
#include <sys/mman.h>
#include <tern/tern.h>

#include "sd/kvm_channel.h"
#include "sd/kvm_server.h"

static const uint32_t child_rights[3] = {
	TERN_RIGHT_MAP | TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_DUP,
	TERN_RIGHT_SIGNAL | TERN_RIGHT_DUP,
	TERN_RIGHT_WAIT | TERN_RIGHT_DUP,
};

static void close_if_open(int *h)
{
	if (*h >= 0)
		tern_handle_close(*h);
	*h = -1;
}

static void forget(struct sd_kvm_channel *c)
{
	c->open = false;
	c->proc = -1;
	c->shm = c->submit = c->complete = -1;
	c->map = NULL;
	for (int i = 0; i < 3; i++)
		c->child[i] = -1;
	for (int i = 0; i < TERN_KVM_MAX_VMS; i++)
		c->vms[i] = (struct sd_kvm_vm){ .handle = -1 };
}

int sd_kvm_channel_open(struct sd_kvm_channel *c, int root)
{
	int own[3];

	forget(c);
	c->root = root;
	c->stalled = c->more = false;
	c->shm = tern_shm_create(TERN_KVM_RING_SIZE);
	if (c->shm < 0)
		goto fail;
	c->map = tern_shm_map(c->shm, NULL, PROT_READ | PROT_WRITE, 0);
	if (c->map == (void *)-1) {
		c->map = NULL;
		goto fail;
	}
	sd_kvm_ring_init(&c->ring, c->map);
	/* Counting doorbells: each side takes the whole count and then looks
	 * at every index, so no wake-up is lost and none is needed per entry. */
	c->submit = tern_notify_create(0, 0);
	if (c->submit < 0)
		goto fail;
	c->complete = tern_notify_create(0, 0);
	if (c->complete < 0)
		goto fail;
	own[0] = c->shm;
	own[1] = c->submit;
	own[2] = c->complete;
	for (int i = 0; i < 3; i++) {
		c->child[i] = tern_handle_dup(own[i], child_rights[i]);
		if (c->child[i] < 0)
			goto fail;
	}
	c->open = true;
	return 0;
fail:
	c->open = true;
	sd_kvm_channel_close(c);
	return -1;
}

const int *sd_kvm_channel_child_handles(const struct sd_kvm_channel *c)
{
	return c->child;
}

void sd_kvm_channel_started(struct sd_kvm_channel *c, int proc)
{
	c->proc = proc;
	for (int i = 0; i < 3; i++)
		close_if_open(&c->child[i]);
}

void sd_kvm_channel_close(struct sd_kvm_channel *c)
{
	int saved = errno;

	if (!c->open)
		return;
	/* The VMs go with their last handle; vcpus the dead device model held
	 * went with its handle table. */
	for (int i = 0; i < TERN_KVM_MAX_VMS; i++)
		if (c->vms[i].handle >= 0)
			sd_kvm_vm_drop(&c->vms[i]);
	if (c->map)
		munmap(c->map, TERN_KVM_RING_SIZE);
	close_if_open(&c->shm);
	close_if_open(&c->submit);
	close_if_open(&c->complete);
	for (int i = 0; i < 3; i++)
		close_if_open(&c->child[i]);
	forget(c);
	errno = saved;
}
