/*
 * Processes: creation from an ELF image, the life cycle of their threads,
 * and teardown. A process is torn down by its last thread on the way out
 * (process_thread_exit): memory and handles go at once; the struct stays
 * until the last handle to it is closed, so the exit status can be read.
 */
#include "hv/process.h"
#include "hv/aspace.h"
#include "hv/cap.h"
#include "hv/thread.h"
#include "hv/sched.h"
#include "hv/elf.h"
#include "hv/user_stack.h"
#include "hv/heap.h"
#include "hv/mm.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/string.h"
#include "arch/x86/traps.h"
#include "arch/x86/cpu.h"

/* The main thread's stack: eagerly allocated like all memory, so modest. */
#define USER_STACK_SIZE		(1 * MiB)
#define USER_STACK_TOP		(ASPACE_USER_END - PAGE_SIZE)	/* a guard page above */
/* Room to lay out argv, envp and auxv before copying them to the stack. */
#define STACK_BUILD_SIZE	(TERN_SPAWN_MAX_STRINGS + 16 * 1024)

#define ELF64_PHDR_SIZE	56

static uint32_t next_pid = 1;

struct process *current_process(void)
{
	struct thread *t = current_thread();

	return t ? t->proc : NULL;
}

static void copy_name(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void process_release(struct kobj *o)
{
	struct process *p = container_of(o, struct process, obj);

	kfree(p);
}

static unsigned int process_poll(struct kobj *o)
{
	struct process *p = container_of(o, struct process, obj);

	return __atomic_load_n(&p->exited, __ATOMIC_ACQUIRE) ? TERN_WAIT_READ : 0;
}

static struct waitq *process_waitq(struct kobj *o)
{
	return &container_of(o, struct process, obj)->exit_wq;
}

static const struct kobj_ops process_ops = {
	.type = TERN_KOBJ_PROCESS,
	.release = process_release,
	.poll = process_poll,
	.waitq = process_waitq,
};

/* Copies @len bytes from the core to user @va of @as (which need not be loaded). */
static bool aspace_write(struct aspace *as, uintptr_t va, const void *src, size_t len)
{
	const uint8_t *s = src;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (va & (PAGE_SIZE - 1)));
		paddr_t pa;

		if (!aspace_translate(as, va, &pa, NULL))
			return false;
		memcpy(phys_to_virt(pa), s, chunk);
		va += chunk;
		s += chunk;
		len -= chunk;
	}
	return true;
}

static int load_segments(struct aspace *as, const struct elf_image *img, const uint8_t *image)
{
	unsigned int i;
	int err;

	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];
		uintptr_t start = ALIGN_DOWN(s->vaddr, PAGE_SIZE);
		size_t len = ALIGN_UP(s->vaddr + s->memsz, PAGE_SIZE) - start;
		uintptr_t at = start;

		/* Writable while the file bytes go in, then the segment's own rights. */
		err = aspace_map_anon(as, &at, len, TERN_PROT_READ | TERN_PROT_WRITE,
				      TERN_MAP_FIXED_NOREPLACE);
		if (err)
			return err == -EEXIST ? -ENOEXEC : err;
		if (s->filesz && !aspace_write(as, s->vaddr, image + s->offset, s->filesz))
			return -ENOMEM;
		err = aspace_protect(as, start, len, s->prot);
		if (err)
			return err;
	}
	return 0;
}

static int build_stack(struct aspace *as, const struct process_args *a,
		       const struct elf_image *img, uint64_t *rsp)
{
	static const char *const no_env[] = { NULL };
	struct user_auxv auxv[] = {
		{ AT_PAGESZ, PAGE_SIZE },
		{ AT_ENTRY, img->entry },
		{ AT_PHDR, img->phdr_vaddr },
		{ AT_PHENT, ELF64_PHDR_SIZE },
		{ AT_PHNUM, img->phnum },
	};
	uintptr_t base = USER_STACK_TOP - USER_STACK_SIZE;
	size_t used;
	uint8_t *buf;
	int err;

	err = aspace_map_anon(as, &base, USER_STACK_SIZE, TERN_PROT_READ | TERN_PROT_WRITE,
			      TERN_MAP_FIXED_NOREPLACE);
	if (err)
		return err;
	buf = kmalloc(STACK_BUILD_SIZE);
	if (!buf)
		return -ENOMEM;
	err = user_stack_build(buf, STACK_BUILD_SIZE, USER_STACK_TOP, a->argv,
			       a->envp ? a->envp : no_env, auxv, ARRAY_SIZE(auxv), rsp);
	if (!err) {
		used = USER_STACK_TOP - *rsp;
		if (!aspace_write(as, *rsp, buf + STACK_BUILD_SIZE - used, used))
			err = -ENOMEM;
	}
	kfree(buf);
	return err;
}

