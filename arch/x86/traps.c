/*
 * Exception handling. The core expects no exception of its own: every one
 * except NMI is a bug (or a crashtest), so it is reported in full and the CPU
 * stops. Interrupts (vectors >= 32) go to idt.c.
 */
#include "arch/x86/traps.h"
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/power.h"
#include "boot/layout.h"
#include "hv/cmdline.h"
#include "hv/console.h"
#include "hv/format.h"
#include "hv/log.h"
#include "hv/percpu.h"
#include "hv/process.h"
#include "hv/thread.h"
#include "hv/uaccess.h"

/* The syscall entry points (syscall_entry.S): a #DB there is SYSCALL's single-step trap. */
extern const char syscall_entry[], syscall_entry_compat[];

extern char _image_end[];
extern const char rdmsr_safe_insn[], rdmsr_safe_fault[];

static const char *const exception_names[32][2] = {
	[0] = { "#DE", "divide error" },
	[1] = { "#DB", "debug" },
	[2] = { "#NMI", "non-maskable interrupt" },
	[3] = { "#BP", "breakpoint" },
	[4] = { "#OF", "overflow" },
	[5] = { "#BR", "bound range exceeded" },
	[6] = { "#UD", "invalid opcode" },
	[7] = { "#NM", "device not available" },
	[8] = { "#DF", "double fault" },
	[9] = { "#CSO", "coprocessor segment overrun" },
	[10] = { "#TS", "invalid TSS" },
	[11] = { "#NP", "segment not present" },
	[12] = { "#SS", "stack-segment fault" },
	[13] = { "#GP", "general protection" },
	[14] = { "#PF", "page fault" },
	[16] = { "#MF", "x87 floating-point error" },
	[17] = { "#AC", "alignment check" },
	[18] = { "#MC", "machine check" },
	[19] = { "#XM", "SIMD floating-point exception" },
	[20] = { "#VE", "virtualization exception" },
	[21] = { "#CP", "control protection" },
	[28] = { "#HV", "hypervisor injection" },
	[29] = { "#VC", "VMM communication" },
	[30] = { "#SX", "security exception" },
};

/*
 * Fatal errors in progress, per CPU. Indexed by the APIC ID from CPUID rather
 * than through GS: the nesting check must work even when the per-CPU pointer
 * is what broke. (Only the low 8 bits: two CPUs sharing a slot merely lose
 * the long form of a simultaneous second report.)
 */
static uint8_t fatal_depth[256];

uint64_t nmi_count;

static unsigned int apic_id_from_cpuid(void)
{
	return cpuid(1, 0).ebx >> 24;
}

struct percpu *trap_this_cpu(void)
{
	uintptr_t gs = rdmsr(MSR_GS_BASE);
	bool in_image = gs >= KERNEL_VMA && gs + sizeof(struct percpu) <= (uintptr_t)_image_end;
	bool in_direct_map = gs >= DIRECT_MAP_BASE && gs < KERNEL_VMA;

	if (!IS_ALIGNED(gs, 8) || !(in_image || in_direct_map) || !kernel_va_mapped(gs))
		return NULL;
	if (((struct percpu *)gs)->self != (struct percpu *)gs)
		return NULL;
	return (struct percpu *)gs;
}

unsigned int fatal_enter(void)
{
	return __atomic_fetch_add(&fatal_depth[apic_id_from_cpuid() & 0xff], 1, __ATOMIC_RELAXED);
}

__noreturn void fatal_stop(void)
{
	struct percpu *pc = trap_this_cpu();

	if (pc)
		dump_printf("cpu %u stopped\n", pc->cpu_id);
	else
		dump_printf("cpu (apic id %u) stopped\n", apic_id_from_cpuid());
	if (core_options.panic == PANIC_POWEROFF)
		power_off();
	cpu_stop();
}

static void dump_page_fault_code(uint64_t code)
{
	dump_printf("page fault: %s %s in %s mode%s%s%s\n",
		    code & (1 << 4) ? "instruction fetch from" : code & (1 << 1) ? "write to" :
		    "read from",
		    code & (1 << 0) ? "a protected page" : "a non-present page",
		    code & (1 << 2) ? "user" : "supervisor",
		    code & (1 << 3) ? ", reserved bit set" : "",
		    code & (1 << 5) ? ", protection key" : "",
		    code & (1 << 6) ? ", shadow stack" : "");
}

