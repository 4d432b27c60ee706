/*
 * The core command line: space-separated `key=value` or `flag` words.
 * Known options: console=, loglevel=, smp=, panic=halt|poweroff, poweroff,
 * crashtest=<kind>, selftest=sched. Unknown options are warned about, never fatal.
 */
#ifndef HV_CMDLINE_H
#define HV_CMDLINE_H

#include "hv/types.h"

enum panic_action { PANIC_HALT, PANIC_POWEROFF };

struct core_options {
	const char *console;		/* NULL: default (com1) */
	int loglevel;			/* enum log_level; LOG_INFO unless loglevel= says otherwise */
	unsigned int smp;		/* max CPUs to bring up; 0: all */
	enum panic_action panic;	/* what a fatal error does after printing */
	bool poweroff;			/* power off once boot (or the test run) is done */
	const char *crashtest;		/* NULL or the fault to trigger deliberately */
	bool testguests;		/* run the multiboot2 modules as test guests */
	bool bench;			/* run the in-core exit benchmarks */
	const char *selftest;		/* NULL or the in-core self test to run (hv/selftest.h) */
};

/* The options in force; the defaults until cmdline_parse() has run. */
extern struct core_options core_options;

/*
 * Parses @line into @opts, which should hold the defaults beforehand; options
 * not on the line keep them. @line is modified in place (words are
 * NUL-terminated) and the string pointers in @opts point into it, so it must
 * outlive @opts. console= is applied at once (console_configure) before any
 * other option is looked at, so every warning about the line reaches the
 * console chosen on it. Unknown options and bad values get one warning each
 * and are otherwise ignored. log_level is not changed here: the caller applies
 * opts->loglevel.
 */
void cmdline_parse(char *line, struct core_options *opts);

#endif
