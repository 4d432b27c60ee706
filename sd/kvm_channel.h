/*
 * A device model's KVM channel: its ring (shm), the two doorbells, and the
 * VMs it created through them. Every run of a program gets a new channel;
 * the device model receives the ring and doorbells as handles
 * TERN_H_KVM_RING/SUBMIT/COMPLETE (3, 4, 5) with only the rights its side
 * needs. VM ids are indices into this channel's own table, so one device
 * model cannot name another's VMs. See docs/abi.md, "The KVM ring".
 */
#ifndef SD_KVM_CHANNEL_H
#define SD_KVM_CHANNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "sd/kvm_memslot.h"
#include "sd/kvm_ring.h"

struct sd_kvm_vm {
	int handle;			/* the service domain's VM handle; -1: id free */
	struct sd_memslots *slots;
};

struct sd_kvm_channel {
	bool open;
	int root;			/* the service domain's root handle (VM right) */
	int proc;			/* the device model (MAP, GRANT); -1 before the spawn */
	int shm, submit, complete;	/* the service domain's handles */
	int child[3];			/* the device model's copies, until the spawn */
	void *map;			/* the ring, mapped here */
	struct sd_kvm_ring ring;
	bool stalled;			/* requests wait for completion-queue room */
	bool more;			/* requests wait for the next pass */
	struct sd_kvm_vm vms[TERN_KVM_MAX_VMS];	/* VM id i + 1 */
};

/* Sets up @c for a new run: 0, or -1 with errno (nothing left open). */
int sd_kvm_channel_open(struct sd_kvm_channel *c, int root);
/* The handles to pass at spawn as the device model's 3, 4 and 5. */
const int *sd_kvm_channel_child_handles(const struct sd_kvm_channel *c);
/* The device model runs as @proc: the spawn's copies are dropped. */
void sd_kvm_channel_started(struct sd_kvm_channel *c, int proc);
/* Tears @c down: every VM handle it holds, the ring, the doorbells. */
void sd_kvm_channel_close(struct sd_kvm_channel *c);

/* The doorbell to wait on for requests (TERN_WAIT_READ). */
static inline int sd_kvm_channel_doorbell(const struct sd_kvm_channel *c)
{
	return c->submit;
}

/* Serves what is queued and signals COMPLETE when something completed. */
void sd_kvm_channel_serve(struct sd_kvm_channel *c);

#endif
