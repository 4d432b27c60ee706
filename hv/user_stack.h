/*
 * The initial stack of a process's main thread, laid out as the System V
 * x86-64 ABI (and Linux, for a static binary) gives it, so newlib's crt0
 * and any code written for Linux find argc, argv, envp and the auxiliary
 * vector where they expect them. From the lowest address up:
 *
 *	*rsp_out ->	argc					16-byte aligned
 *			argv[0] ... argv[argc - 1], NULL	8 bytes each
 *			envp[0] ... envp[envc - 1], NULL
 *			auxv[0] ... auxv[nr_auxv - 1], AT_NULL	(type, value): 16 bytes each
 *			zero padding to the strings
 *			argv strings, then envp strings		NUL-terminated, unaligned
 *			8 zero bytes
 *	top_va ->	(end of the stack)
 *
 * All pointers are user addresses inside the stack. No AT_RANDOM: there is no
 * random source for its 16 bytes yet, and newlib does not need it.
 */
#ifndef HV_USER_STACK_H
#define HV_USER_STACK_H

#include "hv/types.h"

/* Auxiliary vector types (System V ABI; Linux numbering). */
#define AT_NULL		0
#define AT_IGNORE	1
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23

struct user_auxv {
	uint64_t type;		/* AT_*, not AT_NULL: the terminator is added */
	uint64_t value;
};

/*
 * Builds the initial stack in @buf, the kernel view of the top @size bytes
 * of a stack whose end (one past its last byte) is user address @top_va.
 * @argv and @envp are NULL-terminated arrays of strings in kernel memory
 * (NULL means empty). On success *@rsp_out is the user address of argc and
 * the part of @buf between it and @top_va is written; the rest is untouched.
 * Returns 0, -E2BIG when it does not fit, -EINVAL for an AT_NULL entry in
 * @auxv or a @top_va below @size.
 */
int user_stack_build(void *buf, size_t size, uint64_t top_va, const char *const *argv,
		     const char *const *envp, const struct user_auxv *auxv,
		     unsigned int nr_auxv, uint64_t *rsp_out);

#endif
