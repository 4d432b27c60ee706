/*
 * The service domain's configuration: its own command line (the words of boot
 * module 0's string). The syntax is documented in sd/README.md. Parsing is
 * pure string work so it can be unit-tested on the host; resolving program
 * names to boot modules is modules.c's job.
 */
#ifndef SD_CONFIG_H
#define SD_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define SD_MAX_PROGRAMS		32
#define SD_MAX_REPEAT		100000u
#define SD_MAX_SECONDS		86400u

struct sd_program_config {
	const char *ref;	/* module name, or "#N" (points into argv) */
	bool spawn;		/* handle 2 also carries TERN_RIGHT_SPAWN */
	unsigned int repeat;	/* runs one after another, >= 1 */
	unsigned int leakcheck;	/* runs after a warm-up run whose frame count is the baseline; 0: off */
	uint64_t for_ns;	/* restart whenever it ends until this much time has passed; 0: off */
	uint64_t timeout_ns;	/* kill a run that lasts longer; 0: no limit */
};

struct sd_config {
	bool poweroff;		/* power off once every program has finished */
	bool parallel;		/* start all programs at once instead of one after another */
	bool all_modules;	/* no program named: run every module after module 0 */
	uint64_t timeout_ns;	/* default for programs without timeout=; 0: none */
	unsigned int nr_programs;
	struct sd_program_config programs[SD_MAX_PROGRAMS];
};

/*
 * Parses @argc words of @argv (argv[0] is the service domain's own name and
 * is skipped). Returns the number of errors found; each one is reported
 * through @report as one line without a trailing newline. @cfg is usable
 * only when 0 is returned, except for cfg->poweroff, which is set as soon as
 * the word is seen so that a broken configuration still ends the run.
 */
int sd_config_parse(struct sd_config *cfg, int argc, char *const argv[],
		    void (*report)(const char *msg, void *ctx), void *ctx);

#endif
