/*
 * Processes: an address space, a capability table and threads. A process
 * ends when its last thread exits, when it calls TERN_SYS_EXIT, when a holder
 * of a KILL handle kills it, or when one of its threads faults in ring 3
 * (one log line). Then all its memory and handles are released and whoever
 * holds a handle to it can collect the exit status.
 */
#ifndef HV_PROCESS_H
#define HV_PROCESS_H

#include "hv/kobj.h"
#include "hv/list.h"
#include "hv/spinlock.h"
#include "hv/waitq.h"

struct aspace;
struct cap_table;
struct thread;
struct trap_frame;

struct process {
	struct kobj obj;
	uint32_t pid;
	char name[32];
	struct aspace *as;
	struct cap_table *caps;

	spinlock_t lock;
	struct list_node threads;	/* struct thread.proc_node */
	uint32_t nr_threads;
	bool dying;			/* no new threads; every thread is killed */
	bool exited;			/* torn down; exit_status valid */
	int exit_status;		/* wait() encoding, TERN_STATUS_* */
	struct waitq exit_wq;		/* woken when exited becomes true */
	struct list_node futexes;	/* futex.c */
};

/* The process of the current thread (NULL in kernel threads). */
struct process *current_process(void);

/* What a new process is made of; everything is in kernel memory. */
struct process_args {
	const char *name;
	const void *image;		/* static ELF64 (parsed as untrusted) */
	size_t image_len;
	const char *const *argv;	/* NULL-terminated */
	const char *const *envp;	/* NULL-terminated, or NULL */
	struct kobj *const *handles;	/* become handles 1, 2, ... (each gets a new reference) */
	const uint32_t *rights;		/* of each handle */
	unsigned int nr_handles;
	uint32_t priority;		/* main thread, 0 = default */
	uint64_t affinity;		/* main thread, 0 = any */
};

/*
 * Builds a process from @a: address space with the ELF segments and the
 * initial stack, capability table, main thread (not started). Returns it with
 * one reference for the caller, or NULL with *@err (-ENOEXEC, -ENOMEM, -E2BIG,
 * -EMFILE) and nothing left behind.
 */
struct process *process_create(const struct process_args *a, int *err);
/* Starts the main thread of a process from process_create. */
void process_start(struct process *p);

/* Links a new user thread to @p (the thread holds a reference on @p until
 * process_thread_exit): 0, or -EAGAIN when @p is dying. */
int process_add_thread(struct process *p, struct thread *t);

/*
 * Starts the service domain from boot module 0 with its command line as
 * argv, handles TERN_H_CONSOLE and TERN_H_ROOT. Logs and returns false when
 * there is no module or it does not load.
 */
struct boot_info;
bool process_start_service_domain(const struct boot_info *bi);

/*
 * Ends @p with @status (TERN_STATUS_*): the first call decides the status.
 * Every thread is killed; the last one to go tears the process down.
 */
void process_kill(struct process *p, int status);

/* Links the new thread @t to @p (the caller starts it afterwards): 0, or
 * -EAGAIN when @p is dying (the caller then discards @t). */
int process_add_thread(struct process *p, struct thread *t);

/* Called by thread_exit() for a user thread, after it stopped using @p's
 * memory: unlinks it; the last thread tears the process down. The thread's
 * reference on @p is dropped: @p (t->proc) must not be used afterwards. */
void process_thread_exit(struct process *p, struct thread *t);

/* A user thread took exception @tf in ring 3: logs one line and kills its process. */
void process_fault(struct trap_frame *tf);

/* thread_interrupt() on thread @tid of @p, under @p's lock: 0 or -ESRCH. */
int process_interrupt_thread(struct process *p, uint64_t tid);

#endif
