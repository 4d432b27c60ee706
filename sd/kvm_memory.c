/*
 * A VM's memory: KVM_SET_USER_MEMORY_REGION applied with TERN_SYS_VM_MAP /
 * TERN_SYS_VM_UNMAP after sd/kvm_memslot.c has checked it, and
 * KVM_GET_DIRTY_LOG one chunk at a time (the whole bitmap of a large slot
 * does not fit a ring slot; libkvm asks for chunk after chunk).
 *
 * The core pins the device model's pages when they are mapped, so a slot
 * over memory the device model has not mapped fails here with EFAULT, where
 * Linux would accept it and fail the guest's access later.
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <tern/tern.h>

#include "sd/kvm_errno.h"
#include "sd/kvm_server.h"

#define PAGE_SHIFT	12

static uint32_t map_flags(uint32_t kvm_flags)
{
	return (kvm_flags & KVM_MEM_READONLY ? TERN_VM_MAP_READONLY : 0) |
	       (kvm_flags & KVM_MEM_LOG_DIRTY_PAGES ? TERN_VM_MAP_LOG_DIRTY : 0);
}

static long map(struct sd_kvm_channel *c, struct sd_kvm_vm *vm, const struct sd_memslot *s)
{
	return tern_syscall(TERN_SYS_VM_MAP, vm->handle, c->proc, (long)s->uva, (long)s->gpa,
			    (long)s->size, map_flags(s->flags));
}

static long unmap(struct sd_kvm_vm *vm, const struct sd_memslot *s)
{
	return tern_syscall(TERN_SYS_VM_UNMAP, vm->handle, (long)s->gpa, (long)s->size, 0, 0, 0);
}

/*
 * A live slot moves or changes its flags: the core maps a range with fixed
 * flags, so the slot is mapped anew. A move to a place apart from the old
 * one maps the new range first and leaves the old one intact on failure.
 * Otherwise the old range must go first; if the new mapping then fails, the
 * old one is restored, and only if that fails too is the slot lost.
 */
static long replace(struct sd_kvm_channel *c, struct sd_kvm_vm *vm, struct sd_memslot_plan *plan)
{
	const struct sd_memslot *o = &plan->old, *n = &plan->new;
	long err;

	if (n->gpa >= o->gpa + o->size || o->gpa >= n->gpa + n->size) {
		err = map(c, vm, n);
		if (!err)
			unmap(vm, o);
		return err;
	}
	unmap(vm, o);
	err = map(c, vm, n);
	if (err && map(c, vm, o)) {
		printf("sd: kvm: slot %u lost: its memory cannot be mapped again\n", plan->id);
		plan->new = (struct sd_memslot){ 0 };
		sd_memslot_commit(vm->slots, plan);
	}
	return err;
}

int64_t sd_kvm_set_memory(struct sd_kvm_channel *c, struct sd_kvm_vm *vm,
			  const struct sd_kvm_msg *msg)
{
	struct kvm_userspace_memory_region r;
	struct sd_memslot_plan plan;
	struct sd_memslot_req req;
	long err;

	memcpy(&r, msg->payload, sizeof(r));
	req = (struct sd_memslot_req){
		.slot = r.slot, .flags = r.flags, .gpa = r.guest_phys_addr,
		.size = r.memory_size, .uva = r.userspace_addr,
	};
	err = sd_memslot_check(vm->slots, &req, &plan);
	if (err)
		return err;
	switch (plan.change) {
	case SD_SLOT_UNCHANGED:
		return 0;
	case SD_SLOT_CREATE:
		err = map(c, vm, &plan.new);
		break;
	case SD_SLOT_DELETE:
		err = unmap(vm, &plan.old);
		break;
	case SD_SLOT_MOVE:
	case SD_SLOT_FLAGS:
		err = replace(c, vm, &plan);
		break;
	}
	if (!err)
		sd_memslot_commit(vm->slots, &plan);
	return err;
}

void sd_kvm_dirty_log(struct sd_kvm_vm *vm, struct sd_kvm_msg *msg)
{
	struct tern_kvm_dirty_chunk chunk;
	struct sd_memslot s;
	uint64_t pages, n;
	long err;

	memcpy(&chunk, msg->payload, sizeof(chunk));
	err = sd_memslot_dirty(vm->slots, chunk.slot, &s);
	if (err) {
		msg->req.result = err;
		return;
	}
	pages = s.size >> PAGE_SHIFT;
	msg->req.aux[0] = pages;
	if (chunk.first_page % 64 || chunk.first_page >= pages) {
		msg->req.result = -EINVAL;
		return;
	}
	n = pages - chunk.first_page;
	if (n > TERN_KVM_DIRTY_CHUNK_PAGES)
		n = TERN_KVM_DIRTY_CHUNK_PAGES;
	/* The bitmap overwrites the request in the payload: it was read above. */
	err = tern_syscall(TERN_SYS_VM_DIRTY_LOG, vm->handle,
			   (long)(s.gpa + (chunk.first_page << PAGE_SHIFT)), (long)(n << PAGE_SHIFT),
			   (long)msg->payload, 0, 0);
	msg->req.result = err;
	if (!err)
		msg->req.out_len = (n + 63) / 64 * 8;
}
