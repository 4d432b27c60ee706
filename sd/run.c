/*
 * The program runner. In sequential mode one process exists at a time, in
 * parallel mode every program has its process; either way the service
 * domain waits in one place for any process to end and for any KVM doorbell
 * to ring, and serves the rings in between. A program's
 * repeat/leakcheck/for flags decide whether it starts again when a run
 * ends; a failed start ends the program (it would fail again).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <tern/tern.h>
#include <time.h>

#include "sd/frames.h"
#include "sd/run.h"
#include "sd/status.h"

#define NS_PER_SEC	1000000000ull
/* How often a ring stalled on a full completion queue is looked at again
 * (its device model may have made room without ringing). */
#define STALL_POLL_NS	(10 * 1000 * 1000ull)

_Static_assert(2 * SD_MAX_PROGRAMS <= TERN_WAIT_MAX_ITEMS,
	       "one wait covers every process and every doorbell");

/*
 * A process's last kernel stack is freed once its thread has been switched
 * away from, which can be a moment after the exit status is ready. Read the
 * free-frame count until two readings a few milliseconds apart agree.
 */
static int64_t settled_free_frames(int root)
{
	struct timespec pause = { .tv_sec = 0, .tv_nsec = 5 * 1000 * 1000 };
	int64_t prev = sd_free_frames(root, NULL), cur = prev;

	for (int i = 0; i < 20 && prev >= 0; i++) {
		nanosleep(&pause, NULL);
		cur = sd_free_frames(root, NULL);
		if (cur == prev)
			break;
		prev = cur;
	}
	return cur;
}

static bool program_start(struct sd_run *r, struct sd_program *p)
{
	const struct sd_program_config *c = p->cfg;
	int handles[5] = { TERN_H_CONSOLE, p->child_root };
	void *elf = sd_module_image(r->root, p->mod);
	uint64_t now = tern_clock_ns();
	int h;

	if (!elf) {
		p->done = true;
		return false;
	}
	if (p->runs == 0)
		p->first_start_ns = now;
	if (c->for_ns) {
		/* The program learns when its time is up, so a restarted run
		 * uses the rest of the budget rather than a fresh one. */
		snprintf(p->deadline_env, sizeof(p->deadline_env), "TERN_DEADLINE_NS=%llu",
			 (unsigned long long)(p->first_start_ns + c->for_ns));
		p->envp[0] = p->deadline_env;
		p->envp[1] = NULL;
	}
	/* A new channel for every run: nothing of an earlier run's VMs or
	 * requests carries over. */
	if (sd_kvm_channel_open(&p->kvm, r->root)) {
		printf("sd: cannot start %s: no KVM ring: %s\n", p->mod->name, strerror(errno));
		p->done = true;
		r->failures++;
		return false;
	}
	memcpy(&handles[2], sd_kvm_channel_child_handles(&p->kvm), 3 * sizeof(int));
	h = tern_spawn(r->root, elf, p->mod->size, p->mod->name, (const char *const *)p->argv,
		       c->for_ns ? (const char *const *)p->envp : NULL, handles, 5);
	if (h < 0) {
		printf("sd: cannot start %s: %s\n", p->mod->name, strerror(errno));
		sd_kvm_channel_close(&p->kvm);
		p->done = true;
		r->failures++;
		return false;
	}
	sd_kvm_channel_started(&p->kvm, h);
	p->proc = h;
	p->killed = false;
	p->runs++;
	p->run_start_ns = now;
	return true;
}

static void leakcheck_after_run(struct sd_run *r, struct sd_program *p)
{
	unsigned int extra = p->cfg->leakcheck;
	int64_t now;

	if (p->runs == 1) {
		p->baseline = settled_free_frames(r->root);
		printf("frames: baseline %lld free after the warm-up run of %s\n",
		       (long long)p->baseline, p->mod->name);
		return;
	}
	if (p->runs != 1 + extra)
		return;
	now = settled_free_frames(r->root);
	printf("frames: %lld free after %u more runs of %s (baseline %lld)\n", (long long)now,
	       extra, p->mod->name, (long long)p->baseline);
	if (now >= 0 && now == p->baseline)
		printf("frames: ok\n");
	else
		printf("frames: LEAK (%lld frames)\n", (long long)(p->baseline - now));
}

/* The run of @p ended with @status: report, clean up, decide on the next. */
static void program_ended(struct sd_run *r, struct sd_program *p, int status)
{
	const struct sd_program_config *c = p->cfg;
	char text[48];
	bool more;

	sd_format_status(status, text, sizeof(text));
	printf("process %s exited %s\n", p->mod->name, text);
	/* Before the leak check: the run's VMs go with the channel. */
	sd_kvm_channel_close(&p->kvm);
	if (tern_handle_close(p->proc))
		printf("sd: closing the handle of %s: %s\n", p->mod->name, strerror(errno));
	p->proc = -1;
	r->runs++;
	if (status != 0)
		r->failures++;

	if (c->leakcheck) {
		leakcheck_after_run(r, p);
		more = p->runs < 1 + c->leakcheck;
	} else if (c->for_ns) {
		more = tern_clock_ns() - p->first_start_ns < c->for_ns;
	} else {
		more = p->runs < c->repeat;
	}
	if (!more)
		p->done = true;
}

