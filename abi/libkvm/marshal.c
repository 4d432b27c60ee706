/*
 * The marshalling table: for each /dev/kvm and VM ioctl Linux knows, what it
 * really reads from and writes to the caller's memory, so that libkvm copies
 * exactly that (with tern_mem_copy, EFAULT instead of a crash) into a ring
 * request and back. Directions are Linux's behaviour, not the number's bits:
 * KVM_SET_IRQCHIP and KVM_SET_PIT are _IOR but read their struct, and
 * KVM_REINJECT_CONTROL is _IO with a struct.
 *
 * Integer-argument ioctls (_IO: CREATE_VM, CHECK_EXTENSION, CREATE_VCPU,
 * SET_TSS_ADDR, ...) need no entry: their argument travels in arg.
 */
#include <errno.h>
#include <stddef.h>
#include "../include/linux/kvm.h"
#include "../include/tern/kvm_ring.h"
#include "marshal.h"

#define SYS	KVM_FD_SYSTEM
#define VM	KVM_FD_VM
#define IN	KVM_M_IN
#define OUT	KVM_M_OUT

#define STRUCT(c, f, d)		{ .cmd = (c), .fds = (f), .kind = KVM_M_STRUCT, .dir = (d) }
#define VARLEN(c, f, d, ed, hdr_type, count_field, entry_type, max, err)	\
	{ .cmd = (c), .fds = (f), .kind = KVM_M_VARLEN, .dir = (d), .entries_dir = (ed),	\
	  .size = sizeof(hdr_type), .entry = sizeof(entry_type),				\
	  .count_off = offsetof(hdr_type, count_field), .max_entries = (max), .too_many = (err) }

/* Linux 6.1's limits (KVM_MAX_CPUID_ENTRIES, MAX_IO_MSRS, KVM_MAX_IRQ_ROUTES). */
#define LINUX_MAX_CPUID_ENTRIES	256
#define LINUX_MAX_IO_MSRS	256
#define LINUX_MAX_IRQ_ROUTES	4096

static const struct kvm_marshal table[] = {
	/* /dev/kvm */
	VARLEN(KVM_GET_MSR_INDEX_LIST, SYS, IN | OUT, OUT, struct kvm_msr_list, nmsrs, __u32, 0, 0),
	VARLEN(KVM_GET_MSR_FEATURE_INDEX_LIST, SYS, IN | OUT, OUT, struct kvm_msr_list, nmsrs,
	       __u32, 0, 0),
	/* nent past the limit is clamped (kvm_dev_ioctl_get_cpuid). */
	VARLEN(KVM_GET_SUPPORTED_CPUID, SYS, IN | OUT, OUT, struct kvm_cpuid2, nent,
	       struct kvm_cpuid_entry2, LINUX_MAX_CPUID_ENTRIES, 0),
	VARLEN(KVM_GET_EMULATED_CPUID, SYS, IN | OUT, OUT, struct kvm_cpuid2, nent,
	       struct kvm_cpuid_entry2, LINUX_MAX_CPUID_ENTRIES, 0),
	/* The feature MSRs (msr_io): nmsrs >= MAX_IO_MSRS is E2BIG before the entries are read. */
	VARLEN(KVM_GET_MSRS, SYS, IN, IN | OUT, struct kvm_msrs, nmsrs, struct kvm_msr_entry,
	       LINUX_MAX_IO_MSRS - 1, E2BIG),
	STRUCT(KVM_X86_GET_MCE_CAP_SUPPORTED, SYS, OUT),
	STRUCT(KVM_GET_DEVICE_ATTR, SYS | VM, IN),
	STRUCT(KVM_HAS_DEVICE_ATTR, SYS | VM, IN),

	/* VM fds */
	STRUCT(KVM_SET_USER_MEMORY_REGION, VM, IN),
	{ .cmd = KVM_SET_IDENTITY_MAP_ADDR, .fds = VM, .kind = KVM_M_VALUE_ARG, .dir = IN },
	{ .cmd = KVM_GET_DIRTY_LOG, .fds = VM, .kind = KVM_M_DIRTY_LOG, .dir = IN },
	STRUCT(KVM_CLEAR_DIRTY_LOG, VM, IN),
	STRUCT(KVM_GET_CLOCK, VM, OUT),
	STRUCT(KVM_SET_CLOCK, VM, IN),
	STRUCT(KVM_REGISTER_COALESCED_MMIO, VM, IN),
	STRUCT(KVM_UNREGISTER_COALESCED_MMIO, VM, IN),
	STRUCT(KVM_IRQ_LINE, VM, IN),
	STRUCT(KVM_IRQ_LINE_STATUS, VM, IN | OUT),
	STRUCT(KVM_GET_IRQCHIP, VM, IN | OUT),
	STRUCT(KVM_SET_IRQCHIP, VM, IN),
	STRUCT(KVM_GET_PIT, VM, IN | OUT),
	STRUCT(KVM_SET_PIT, VM, IN),
	STRUCT(KVM_GET_PIT2, VM, OUT),
	STRUCT(KVM_SET_PIT2, VM, IN),
	STRUCT(KVM_CREATE_PIT2, VM, IN),
	{ .cmd = KVM_REINJECT_CONTROL, .fds = VM, .kind = KVM_M_STRUCT, .dir = IN,
	  .size = sizeof(struct kvm_reinject_control) },
	VARLEN(KVM_SET_GSI_ROUTING, VM, IN, IN, struct kvm_irq_routing, nr,
	       struct kvm_irq_routing_entry, LINUX_MAX_IRQ_ROUTES, EINVAL),
	STRUCT(KVM_SIGNAL_MSI, VM, IN),
	STRUCT(KVM_IRQFD, VM, IN),
	STRUCT(KVM_IOEVENTFD, VM, IN),
	STRUCT(KVM_ENABLE_CAP, VM, IN),
	STRUCT(KVM_CREATE_DEVICE, VM, IN | OUT),
	STRUCT(KVM_SET_DEVICE_ATTR, VM, IN),
};

