/*
 * The marshalling table: how the argument of each system and VM ioctl
 * travels on the KVM ring (abi/include/tern/kvm_ring.h). Free of libtern so
 * that the host unit test (tests/unit/test_libkvm_marshal.c) builds it too.
 */
#ifndef LIBKVM_MARSHAL_H
#define LIBKVM_MARSHAL_H

#include <stdint.h>

enum kvm_fd_kind {
	KVM_FD_SYSTEM = 1,
	KVM_FD_VM = 2,
};

enum kvm_marshal_kind {
	KVM_M_STRUCT = 0,	/* a fixed-size struct (or none: an integer argument) */
	KVM_M_VALUE_ARG,	/* _IOW(u64) the kernel reads as a value: also sent in arg */
	KVM_M_VARLEN,		/* a header with a u32 count, then count entries */
	KVM_M_DIRTY_LOG,	/* KVM_GET_DIRTY_LOG: in chunks (dirty_log.c) */
};

/* What Linux copies (the direction bits lie for KVM_SET_IRQCHIP, KVM_SET_PIT...). */
#define KVM_M_IN	1	/* read from the caller */
#define KVM_M_OUT	2	/* written back to the caller */

struct kvm_marshal {
	uint32_t cmd;
	uint8_t fds;		/* enum kvm_fd_kind bits: the fds Linux knows it on */
	uint8_t kind;		/* enum kvm_marshal_kind */
	uint8_t dir;		/* KVM_M_IN | KVM_M_OUT for the struct or header */
	uint8_t entries_dir;	/* KVM_M_VARLEN: the same for the entries */
	uint16_t size;		/* struct or header bytes; 0: _IOC_SIZE(cmd) */
	uint16_t entry;		/* KVM_M_VARLEN: bytes per entry */
	uint16_t count_off;	/* KVM_M_VARLEN: offset of the u32 count in the header */
	/*
	 * KVM_M_VARLEN, Linux's limit on the count (0: none). Input entries
	 * past it get @too_many (Linux's errno); output-only entries are
	 * clamped to it, as Linux clamps.
	 */
	uint16_t max_entries;
	uint16_t too_many;
};

/* Bytes of one request: read from the caller, and the most the answer may write back. */
struct kvm_sizes {
	uint32_t in_len;
	uint32_t out_cap;
};

/* The entry for @cmd on an fd of @kind, or NULL: an ioctl Linux does not know there. */
const struct kvm_marshal *kvm_marshal_find(enum kvm_fd_kind kind, uint32_t cmd);
/* The struct or header size of @m for @cmd. */
uint32_t kvm_marshal_head(const struct kvm_marshal *m, uint32_t cmd);
/*
 * Sizes for a known ioctl whose header announced @count entries (0 when not
 * KVM_M_VARLEN): 0, or a positive errno to answer without asking the
 * service domain (Linux's too_many, or E2BIG past what a slot carries).
 */
int kvm_marshal_sizes(const struct kvm_marshal *m, uint32_t cmd, uint32_t count,
		      struct kvm_sizes *s);
/* Sizes for an ioctl libkvm does not know: from the number's direction and size bits. */
void kvm_marshal_unknown(uint32_t cmd, struct kvm_sizes *s);

#endif
