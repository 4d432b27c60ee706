/*
 * The KVM ring: how a device model's libkvm sends the /dev/kvm and VM-fd
 * ioctls to the service domain (docs/abi.md, "The KVM ring"). vcpu ioctls do
 * not use it: they go straight to the core (TERN_SYS_VCPU_RUN/VCPU_IOCTL).
 *
 * The service domain gives every device model three handles at spawn:
 * TERN_H_KVM_RING (a shm object laid out as struct tern_kvm_ring followed by
 * TERN_KVM_RING_SLOTS slots), TERN_H_KVM_SUBMIT and TERN_H_KVM_COMPLETE
 * (notifications used as doorbells).
 *
 * A request: the device model takes a free slot, writes a struct
 * tern_kvm_req and the input payload into it, puts the slot's index in
 * sq[sq_tail % SLOTS], increments sq_tail (release) and signals SUBMIT.
 * The service domain copies the header and payload out of the shared page
 * before it looks at them, handles the request, writes the result, out_len,
 * aux and the output payload back into the same slot, puts a completion
 * {slot, status} in cq[cq_tail % SLOTS], increments cq_tail (release) and
 * signals COMPLETE. The device model reads completions from cq_head to
 * cq_tail and advances cq_head. Indices are free-running 32-bit counters.
 *
 * The service domain trusts nothing in the shared memory: it keeps its own
 * copies of sq_head and cq_tail, reads sq_tail once per pass, and answers a
 * bad slot index or an impossible header with a completion whose status is
 * negative (-EINVAL) instead of a result in the slot. Errors are Linux errno
 * values, negated.
 */
#ifndef TERN_KVM_RING_H
#define TERN_KVM_RING_H

#include <stdint.h>

#define TERN_KVM_RING_MAGIC	0x524d564bu	/* "KVMR" */
#define TERN_KVM_RING_VERSION	1
#define TERN_KVM_RING_SLOTS	8		/* a power of two */
#define TERN_KVM_SLOT_SIZE	16384u		/* header + payload */
#define TERN_KVM_RING_HDR_SIZE	4096u		/* struct tern_kvm_ring, padded to a page */
/* The whole shm object: the header page, then the slots. */
#define TERN_KVM_RING_SIZE	(TERN_KVM_RING_HDR_SIZE + TERN_KVM_RING_SLOTS * TERN_KVM_SLOT_SIZE)

/* Memory slots per VM (KVM_CAP_NR_MEMSLOTS); address space 0 only. */
#define TERN_KVM_USER_MEM_SLOTS	512
/* VMs one device model may have open at once. */
#define TERN_KVM_MAX_VMS	16

struct tern_kvm_cqe {
	uint32_t slot;		/* the slot of the request (echoed even when bad) */
	int32_t status;		/* 0: the answer is in the slot; < 0: request rejected */
};

/* The header page. Producers write only their own index. */
struct tern_kvm_ring {
	uint32_t magic;		/* TERN_KVM_RING_MAGIC, written by the service domain */
	uint32_t version;	/* TERN_KVM_RING_VERSION */
	uint32_t nslots;	/* TERN_KVM_RING_SLOTS */
	uint32_t slot_size;	/* TERN_KVM_SLOT_SIZE */
	uint8_t pad0[48];
	uint32_t sq_tail;	/* device model: requests queued */
	uint8_t pad1[60];
	uint32_t sq_head;	/* service domain: requests taken */
	uint8_t pad2[60];
	uint32_t cq_tail;	/* service domain: completions written */
	uint8_t pad3[60];
	uint32_t cq_head;	/* device model: completions consumed */
	uint8_t pad4[60];
	uint32_t sq[TERN_KVM_RING_SLOTS];		/* slot indices */
	struct tern_kvm_cqe cq[TERN_KVM_RING_SLOTS];
};
_Static_assert(sizeof(struct tern_kvm_ring) <= TERN_KVM_RING_HDR_SIZE, "ring header fits its page");

/* Operations (struct tern_kvm_req.op). */
enum tern_kvm_op {
	TERN_KVM_OP_IOCTL = 1,	/* cmd on target: 0 = the system (/dev/kvm), else a VM id */
	TERN_KVM_OP_CLOSE = 2,	/* the device model closed VM fd @target */
};

/*
 * The head of a slot. Input: op, target, cmd, arg, in_len and in_len bytes
 * of payload. Output: result (>= 0, or -errno), out_len bytes of payload and
 * aux. How each ioctl's argument travels:
 *  - an integer argument (CHECK_EXTENSION, CREATE_VM, CREATE_VCPU,
 *    SET_TSS_ADDR, ...) in arg; SET_IDENTITY_MAP_ADDR takes a pointer to a
 *    __u64 (_IOW) and sends those 8 bytes as payload (and the value in arg);
 *  - a struct the ioctl reads: its bytes as the input payload, the struct's
 *    _IOC_SIZE, or for variable-length ones (kvm_cpuid2, kvm_msr_list,
 *    kvm_msrs) the header and the entries it announces;
 *  - a struct the ioctl writes: the output payload, which libkvm copies to
 *    the caller's pointer whenever out_len > 0, whatever the result (the
 *    service domain sends only the nent/nmsrs header back with E2BIG);
 *  - KVM_GET_DIRTY_LOG in chunks: input struct tern_kvm_dirty_chunk, output
 *    the bitmap of up to TERN_KVM_DIRTY_CHUNK_PAGES pages from first_page on;
 *    aux[0] = the slot's size in pages.
 * Results: CREATE_VM gives the VM id (> 0) that later requests name as
 * target; CREATE_VCPU gives the vcpu handle the service domain granted into
 * the device model's handle table.
 */
struct tern_kvm_req {
	uint32_t op;		/* enum tern_kvm_op */
	uint32_t target;
	uint32_t cmd;		/* the ioctl number */
	uint32_t in_len;	/* input payload bytes */
	uint64_t arg;		/* the integer argument */
	int64_t result;		/* answer: >= 0 or -errno */
	uint32_t out_len;	/* answer: output payload bytes */
	uint32_t reserved;
	uint64_t aux[3];
};
_Static_assert(sizeof(struct tern_kvm_req) == 64, "tern_kvm_req layout");

#define TERN_KVM_PAYLOAD_MAX	(TERN_KVM_SLOT_SIZE - sizeof(struct tern_kvm_req))

struct tern_kvm_dirty_chunk {
	uint32_t slot;		/* as in struct kvm_dirty_log */
	uint32_t pad;
	uint64_t first_page;	/* a multiple of 64, inside the slot */
};
/* Pages per dirty-log chunk: a multiple of 64 whose bitmap fits a payload. */
#define TERN_KVM_DIRTY_CHUNK_PAGES	((TERN_KVM_PAYLOAD_MAX / 8) * 64)

/* The slot @i of a mapped ring. */
static inline struct tern_kvm_req *tern_kvm_slot(void *ring, uint32_t i)
{
	return (struct tern_kvm_req *)((uint8_t *)ring + TERN_KVM_RING_HDR_SIZE +
				       (uint64_t)i * TERN_KVM_SLOT_SIZE);
}

static inline void *tern_kvm_payload(struct tern_kvm_req *req)
{
	return req + 1;
}

#endif
