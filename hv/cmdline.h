/*
 * The core command line: space-separated `key=value` or `flag` words.
 * Known options: console=, loglevel=, smp=, panic=halt|poweroff, poweroff,
 * crashtest=<kind>. Unknown options are warned about, never fatal.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include "hv/types.h"

enum panic_action { PANIC_HALT, PANIC_POWEROFF };

struct core_options {
	const char *console;		/* NULL: default (com1) */
	int loglevel;			/* -1: default */
	unsigned int smp;		/* max CPUs to bring up; 0: all */
	enum panic_action panic;	/* what a fatal error does after printing */
	bool poweroff;			/* power off once boot (or the test run) is done */
	const char *crashtest;		/* NULL or the fault to trigger deliberately */
	bool testguests;		/* run the multiboot2 modules as test guests */
	bool bench;			/* run the in-core exit benchmarks */
};

extern struct core_options core_options;

#endif
