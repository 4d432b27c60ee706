/*
 * The service domain: the first ring-3 process, started by the core from
 * boot module 0 with handles TERN_H_SELF, TERN_H_CONSOLE and TERN_H_ROOT (all
 * rights). It runs the device-model programs its command line names, serves
 * their KVM rings (the /dev/kvm and VM ioctls, sd/kvm_*.c) while they run and
 * reports how they ended (sd/README.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern/tern.h>
#include <unistd.h>

#include "sd/config.h"
#include "sd/frames.h"
#include "sd/modules.h"
#include "sd/run.h"

/* Device models read /boot/<name> through handle 2 and may hand it on. */
#define CHILD_ROOT_RIGHTS	(TERN_RIGHT_MODULES | TERN_RIGHT_DUP)

static void report_config_error(const char *msg, void *ctx)
{
	(void)ctx;
	printf("sd: config: %s\n", msg);
}

static void usage(void)
{
	printf("sd: usage: sd.elf [poweroff] [parallel|sequential] [timeout=SECS] "
	       "[NAME|#N[:spawn,repeat=N,leakcheck=N,for=SECS,timeout=SECS]]... (see sd/README.md)\n");
}

/* Ends the run: powers off when configured, else the service domain exits. */
static int finish(const struct sd_config *cfg, int code)
{
	fflush(stdout);
	if (cfg->poweroff) {
		tern_power_off(TERN_H_ROOT);
		printf("sd: power off failed: %s\n", strerror(errno));
	}
	return code;
}

/* Resolves each configured program to a module and prepares its argv. */
static int prepare(struct sd_config *cfg, struct sd_modules *mods, struct sd_run *run)
{
	int modules_root = -1, spawn_root = -1;
	unsigned int n = cfg->all_modules ? (mods->nr ? mods->nr - 1 : 0) : cfg->nr_programs;
	int errors = 0;

	run->progs = calloc(n ? n : 1, sizeof(*run->progs));
	if (!run->progs) {
		printf("sd: out of memory for %u programs\n", n);
		return -1;
	}
	if (cfg->all_modules) {
		/* Every module after ours, each run once with default flags. */
		if (n > SD_MAX_PROGRAMS) {
			printf("sd: config: %u modules, at most %d programs\n", n, SD_MAX_PROGRAMS);
			return -1;
		}
		cfg->nr_programs = n;
		for (unsigned int i = 0; i < n; i++)
			cfg->programs[i] = (struct sd_program_config){
				.ref = mods->mod[i + 1].name,
				.repeat = 1,
				.timeout_ns = cfg->timeout_ns,
			};
	}

	for (unsigned int i = 0; i < n; i++) {
		struct sd_program *p = &run->progs[i];
		int *rootp;

		p->cfg = &cfg->programs[i];
		p->proc = -1;
		p->mod = cfg->all_modules ? &mods->mod[i + 1] : sd_module_find(mods, p->cfg->ref);
		if (!p->mod) {
			errors++;
			continue;
		}
		p->argv = sd_module_argv(p->mod);
		if (!p->argv) {
			printf("sd: out of memory for the arguments of %s\n", p->mod->name);
			return -1;
		}
		/* One restricted root handle of each kind, shared by all children. */
		rootp = p->cfg->spawn ? &spawn_root : &modules_root;

		if (*rootp < 0) {
			uint32_t rights = CHILD_ROOT_RIGHTS | (p->cfg->spawn ? TERN_RIGHT_SPAWN : 0);

			*rootp = tern_handle_dup(TERN_H_ROOT, rights);
			if (*rootp < 0) {
				printf("sd: cannot make a root handle for programs: %s\n",
				       strerror(errno));
				return -1;
			}
		}
		p->child_root = *rootp;
	}
	if (errors)
		return -1;
	if (n == 0)
		printf("sd: no programs to run (no boot modules after the service domain)\n");
	run->nr = n;
	run->root = TERN_H_ROOT;
	run->parallel = cfg->parallel;
	return 0;
}

int main(int argc, char **argv)
{
	static struct sd_config cfg;
	struct sd_modules mods;
	struct sd_run run = { 0 };
	uint64_t total = 0;
	int64_t before, after;

	printf("sd: service domain, pid %d\n", (int)getpid());
	if (sd_config_parse(&cfg, argc, argv, report_config_error, NULL)) {
		usage();
		return finish(&cfg, 2);
	}
	if (sd_modules_scan(TERN_H_ROOT, &mods) || prepare(&cfg, &mods, &run)) {
		usage();
		return finish(&cfg, 2);
	}

	before = sd_free_frames(TERN_H_ROOT, &total);
	printf("sd: %lld of %llu frames free before the first program\n", (long long)before,
	       (unsigned long long)total);
	sd_run_all(&run);
	after = sd_free_frames(TERN_H_ROOT, NULL);
	printf("sd: %lld of %llu frames free after the last program\n", (long long)after,
	       (unsigned long long)total);
	printf("sd: %u runs, %u did not exit with 0\n", run.runs, run.failures);
	return finish(&cfg, 0);
}