/* Kills @p's run when it has outlived its timeout. */
static void enforce_timeout(struct sd_program *p, uint64_t now)
{
	uint64_t limit = p->cfg->timeout_ns;

	if (!limit || p->killed || now - p->run_start_ns < limit)
		return;
	printf("sd: %s still running after %llu s: killing it\n", p->mod->name,
	       (unsigned long long)(limit / NS_PER_SEC));
	if (tern_process_kill(p->proc))
		printf("sd: killing %s: %s\n", p->mod->name, strerror(errno));
	p->killed = true;
}

/* Time until @p's run reaches its timeout (TERN_WAIT_FOREVER: none). */
static uint64_t time_left(const struct sd_program *p, uint64_t now)
{
	uint64_t limit = p->cfg->timeout_ns;

	if (!limit || p->killed)
		return TERN_WAIT_FOREVER;
	if (now - p->run_start_ns >= limit)
		return 0;
	return limit - (now - p->run_start_ns);
}

/* A run that cannot be waited for any more: give it up. */
static void program_lost(struct sd_run *r, struct sd_program *p)
{
	tern_process_kill(p->proc);
	sd_kvm_channel_close(&p->kvm);
	tern_handle_close(p->proc);
	p->proc = -1;
	p->done = true;
	r->failures++;
}

/*
 * Waits until a running program ends or a KVM doorbell rings, serves the
 * rings that have requests and handles the programs that ended.
 */
static void wait_some(struct sd_run *r)
{
	struct tern_wait_item items[2 * SD_MAX_PROGRAMS];
	struct sd_program *who[2 * SD_MAX_PROGRAMS];
	uint64_t now = tern_clock_ns(), timeout = TERN_WAIT_FOREVER;
	unsigned int n = 0;
	int ready;

	for (unsigned int i = 0; i < r->nr; i++) {
		struct sd_program *p = &r->progs[i];
		uint64_t left;

		if (p->proc < 0)
			continue;
		left = time_left(p, now);
		if (p->kvm.more)
			left = 0;
		else if (p->kvm.stalled && left > STALL_POLL_NS)
			left = STALL_POLL_NS;
		if (left < timeout)
			timeout = left;
		items[n] = (struct tern_wait_item){ .handle = p->proc, .events = TERN_WAIT_READ };
		who[n++] = p;
		items[n] = (struct tern_wait_item){
			.handle = sd_kvm_channel_doorbell(&p->kvm), .events = TERN_WAIT_READ,
		};
		who[n++] = p;
	}

	ready = tern_wait_any(items, n, timeout);
	if (ready < 0 && errno != EINTR) {
		/* Nothing sensible is left to wait with: give the programs up. */
		printf("sd: waiting for %u programs: %s\n", n / 2, strerror(errno));
		for (unsigned int i = 0; i < n; i += 2)
			program_lost(r, who[i]);
		return;
	}

	/* The rings first: a device model's last requests are answered even
	 * if it ends in the same moment (nobody reads them, nothing breaks). */
	for (unsigned int i = 1; i < n; i += 2) {
		struct sd_program *p = who[i];

		if (items[i].revents & TERN_WAIT_ERROR) {
			printf("sd: %s: its KVM doorbell cannot be waited on\n", p->mod->name);
			program_lost(r, p);
		} else if ((items[i].revents & TERN_WAIT_READ) || p->kvm.more || p->kvm.stalled) {
			sd_kvm_channel_serve(&p->kvm);
		}
	}
	for (unsigned int i = 0; i < n; i += 2) {
		struct sd_program *p = who[i];
		int status;

		if (p->proc < 0)
			continue;
		if (items[i].revents & TERN_WAIT_ERROR) {
			printf("sd: %s: its process handle cannot be waited on\n", p->mod->name);
			program_lost(r, p);
		} else if ((items[i].revents & TERN_WAIT_READ) &&
			   tern_process_wait(p->proc, &status, 0) == 0) {
			program_ended(r, p, status);
		}
	}
	now = tern_clock_ns();
	for (unsigned int i = 0; i < n; i += 2) {
		if (who[i]->proc >= 0)
			enforce_timeout(who[i], now);
	}
}

/* Sequential mode: the first program not done yet runs, alone. */
static void start_next_in_order(struct sd_run *r)
{
	for (unsigned int i = 0; i < r->nr; i++) {
		struct sd_program *p = &r->progs[i];

		if (p->proc >= 0)
			return;
		if (p->done)
			continue;
		if (program_start(r, p))
			return;
	}
}

void sd_run_all(struct sd_run *r)
{
	for (;;) {
		bool running = false;

		if (r->parallel) {
			for (unsigned int i = 0; i < r->nr; i++) {
				struct sd_program *p = &r->progs[i];

				if (p->proc < 0 && !p->done)
					program_start(r, p);
			}
		} else {
			start_next_in_order(r);
		}
		for (unsigned int i = 0; i < r->nr; i++)
			running |= r->progs[i].proc >= 0;
		if (!running)
			return;
		wait_some(r);
	}
}
