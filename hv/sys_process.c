/* Process syscalls: exit, create, kill, wait, getpid. */
#include "hv/sys_handlers.h"
#include "hv/process.h"
#include "hv/cap.h"
#include "hv/thread.h"
#include "hv/uaccess.h"
#include "hv/heap.h"
#include "hv/errno.h"
#include "hv/string.h"

#define SPAWN_MAX_IMAGE		(64 * MiB)
#define SPAWN_MAX_VECTOR	1024	/* argv + envp entries */
#define SPAWN_NAME_MAX		32

int64_t sys_exit(const struct syscall_args *args)
{
	struct process *p = current_process();

	process_kill(p, TERN_STATUS_EXITED((int)args->a[0]));
	thread_exit();
}

/* A user string vector into @pool (strings) and @vec (pointers into the pool). */
struct string_pool {
	char *buf;
	size_t used, size;
	const char **vec;
	unsigned int nr, max;
};

static int copy_vector(struct string_pool *sp, uintptr_t uvec, const char *const **out)
{
	*out = &sp->vec[sp->nr];
	for (;;) {
		uint64_t ptr;
		int64_t n;

		if (sp->nr >= sp->max)
			return -E2BIG;
		if (!uvec) {
			sp->vec[sp->nr++] = NULL;
			return 0;
		}
		if (copy_from_user(&ptr, uvec, sizeof(ptr)))
			return -EFAULT;
		uvec += sizeof(ptr);
		if (!ptr) {
			sp->vec[sp->nr++] = NULL;
			return 0;
		}
		n = strncpy_from_user(sp->buf + sp->used, ptr, sp->size - sp->used);
		if (n == -ENAMETOOLONG)
			return -E2BIG;
		if (n < 0)
			return (int)n;
		sp->vec[sp->nr++] = sp->buf + sp->used;
		sp->used += (size_t)n + 1;
	}
}

static int copy_name(char *name, uintptr_t uname)
{
	size_t i;

	if (!uname) {
		memcpy(name, "process", 8);
		return 0;
	}
	/* Byte by byte: a long name is cut, not refused. */
	for (i = 0; i < SPAWN_NAME_MAX - 1; i++) {
		if (copy_from_user(&name[i], uname + i, 1))
			return -EFAULT;
		if (!name[i])
			return 0;
	}
	name[i] = '\0';
	return 0;
}

struct spawn_state {
	struct tern_spawn s;
	char name[SPAWN_NAME_MAX];
	struct string_pool pool;
	struct kobj *handles[TERN_SPAWN_MAX_HANDLES];
	uint32_t rights[TERN_SPAWN_MAX_HANDLES];
	unsigned int nr_handles;
	void *image;
};

static void spawn_state_free(struct spawn_state *st)
{
	unsigned int i;

	for (i = 0; i < st->nr_handles; i++)
		kobj_put(st->handles[i]);
	kfree(st->pool.buf);
	kfree(st->pool.vec);
	kfree(st->image);
	kfree(st);
}

static int gather_handles(struct spawn_state *st, struct cap_table *caps)
{
	int32_t hs[TERN_SPAWN_MAX_HANDLES];
	unsigned int i;
	int err;

	if (st->s.nr_handles > TERN_SPAWN_MAX_HANDLES)
		return -EINVAL;
	if (copy_from_user(hs, st->s.handles, st->s.nr_handles * sizeof(int32_t)))
		return -EFAULT;
	for (i = 0; i < st->s.nr_handles; i++) {
		st->handles[i] = cap_get(caps, hs[i], TERN_KOBJ_NONE, TERN_RIGHT_DUP, &err,
					 &st->rights[i]);
		if (!st->handles[i])
			return err;
		st->nr_handles++;
	}
	return 0;
}

