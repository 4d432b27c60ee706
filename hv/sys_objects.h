/*
 * What the handle, notification, wait, shared-memory and console syscalls
 * share: their prototypes (hv/sys_handlers.h) and argument helpers.
 */
#ifndef HV_SYS_OBJECTS_H
#define HV_SYS_OBJECTS_H

#include "hv/sys_handlers.h"
#include "hv/process.h"

/* The calling process's handles. @pre called from a user thread's syscall. */
static inline struct cap_table *current_caps(void)
{
	return current_process()->caps;
}

/* int and uint32_t arguments are the low half of their register, as on Linux:
 * ring 3 need not clear the upper half, and cannot smuggle bits through it. */
static inline int32_t arg_int(uint64_t v)
{
	return (int32_t)(uint32_t)v;
}

static inline uint32_t arg_u32(uint64_t v)
{
	return (uint32_t)v;
}

#endif