static int install_handles(struct process *p, const struct process_args *a)
{
	unsigned int i;
	int h;

	h = cap_insert_at(p->caps, TERN_H_SELF, &p->obj, TERN_RIGHT_WAIT | TERN_RIGHT_KILL);
	if (h < 0)
		return h;
	for (i = 0; i < a->nr_handles; i++) {
		h = cap_insert_at(p->caps, (int)i + 1, a->handles[i], a->rights[i]);
		if (h < 0)
			return h;
	}
	return 0;
}

/* Frees what process_create built (no thread ever ran). */
static void process_discard(struct process *p)
{
	if (p->caps)
		cap_table_destroy(p->caps);	/* drops the self handle's reference too */
	if (p->as)
		aspace_destroy(p->as);
	p->caps = NULL;
	p->as = NULL;
	p->exited = true;
	kobj_put(&p->obj);
}

struct process *process_create(const struct process_args *a, int *err)
{
	struct elf_image img;
	struct process *p;
	struct thread *t;
	uint64_t rsp;
	int e;

	e = elf_parse(a->image, a->image_len, &img);
	if (e) {
		pr_warn("process %s: not a loadable program: %s\n", a->name, img.error);
		*err = e;
		return NULL;
	}
	p = kzalloc(sizeof(*p));
	if (!p) {
		*err = -ENOMEM;
		return NULL;
	}
	kobj_init(&p->obj, &process_ops);
	p->pid = __atomic_fetch_add(&next_pid, 1, __ATOMIC_RELAXED);
	copy_name(p->name, a->name, sizeof(p->name));
	list_init(&p->threads);
	list_init(&p->futexes);
	waitq_init(&p->exit_wq);

	e = -ENOMEM;
	p->as = aspace_create();
	p->caps = cap_table_create();
	if (!p->as || !p->caps)
		goto fail;
	e = install_handles(p, a);
	if (e)
		goto fail;
	e = load_segments(p->as, &img, a->image);
	if (e)
		goto fail;
	e = build_stack(p->as, a, &img, &rsp);
	if (e)
		goto fail;
	e = -ENOMEM;
	t = thread_create_user(p, img.entry, rsp, 0, 0);
	if (!t)
		goto fail;
	if (a->priority)
		sched_set_priority(t, a->priority);
	if (a->affinity)
		sched_set_affinity(t, a->affinity);
	process_add_thread(p, t);	/* cannot fail: nobody can kill it yet */
	return p;
fail:
	pr_warn("process %s: cannot be created (error %d)\n", a->name, e);
	process_discard(p);
	*err = e;
	return NULL;
}

void process_start(struct process *p)
{
	struct thread *t;

	t = list_first(&p->threads, struct thread, proc_node);
	thread_start(t);
}

int process_add_thread(struct process *p, struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);

	if (p->dying) {
		spin_unlock_irqrestore(&p->lock, flags);
		return -EAGAIN;
	}
	kobj_get(&p->obj);
	t->proc = p;
	list_add_tail(&p->threads, &t->proc_node);
	p->nr_threads++;
	spin_unlock_irqrestore(&p->lock, flags);
	return 0;
}

void process_kill(struct process *p, int status)
{
	struct list_node *pos;
	uint64_t flags = spin_lock_irqsave(&p->lock);

	if (!p->dying) {
		p->dying = true;
		p->exit_status = status;
		list_for_each(pos, &p->threads)
			thread_kill(list_entry(pos, struct thread, proc_node));
	}
	spin_unlock_irqrestore(&p->lock, flags);
}

