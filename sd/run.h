/*
 * Running the configured programs: starting each as a process with the
 * handles device models get, serving its KVM ring while it runs, printing
 * "process NAME exited STATUS", and starting it again as its flags say.
 */
#ifndef SD_RUN_H
#define SD_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "sd/config.h"
#include "sd/kvm_channel.h"
#include "sd/modules.h"

struct sd_program {
	const struct sd_program_config *cfg;
	struct sd_module *mod;
	char **argv;
	char *envp[2];
	char deadline_env[48];
	int child_root;		/* becomes the child's handle 2 */
	struct sd_kvm_channel kvm;	/* the run's KVM ring: handles 3, 4, 5 */

	int proc;		/* handle of the running process, -1 when none */
	bool done;		/* will not be started again */
	bool killed;		/* this run was killed for its timeout */
	unsigned int runs;	/* runs started so far */
	uint64_t first_start_ns, run_start_ns;
	int64_t baseline;	/* leakcheck: free frames after the warm-up run */
};

struct sd_run {
	int root;		/* the service domain's root handle (SPAWN, MODULES) */
	bool parallel;
	unsigned int nr;
	struct sd_program *progs;
	unsigned int runs, failures;	/* runs that ended; of them, not with exit code 0 */
};

void sd_run_all(struct sd_run *r);

#endif
