/* Fault-time helpers: safe reads of kernel memory, raw console lines and RBP-chain backtraces. */
#ifndef ARCH_X86_BACKTRACE_H
#define ARCH_X86_BACKTRACE_H

#include "hv/types.h"

#define BACKTRACE_MAX_FRAMES	16

/*
 * True if @va is mapped in the current page tables (4-level paging), found by
 * walking them through the direct map; reading a mapped address cannot fault.
 */
bool kernel_va_mapped(uintptr_t va);

/*
 * Formats one line straight to the console, bypassing log levels and the
 * "error: " prefix: fault dumps have a fixed format that tests look for, and
 * are always wanted.
 */
void dump_printf(const char *fmt, ...) __printf(1, 2);

/*
 * Prints "backtrace:" and the return addresses found by following the frame
 * pointer chain from @rbp, at most BACKTRACE_MAX_FRAMES. @sp is the stack
 * pointer of the same context: every frame must lie between it and the top of
 * the stack it is on, be 8-aligned and mapped, and be above the previous one,
 * so a corrupt chain ends the walk instead of faulting.
 */
void backtrace_print(uintptr_t rbp, uintptr_t sp);

#endif