const struct kvm_marshal *kvm_marshal_find(enum kvm_fd_kind kind, uint32_t cmd)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].cmd == cmd && (table[i].fds & kind))
			return &table[i];
	return NULL;
}

uint32_t kvm_marshal_head(const struct kvm_marshal *m, uint32_t cmd)
{
	return m->size ? m->size : _IOC_SIZE(cmd);
}

int kvm_marshal_sizes(const struct kvm_marshal *m, uint32_t cmd, uint32_t count,
		      struct kvm_sizes *s)
{
	uint32_t head = kvm_marshal_head(m, cmd);
	uint64_t n, fit;

	s->in_len = m->dir & KVM_M_IN ? head : 0;
	s->out_cap = m->dir & KVM_M_OUT ? head : 0;
	if (m->kind == KVM_M_VARLEN) {
		n = count;
		if (m->max_entries && n > m->max_entries) {
			if (m->entries_dir & KVM_M_IN)
				return m->too_many;
			n = m->max_entries;
		}
		fit = (TERN_KVM_PAYLOAD_MAX - head) / m->entry;
		if (n > fit) {
			/* Output-only entries: the service domain answers
			 * E2BIG itself if it has more than fit. Input it
			 * cannot carry: tern's limit, a clear E2BIG. */
			if (m->entries_dir & KVM_M_IN)
				return E2BIG;
			n = fit;
		}
		if (m->entries_dir & KVM_M_IN)
			s->in_len += (uint32_t)n * m->entry;
		/* The answer mirrors the caller's struct: header, then entries. */
		if (m->entries_dir & KVM_M_OUT)
			s->out_cap = head + (uint32_t)n * m->entry;
	}
	if (s->in_len > TERN_KVM_PAYLOAD_MAX || s->out_cap > TERN_KVM_PAYLOAD_MAX)
		return E2BIG;
	return 0;
}

void kvm_marshal_unknown(uint32_t cmd, struct kvm_sizes *s)
{
	uint32_t size = _IOC_SIZE(cmd);

	s->in_len = 0;
	s->out_cap = 0;
	if (size > TERN_KVM_PAYLOAD_MAX)
		size = TERN_KVM_PAYLOAD_MAX;
	if (_IOC_DIR(cmd) & _IOC_WRITE)
		s->in_len = _IOC_SIZE(cmd) <= TERN_KVM_PAYLOAD_MAX ? size : 0;
	if (_IOC_DIR(cmd) & _IOC_READ)
		s->out_cap = size;
}
