/* Syscalls on the root object: boot modules, memory figures, power-off. */
#include "hv/sys_handlers.h"
#include "hv/process.h"
#include "hv/cap.h"
#include "hv/boot_modules.h"
#include "hv/uaccess.h"
#include "hv/frame.h"
#include "hv/mm.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/string.h"
#include "arch/x86/power.h"

/* Checks that handle @h is the root object with @rights: 0 or an errno. */
static int root_check(uint64_t h, uint32_t rights)
{
	struct kobj *o;
	int err;

	o = cap_get(current_process()->caps, (int)h, TERN_KOBJ_ROOT, rights, &err, NULL);
	if (!o)
		return err;
	kobj_put(o);
	return 0;
}

int64_t sys_module_info(const struct syscall_args *args)
{
	struct tern_module_info info;
	const struct boot_module *m;
	const char *rest;
	size_t n;
	int err = root_check(args->a[0], TERN_RIGHT_MODULES);

	if (err)
		return err;
	m = boot_module((unsigned int)args->a[1]);
	if (!m || args->a[1] > 0xffffffffUL)
		return -ENOENT;
	memset(&info, 0, sizeof(info));
	info.size = m->end - m->start;
	boot_module_name(m, info.name, sizeof(info.name), &rest);
	n = MIN(strlen(rest), sizeof(info.args) - 1);
	memcpy(info.args, rest, n);
	return copy_to_user(args->a[2], &info, sizeof(info));
}

int64_t sys_module_read(const struct syscall_args *args)
{
	const struct boot_module *m;
	uint64_t off = args->a[2], size;
	size_t len = args->a[4];
	int err = root_check(args->a[0], TERN_RIGHT_MODULES);

	if (err)
		return err;
	m = boot_module((unsigned int)args->a[1]);
	if (!m || args->a[1] > 0xffffffffUL)
		return -ENOENT;
	size = m->end - m->start;
	if (off >= size)
		return 0;
	len = MIN(len, size - off);
	len = MIN(len, (size_t)INT32_MAX);
	if (copy_to_user(args->a[3], (const uint8_t *)phys_to_virt(m->start) + off, len))
		return -EFAULT;
	return (int64_t)len;
}

int64_t sys_power_off(const struct syscall_args *args)
{
	struct process *p = current_process();
	int err = root_check(args->a[0], TERN_RIGHT_POWER);

	if (err)
		return err;
	pr_info("power off requested by %s (pid %u)\n", p->name, p->pid);
	power_off();
}

int64_t sys_mem_info(const struct syscall_args *args)
{
	struct tern_mem_info mi;
	int err = root_check(args->a[0], TERN_RIGHT_MODULES);

	if (err)
		return err;
	mi.free_pages = frame_free_pages();
	mi.total_pages = frame_total_pages();
	return copy_to_user(args->a[1], &mi, sizeof(mi));
}