int64_t sys_process_create(const struct syscall_args *args)
{
	struct process *self = current_process(), *child;
	uintptr_t uimage = args->a[1], uspawn = args->a[3];
	size_t len = args->a[2];
	struct process_args pa = { 0 };
	const char *const *argv, *const *envp;
	struct spawn_state *st;
	struct kobj *root;
	int err, h;

	root = cap_get(self->caps, (int)args->a[0], TERN_KOBJ_ROOT, TERN_RIGHT_SPAWN, &err, NULL);
	if (!root)
		return err;
	kobj_put(root);	/* the right was all we needed */
	if (!len || len > SPAWN_MAX_IMAGE)
		return -EINVAL;

	st = kzalloc(sizeof(*st));
	if (!st)
		return -ENOMEM;
	err = -EFAULT;
	if (copy_from_user(&st->s, uspawn, sizeof(st->s)))
		goto out;
	err = copy_name(st->name, st->s.name);
	if (err)
		goto out;
	err = gather_handles(st, self->caps);
	if (err)
		goto out;

	err = -ENOMEM;
	st->pool.size = TERN_SPAWN_MAX_STRINGS;
	st->pool.max = SPAWN_MAX_VECTOR;
	st->pool.buf = kmalloc(st->pool.size);
	st->pool.vec = kmalloc(st->pool.max * sizeof(char *));
	st->image = kmalloc(len);
	if (!st->pool.buf || !st->pool.vec || !st->image)
		goto out;
	/* The image is copied before it is parsed: ring 3 cannot change it under us. */
	err = -EFAULT;
	if (copy_from_user(st->image, uimage, len))
		goto out;
	err = copy_vector(&st->pool, st->s.argv, &argv);
	if (!err)
		err = copy_vector(&st->pool, st->s.envp, &envp);
	if (err)
		goto out;
	if (!argv[0]) {
		err = -EINVAL;	/* argv[0] is the program's name: required */
		goto out;
	}

	pa.name = st->name;
	pa.image = st->image;
	pa.image_len = len;
	pa.argv = argv;
	pa.envp = envp;
	pa.handles = st->handles;
	pa.rights = st->rights;
	pa.nr_handles = st->nr_handles;
	pa.priority = st->s.priority;
	pa.affinity = st->s.affinity;
	if (pa.priority > TERN_PRIORITY_MAX) {
		err = -EINVAL;
		goto out;
	}
	child = process_create(&pa, &err);
	if (!child)
		goto out;
	h = cap_insert(self->caps, &child->obj,
		       TERN_RIGHT_WAIT | TERN_RIGHT_KILL | TERN_RIGHT_DUP | TERN_RIGHT_READ);
	if (h < 0) {
		/* Nobody could ever wait for it: do not start it at all. */
		process_kill(child, TERN_STATUS_SIGNALED(9));
		process_start(child);
		kobj_put(&child->obj);
		err = h;
		goto out;
	}
	process_start(child);
	kobj_put(&child->obj);
	err = h;
out:
	spawn_state_free(st);
	return err;
}

int64_t sys_process_kill(const struct syscall_args *args)
{
	struct kobj *o;
	int err;

	o = cap_get(current_process()->caps, (int)args->a[0], TERN_KOBJ_PROCESS, TERN_RIGHT_KILL,
		    &err, NULL);
	if (!o)
		return err;
	process_kill(container_of(o, struct process, obj), TERN_STATUS_SIGNALED(9));
	kobj_put(o);
	return 0;
}

int64_t sys_process_wait(const struct syscall_args *args)
{
	struct wait_entry e;
	struct process *p;
	struct kobj *o;
	uint64_t deadline = deadline_after(args->a[2]);
	int err, status;

	o = cap_get(current_process()->caps, (int)args->a[0], TERN_KOBJ_PROCESS, TERN_RIGHT_WAIT,
		    &err, NULL);
	if (!o)
		return err;
	p = container_of(o, struct process, obj);
	waitq_add(&p->exit_wq, &e);
	for (;;) {
		thread_prepare_block();
		if (__atomic_load_n(&p->exited, __ATOMIC_ACQUIRE)) {
			err = 0;
			break;
		}
		if (args->a[2] == 0) {
			err = -ETIMEDOUT;
			break;
		}
		err = thread_block(deadline, true);
		if (err)
			break;
	}
	waitq_remove(&e);
	status = p->exit_status;
	kobj_put(o);
	if (!err && args->a[1] && copy_to_user(args->a[1], &status, sizeof(status)))
		err = -EFAULT;
	return err;
}

int64_t sys_getpid(const struct syscall_args *args)
{
	(void)args;
	return current_process()->pid;
}
