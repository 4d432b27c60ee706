/*
 * Ring-3 memory access for syscalls: range checks here, the faulting
 * instructions and their fixups in arch/x86/uaccess.S.
 */
#include "hv/uaccess.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/traps.h"

size_t uaccess_copy(void *dst, const void *src, size_t n);
int uaccess_load_u8(uint8_t *dst, const void *user);
int uaccess_load_u32(uint32_t *dst, const void *user);
int uaccess_store_u32(void *user, uint32_t val);

struct ex_entry {
	uint64_t insn, fixup;
};
extern const struct ex_entry __ex_table_start[], __ex_table_end[];

/* With SMAP the core cannot touch user pages unless EFLAGS.AC is set. */
static inline void user_access_begin(void)
{
	if (cpu_features.smap)
		__asm__ volatile("stac" ::: "memory", "cc");
}

static inline void user_access_end(void)
{
	if (cpu_features.smap)
		__asm__ volatile("clac" ::: "memory", "cc");
}

bool user_range_ok(uintptr_t addr, size_t len)
{
	if (addr < ASPACE_USER_BASE || addr >= ASPACE_USER_END)
		return false;
	return len <= ASPACE_USER_END - addr;
}

int copy_from_user(void *dst, uintptr_t src, size_t len)
{
	size_t left;

	if (!len)
		return 0;
	if (!user_range_ok(src, len))
		return -EFAULT;
	user_access_begin();
	left = uaccess_copy(dst, (const void *)src, len);
	user_access_end();
	return left ? -EFAULT : 0;
}

int copy_to_user(uintptr_t dst, const void *src, size_t len)
{
	size_t left;

	if (!len)
		return 0;
	if (!user_range_ok(dst, len))
		return -EFAULT;
	user_access_begin();
	left = uaccess_copy((void *)dst, src, len);
	user_access_end();
	return left ? -EFAULT : 0;
}

int64_t strncpy_from_user(char *dst, uintptr_t src, size_t max)
{
	size_t i;
	int64_t ret = -ENAMETOOLONG;

	if (!max)
		return -ENAMETOOLONG;
	user_access_begin();
	for (i = 0; i < max; i++) {
		uint8_t c;

		if (!user_range_ok(src + i, 1) || uaccess_load_u8(&c, (const void *)(src + i))) {
			ret = -EFAULT;
			break;
		}
		dst[i] = (char)c;
		if (!c) {
			ret = (int64_t)i;
			break;
		}
	}
	user_access_end();
	if (ret < 0)
		dst[0] = '\0';
	return ret;
}

int get_user_u32(uint32_t *val, uintptr_t addr)
{
	int r;

	if (!IS_ALIGNED(addr, 4) || !user_range_ok(addr, 4))
		return -EFAULT;
	user_access_begin();
	r = uaccess_load_u32(val, (const void *)addr);
	user_access_end();
	return r ? -EFAULT : 0;
}

int put_user_u32(uintptr_t addr, uint32_t val)
{
	int r;

	if (!IS_ALIGNED(addr, 4) || !user_range_ok(addr, 4))
		return -EFAULT;
	user_access_begin();
	r = uaccess_store_u32((void *)addr, val);
	user_access_end();
	return r ? -EFAULT : 0;
}

bool uaccess_fixup(struct trap_frame *tf)
{
	const struct ex_entry *e;

	for (e = __ex_table_start; e < __ex_table_end; e++) {
		if (e->insn == tf->rip) {
			tf->rip = e->fixup;
			return true;
		}
	}
	return false;
}