/* The last thread is gone: give everything back and tell the waiters. */
static void process_teardown(struct process *p)
{
	struct aspace *as = p->as;
	struct cap_table *caps = p->caps;

	/* The exiting thread still runs on this address space's tables. */
	aspace_activate(NULL);
	p->as = NULL;
	p->caps = NULL;
	aspace_destroy(as);
	cap_table_destroy(caps);
	__atomic_store_n(&p->exited, true, __ATOMIC_RELEASE);
	waitq_wake_all(&p->exit_wq);
	pr_debug("process %s (pid %u) ended, status %#x\n", p->name, p->pid, p->exit_status);
}

void process_thread_exit(struct process *p, struct thread *t)
{
	uint64_t flags = spin_lock_irqsave(&p->lock);
	bool last;

	list_del(&t->proc_node);
	last = --p->nr_threads == 0;
	if (last && !p->dying) {
		/* The last thread left without TERN_SYS_EXIT: status 0, as Linux. */
		p->dying = true;
		p->exit_status = TERN_STATUS_EXITED(0);
	}
	spin_unlock_irqrestore(&p->lock, flags);
	if (last)
		process_teardown(p);
	kobj_put(&p->obj);
}

int process_interrupt_thread(struct process *p, uint64_t tid)
{
	struct list_node *pos;
	uint64_t flags = spin_lock_irqsave(&p->lock);
	int ret = -ESRCH;

	list_for_each(pos, &p->threads) {
		struct thread *t = list_entry(pos, struct thread, proc_node);

		if (t->tid == tid) {
			thread_interrupt(t);
			ret = 0;
			break;
		}
	}
	spin_unlock_irqrestore(&p->lock, flags);
	return ret;
}

struct fault_kind {
	const char *name;
	int signal;
};

/* What Linux would send for each exception taken in ring 3. */
static struct fault_kind fault_kind(uint64_t vector)
{
	switch (vector) {
	case 0:  return (struct fault_kind){ "#DE divide error", 8 };
	case 1:  return (struct fault_kind){ "#DB debug", 5 };
	case 3:  return (struct fault_kind){ "#BP breakpoint", 5 };
	case 4:  return (struct fault_kind){ "#OF overflow", 11 };
	case 5:  return (struct fault_kind){ "#BR bound range", 11 };
	case 6:  return (struct fault_kind){ "#UD invalid opcode", 4 };
	case 7:  return (struct fault_kind){ "#NM device not available", 11 };
	case 10: return (struct fault_kind){ "#TS invalid TSS", 11 };
	case 11: return (struct fault_kind){ "#NP segment not present", 7 };
	case 12: return (struct fault_kind){ "#SS stack fault", 7 };
	case 13: return (struct fault_kind){ "#GP general protection", 11 };
	case 14: return (struct fault_kind){ "#PF page fault", 11 };
	case 16: return (struct fault_kind){ "#MF x87 error", 8 };
	case 17: return (struct fault_kind){ "#AC alignment check", 7 };
	case 19: return (struct fault_kind){ "#XM SIMD error", 8 };
	default: return (struct fault_kind){ "exception", 11 };
	}
}

static const char *signal_name(int sig)
{
	switch (sig) {
	case 4:  return "SIGILL";
	case 5:  return "SIGTRAP";
	case 7:  return "SIGBUS";
	case 8:  return "SIGFPE";
	default: return "SIGSEGV";
	}
}

void process_fault(struct trap_frame *tf)
{
	struct thread *t = current_thread();
	struct process *p = t->proc;
	struct fault_kind k = fault_kind(tf->vector);

	if (tf->vector == 14)
		pr_warn("process %s (pid %u) killed: %s at rip %#lx, address %#lx, error %#lx (%s)\n",
			p->name, p->pid, k.name, tf->rip, read_cr2(), tf->error_code,
			signal_name(k.signal));
	else
		pr_warn("process %s (pid %u) killed: %s at rip %#lx, error %#lx (%s)\n",
			p->name, p->pid, k.name, tf->rip, tf->error_code, signal_name(k.signal));
	process_kill(p, TERN_STATUS_SIGNALED(k.signal));
	thread_exit();
}
