/*
 * One system or VM ioctl over the KVM ring: its argument copied from the
 * caller into the request's payload, the answer's payload copied back.
 * Caller memory is only touched with TERN_SYS_MEM_COPY, so a bad pointer
 * gives EFAULT, never a fault in the device model.
 */
#include "../libtern/internal.h"
#include "libkvm.h"

static long mem_copy(void *dst, const void *src, size_t len)
{
	return sys3(TERN_SYS_MEM_COPY, dst, src, len);
}

/*
 * Fills the payload for an ioctl in the marshalling table, in Linux's order:
 * the struct or header (EFAULT), the count's limit (E2BIG/EINVAL), the
 * entries (EFAULT). 0 or -errno.
 */
static int marshal_known(const struct kvm_marshal *m, uint32_t cmd, const uint8_t *arg,
			 struct kvm_call *c, struct kvm_sizes *sz, uint64_t *argval)
{
	uint32_t head = kvm_marshal_head(m, cmd), count = 0;
	uint8_t *payload = c->payload;
	int err;

	if ((m->dir & KVM_M_IN) && mem_copy(payload, arg, head) < 0)
		return -EFAULT;
	if (m->kind == KVM_M_VARLEN)
		__builtin_memcpy(&count, payload + m->count_off, sizeof(count));
	err = kvm_marshal_sizes(m, cmd, count, sz);
	if (err)
		return -err;
	if (sz->in_len > head && mem_copy(payload + head, arg + head, sz->in_len - head) < 0)
		return -EFAULT;
	if (m->kind == KVM_M_VALUE_ARG)
		__builtin_memcpy(argval, payload, sizeof(*argval));
	return 0;
}

long kvm_ring_ioctl(enum kvm_fd_kind kind, uint32_t target, uint32_t cmd, void *arg)
{
	const struct kvm_marshal *m = kvm_marshal_find(kind, cmd);
	uint64_t argval = (uintptr_t)arg;
	struct kvm_sizes sz;
	struct kvm_call c;
	long r;

	if (m && m->kind == KVM_M_DIRTY_LOG)
		return kvm_get_dirty_log(target, arg);
	r = kvm_ring_begin(&c);
	if (r)
		return r;
	if (m) {
		r = marshal_known(m, cmd, arg, &c, &sz, &argval);
	} else {
		/*
		 * An ioctl Linux does not know on this fd still goes to the
		 * service domain, which answers as Linux (ENOTTY, EINVAL)
		 * before looking at the argument. Its bytes go along when they
		 * can be read, else none: every ioctl the service domain or the
		 * core acts on has its entry in the table, so a bad pointer
		 * there is EFAULT here.
		 */
		kvm_marshal_unknown(cmd, &sz);
		if (sz.in_len && mem_copy(c.payload, arg, sz.in_len) < 0)
			sz.in_len = 0;
	}
	if (!r)
		r = kvm_ring_call(&c, TERN_KVM_OP_IOCTL, target, cmd, argval, sz.in_len);
	if (!r) {
		uint32_t n = c.out_len < sz.out_cap ? c.out_len : sz.out_cap;

		r = c.result;
		/* Output goes back whatever the result (E2BIG sends the count). */
		if (n && mem_copy(arg, c.payload, n) < 0)
			r = -EFAULT;
	}
	kvm_ring_end(&c);
	return r;
}
