/*
 * Constants shared by the ring-3 entry/exit assembly (syscall_entry.S,
 * context_switch.S) and C. The C side checks them against cpu_tables.h,
 * struct percpu and struct trap_frame (syscall_init.c).
 */
#ifndef ARCH_X86_SYSCALL_ENTRY_H
#define ARCH_X86_SYSCALL_ENTRY_H

#define USER_CS			0x2b	/* GDT_USER_CODE | 3 */
#define USER_CS32		0x1b	/* GDT_USER_CODE32 | 3 */
#define USER_SS			0x23	/* GDT_USER_DATA | 3 */

/* struct percpu */
#define PERCPU_ENTRY_RSP	8
#define PERCPU_USER_RSP		16

/* struct trap_frame */
#define TF_RCX			96
#define TF_RAX			112
#define TF_VECTOR		120
#define TF_RIP			136
#define TF_CS			144
#define TF_RFLAGS		152
#define TF_RSP			160
#define TF_SIZE			176

/* trap_frame.vector of a frame built by the syscall entry: no real vector. */
#define SYSCALL_FRAME_VECTOR	0x100

/* First address sysret may return to: above, Intel CPUs take the #GP in ring 0. */
#define SYSRET_RIP_LIMIT	0x00007ffffffff000

#ifndef __ASSEMBLY__
#include "hv/types.h"

struct trap_frame;

/* EFER.SCE, STAR, LSTAR, CSTAR and FMASK on the calling CPU; a null FS selector. */
void syscall_init_cpu(void);

/* Leaves the core to ring 3 through the trap frame at the top of the current
 * thread's kernel stack. @pre interrupts off, thread_return_to_user() done. */
extern const char syscall_exit_to_user[];
#endif

#endif
