/* Thread syscalls of the calling process (abi/include/tern/syscall.h). */
#include "hv/sys_handlers.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "hv/process.h"
#include "hv/sched_priv.h"
#include "hv/uaccess.h"
#include "hv/waitq.h"
#include "arch/x86/cpu.h"

/* A user address ring 3 may run at or point into: [ASPACE_USER_BASE, ASPACE_USER_END). */
static bool user_addr(uint64_t va)
{
	return va >= ASPACE_USER_BASE && va < ASPACE_USER_END;
}

static int check_affinity(uint64_t *mask)
{
	if (!*mask)
		*mask = ~0ULL;
	return *mask & sched_cpu_mask() ? 0 : -EINVAL;
}

int64_t sys_thread_create(const struct syscall_args *a)
{
	struct process *p = current_process();
	struct tern_thread_start s;
	struct thread *t;
	int r;

	if (!p)
		return -EPERM;
	if (copy_from_user(&s, a->a[0], sizeof(s)))
		return -EFAULT;
	/* The stack pointer may sit at the very end: the first push goes below it. */
	if (!user_addr(s.entry) || !user_addr(s.stack - 1) || s.stack > ASPACE_USER_END)
		return -EINVAL;
	if (s.fs_base >= ASPACE_USER_END || s.reserved)
		return -EINVAL;
	if (s.clear_tid && (!user_addr(s.clear_tid) || !IS_ALIGNED(s.clear_tid, 4)))
		return -EINVAL;
	if (s.priority > TERN_PRIORITY_MAX)
		return -EINVAL;
	if (check_affinity(&s.affinity))
		return -EINVAL;

	t = thread_create_user(p, s.entry, s.stack, s.arg, s.fs_base);
	if (!t)
		return -ENOMEM;
	t->user_clear_tid = s.clear_tid;
	t->priority = s.priority ? s.priority : TERN_PRIORITY_DEFAULT;
	t->affinity = s.affinity;
	r = process_add_thread(p, t);
	if (r) {
		thread_discard(t);
		return r;
	}
	thread_start(t);
	return (int64_t)t->tid;
}

int64_t sys_thread_exit(const struct syscall_args *a)
{
	(void)a;
	thread_exit();
}

int64_t sys_gettid(const struct syscall_args *a)
{
	(void)a;
	return (int64_t)current_thread()->tid;
}

int64_t sys_yield(const struct syscall_args *a)
{
	(void)a;
	sched_yield();
	return 0;
}

int64_t sys_sleep(const struct syscall_args *a)
{
	uint64_t deadline = deadline_after(a->a[0]);
	int r;

	/* Nothing wakes this thread on purpose; a stray wake-up just sleeps on. */
	do {
		thread_prepare_block();
		r = thread_block(deadline, true);
	} while (r == 0);
	return r == -ETIMEDOUT ? 0 : r;
}

int64_t sys_thread_interrupt(const struct syscall_args *a)
{
	struct process *p = current_process();

	if (!p)
		return -EPERM;
	return process_interrupt_thread(p, a->a[0]);
}

static int set_attr(struct thread *t, uint64_t attr, uint64_t value)
{
	switch (attr) {
	case TERN_THREAD_PRIORITY:
		return value > TERN_PRIORITY_MAX ? -EINVAL : sched_set_priority(t, (uint32_t)value);
	case TERN_THREAD_AFFINITY:
		return value ? sched_set_affinity(t, value) : -EINVAL;
	default:
		return -EINVAL;
	}
}

int64_t sys_thread_set(const struct syscall_args *a)
{
	struct process *p = current_process();
	uint64_t tid = a->a[0], flags;
	struct list_node *pos;
	int r = -ESRCH;

	if (!p)
		return -EPERM;
	if (!tid || tid == current_thread()->tid)
		return set_attr(current_thread(), a->a[1], a->a[2]);
	/* Under the process lock the thread cannot exit and be freed meanwhile. */
	flags = spin_lock_irqsave(&p->lock);
	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_node);

		if (t->tid == tid) {
			r = set_attr(t, a->a[1], a->a[2]);
			break;
		}
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return r;
}

int64_t sys_set_fs_base(const struct syscall_args *a)
{
	uint64_t base = a->a[0];

	if (base >= ASPACE_USER_END)
		return -EINVAL;
	/* The saved copy is what every later switch to this thread loads. */
	current_thread()->fs_base = base;
	wrmsr(MSR_FS_BASE, base);
	return 0;
}
