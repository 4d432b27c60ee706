/* Enabling `syscall` on a CPU, and the checks that tie syscall_entry.h to the C layouts. */
#include "arch/x86/syscall_entry.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/traps.h"
#include "hv/percpu.h"

#define MSR_CSTAR_64		0xC0000083	/* compatibility-mode syscall target */

/* Flags cleared on entry: IF (the stack is still the user's), TF (no single
 * step into the core), DF (the C ABI), AC (SMAP stays armed), NT (iretq). */
#define SYSCALL_FMASK		((1UL << 9) | (1UL << 8) | (1UL << 10) | (1UL << 18) | (1UL << 14))

_Static_assert(USER_CS == (GDT_USER_CODE | 3), "USER_CS");
_Static_assert(USER_CS32 == (GDT_USER_CODE32 | 3), "USER_CS32");
_Static_assert(USER_SS == (GDT_USER_DATA | 3), "USER_SS");
/* SYSRET takes SS from STAR[63:48] + 8 and the 64-bit CS from + 16. */
_Static_assert(GDT_USER_DATA == GDT_USER_CODE32 + 8 && GDT_USER_CODE == GDT_USER_CODE32 + 16,
	       "GDT order for SYSRET");
_Static_assert(offsetof(struct percpu, entry_rsp) == PERCPU_ENTRY_RSP, "PERCPU_ENTRY_RSP");
_Static_assert(offsetof(struct percpu, user_rsp) == PERCPU_USER_RSP, "PERCPU_USER_RSP");
_Static_assert(offsetof(struct trap_frame, rcx) == TF_RCX, "TF_RCX");
_Static_assert(offsetof(struct trap_frame, rax) == TF_RAX, "TF_RAX");
_Static_assert(offsetof(struct trap_frame, vector) == TF_VECTOR, "TF_VECTOR");
_Static_assert(offsetof(struct trap_frame, rip) == TF_RIP, "TF_RIP");
_Static_assert(offsetof(struct trap_frame, cs) == TF_CS, "TF_CS");
_Static_assert(offsetof(struct trap_frame, rflags) == TF_RFLAGS, "TF_RFLAGS");
_Static_assert(offsetof(struct trap_frame, rsp) == TF_RSP, "TF_RSP");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE, "TF_SIZE");
/* The frame sits at the 16-byte aligned stack top, as the CPU's own. */
_Static_assert(TF_SIZE % 16 == 0, "trap frame keeps the stack aligned");

extern const char syscall_entry[], syscall_entry_compat[];

void syscall_init_cpu(void)
{
	/*
	 * A null FS selector: iretq to ring 3 nulls data selectors whose DPL is
	 * below 3, and some CPUs (and QEMU) clear the base along with it, which
	 * would lose the thread's TLS pointer. The base itself is per thread
	 * (written on every switch).
	 */
	__asm__ volatile("movl %0, %%fs" :: "r"(0) : "memory");
	wrmsr(MSR_STAR, ((uint64_t)GDT_USER_CODE32 << 48) | ((uint64_t)GDT_KERNEL_CODE << 32));
	wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
	wrmsr(MSR_CSTAR_64, (uintptr_t)syscall_entry_compat);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}
