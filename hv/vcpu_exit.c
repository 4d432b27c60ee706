/* Names of exit reasons, for logs and statistics. */
#include "hv/vcpu_exit.h"

static const char *const exit_names[EXIT_REASON_COUNT] = {
	[EXIT_NONE] = "none",
	[EXIT_IO] = "io",
	[EXIT_MMIO] = "mmio",
	[EXIT_CPUID] = "cpuid",
	[EXIT_RDMSR] = "rdmsr",
	[EXIT_WRMSR] = "wrmsr",
	[EXIT_HLT] = "hlt",
	[EXIT_HYPERCALL] = "hypercall",
	[EXIT_SHUTDOWN] = "shutdown",
	[EXIT_EXTINT] = "extint",
	[EXIT_INTR_WINDOW] = "intr-window",
	[EXIT_NMI_WINDOW] = "nmi-window",
	[EXIT_EXCEPTION] = "exception",
	[EXIT_VIRT_INSN] = "virt-insn",
	[EXIT_NPF_PROTECTION] = "npf-protection",
	[EXIT_ENTRY_FAILED] = "entry-failed",
	[EXIT_UNHANDLED] = "unhandled",
	[EXIT_XSETBV] = "xsetbv",
	[EXIT_EMULATED] = "emulated",
};

const char *exit_reason_name(enum exit_reason r)
{
	if ((unsigned int)r >= EXIT_REASON_COUNT || !exit_names[r])
		return "?";
	return exit_names[r];
}