static void dump_fault(const struct trap_frame *tf, struct percpu *pc)
{
	unsigned int v = tf->vector;
	const char *mnemonic = exception_names[v][0] ? exception_names[v][0] : "#RSV";
	const char *name = exception_names[v][1] ? exception_names[v][1] : "reserved";
	char cpu[16];

	if (pc)
		fmt_snprintf(cpu, sizeof(cpu), "%u", pc->cpu_id);
	else
		fmt_snprintf(cpu, sizeof(cpu), "?");
	dump_printf("FAULT: %s %s (vector %u) error code 0x%lx on cpu %s\n", mnemonic, name, v,
		    tf->error_code, cpu);
	if (v == VEC_PF)
		dump_page_fault_code(tf->error_code);
	dump_printf("RIP %04lx:%016lx  RFLAGS %016lx\n", tf->cs, tf->rip, tf->rflags);
	dump_printf("RSP %04lx:%016lx\n", tf->ss, tf->rsp);
	dump_printf("CR0 %016lx  CR2 %016lx  CR3 %016lx  CR4 %016lx\n", read_cr0(), read_cr2(),
		    read_cr3(), read_cr4());
	dump_printf("RAX %016lx  RBX %016lx  RCX %016lx  RDX %016lx\n", tf->rax, tf->rbx, tf->rcx,
		    tf->rdx);
	dump_printf("RSI %016lx  RDI %016lx  RBP %016lx  R8  %016lx\n", tf->rsi, tf->rdi, tf->rbp,
		    tf->r8);
	dump_printf("R9  %016lx  R10 %016lx  R11 %016lx  R12 %016lx\n", tf->r9, tf->r10, tf->r11,
		    tf->r12);
	dump_printf("R13 %016lx  R14 %016lx  R15 %016lx\n", tf->r13, tf->r14, tf->r15);
	backtrace_print(tf->rbp, tf->rsp);
}

static __noreturn void fatal_exception(const struct trap_frame *tf)
{
	unsigned int depth;

	irq_disable();
	console_set_emergency();
	depth = fatal_enter();
	if (depth == 1) {
		/* The report itself faulted: one short line, nothing that could fault again. */
		dump_printf("FAULT: nested vector %lu error code 0x%lx at rip %#lx while reporting "
			    "a fatal error; stopping\n", tf->vector, tf->error_code, tf->rip);
		fatal_stop();
	}
	if (depth > 1)
		cpu_stop();
	dump_fault(tf, trap_this_cpu());
	fatal_stop();
}

/* Exceptions the core is prepared for; true if handled and execution may resume. */
static bool fixup_exception(struct trap_frame *tf)
{
	if (tf->vector == VEC_GP && tf->rip == (uintptr_t)rdmsr_safe_insn) {
		tf->rip = (uintptr_t)rdmsr_safe_fault;
		return true;
	}
	return false;
}

static bool from_user(const struct trap_frame *tf)
{
	return (tf->cs & 3) == 3;
}

void trap_dispatch(struct trap_frame *tf)
{
	if (tf->vector == VEC_NMI) {
		/*
		 * The NMI tick and the guest watchdog send NMIs only to get a CPU
		 * out of a guest: here there is nothing to do. No log line: an NMI
		 * may interrupt this CPU while it holds the console lock, and
		 * printing would deadlock. No
		 * rescheduling either, even from ring 3: NMIs stay blocked until the
		 * iretq, and the next interrupt or syscall does it.
		 */
		__atomic_fetch_add(&nmi_count, 1, __ATOMIC_RELAXED);
		return;
	}
	if (tf->vector >= VEC_FIRST_IRQ) {
		irq_dispatch(tf);
	} else if (from_user(tf) && tf->vector != VEC_MC && tf->vector != VEC_DF) {
		/* Ring 3 did it: only its process suffers (logs, kills, does not return). */
		irq_enable();
		process_fault(tf);
	} else if (tf->vector == VEC_DB && (tf->rip == (uintptr_t)syscall_entry ||
					    tf->rip == (uintptr_t)syscall_entry_compat)) {
		/* The single-step trap of a SYSCALL made with TF set: FMASK
		 * cleared TF, so the entry just goes on. */
		return;
	} else if (tf->vector == VEC_PF && uaccess_fixup(tf)) {
		/* A syscall touched a bad user address: the copy returns -EFAULT. */
		return;
	} else if (!fixup_exception(tf)) {
		fatal_exception(tf);
	}
	if (from_user(tf)) {
		irq_disable();
		thread_return_to_user();
	}
}
