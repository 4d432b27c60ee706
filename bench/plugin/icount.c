// SPDX-License-Identifier: MIT
/*
 * icount: a QEMU TCG plugin that counts executed guest instructions and
 * reports the count between interval markers (bench/include/icount_mark.h).
 *
 *	qemu-system-x86_64 ... -plugin file=build/bench/icount.so -d plugin -D LOG
 *
 * Every instruction gets an inline "add 1" emitted into its translated code,
 * so the count is exact per instruction (an instruction that leaves its
 * translation block early, as a VM exit does, has been counted, the ones
 * after it have not) and costs no helper call. A marker instruction also gets
 * a callback that reads the counter; an interval is the difference of two
 * readings. The plugin API of QEMU 7.2 cannot read guest registers, which is
 * why markers are recognised by their bytes at translation time.
 *
 * The counter is shared by all vCPUs. QEMU 7.2's inline add is not atomic, so
 * with several vCPUs on MTTCG threads increments can be lost; run such guests
 * with `-accel tcg,thread=single` for exact counts (one vCPU needs nothing).
 *
 * Option profile=TAG (`-plugin file=icount.so,profile=2`): every instruction
 * address also gets its own counter, and when interval TAG stops the plugin
 * logs how often each address ran inside it. bench/profile.sh turns that
 * into instructions per function. Addresses are virtual: a profile mixes
 * address spaces, which the reader tells apart by their ranges (tern's core
 * is in the higher half, ring-3 programs near 0x400000, the benchmark's guest
 * at 0x4000).
 *
 * Output (QEMU log):
 *	icount: interval TAG: N instructions
 *	icount: profile TAG: VADDR N		(with profile=TAG; VADDR 16 hex digits)
 *	icount: total: N instructions
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin_api.h"
#include "../include/icount_mark.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

/* Marker encoding: nopl disp32(%rax). */
#define MARK_LEN	7
static const uint8_t mark_opcode[3] = { 0x0f, 0x1f, 0x80 };

static uint64_t insn_count;

/* Reading of the counter at each tag's open ICOUNT_START, if any. */
static uint64_t interval_start[ICOUNT_TAG_MAX + 1];
static bool interval_open[ICOUNT_TAG_MAX + 1];

/*
 * The profile: one record per instruction address, shared by every
 * translation of that address (QEMU retranslates after TLB and code
 * changes). base is the count when the profiled interval started.
 */
struct insn_rec {
	uint64_t vaddr;
	uint64_t count;
	uint64_t base;
	struct insn_rec *next;		/* hash chain */
	struct insn_rec *all;		/* every record, for the report */
};

#define PROFILE_BUCKETS	(1u << 16)
static int profile_tag = -1;
static struct insn_rec *profile_hash[PROFILE_BUCKETS];
static struct insn_rec *profile_all;
/* Translation may run on several threads with MTTCG. */
static pthread_mutex_t profile_lock = PTHREAD_MUTEX_INITIALIZER;

static struct insn_rec *profile_rec(uint64_t vaddr)
{
	uint32_t b = (uint32_t)((vaddr ^ (vaddr >> 16) ^ (vaddr >> 32)) & (PROFILE_BUCKETS - 1));
	struct insn_rec *r;

	pthread_mutex_lock(&profile_lock);
	for (r = profile_hash[b]; r; r = r->next)
		if (r->vaddr == vaddr)
			break;
	if (!r) {
		r = calloc(1, sizeof(*r));
		if (r) {
			r->vaddr = vaddr;
			r->next = profile_hash[b];
			profile_hash[b] = r;
			r->all = profile_all;
			profile_all = r;
		}
	}
	pthread_mutex_unlock(&profile_lock);
	return r;
}

static void profile_start(void)
{
	pthread_mutex_lock(&profile_lock);
	for (struct insn_rec *r = profile_all; r; r = r->all)
		r->base = r->count;
	pthread_mutex_unlock(&profile_lock);
}

static void profile_report(uint32_t tag)
{
	char line[96];

	pthread_mutex_lock(&profile_lock);
	for (struct insn_rec *r = profile_all; r; r = r->all) {
		if (r->count == r->base)
			continue;
		snprintf(line, sizeof(line), "icount: profile %" PRIu32 ": %016" PRIx64 " %" PRIu64 "\n",
			 tag, r->vaddr, r->count - r->base);
		qemu_plugin_outs(line);
	}
	pthread_mutex_unlock(&profile_lock);
}

static void on_marker(unsigned int vcpu_index, void *userdata)
{
	uint32_t value = (uint32_t)(uintptr_t)userdata;
	uint32_t op = (value >> ICOUNT_OP_SHIFT) & ICOUNT_OP_MASK;
	uint32_t tag = value & ICOUNT_TAG_MAX;
	uint64_t now = insn_count;
	char line[128];

	if (op == ICOUNT_OP_START) {
		if (interval_open[tag]) {
			snprintf(line, sizeof(line),
				 "icount: interval %" PRIu32 " restarted on vcpu %u\n", tag,
				 vcpu_index);
			qemu_plugin_outs(line);
		}
		interval_start[tag] = now;
		interval_open[tag] = true;
		if ((int)tag == profile_tag)
			profile_start();
		return;
	}
	/* op is STOP: translation registers nothing else. */
	if (!interval_open[tag]) {
		snprintf(line, sizeof(line),
			 "icount: interval %" PRIu32 " stopped on vcpu %u but never started\n",
			 tag, vcpu_index);
		qemu_plugin_outs(line);
		return;
	}
	interval_open[tag] = false;
	/*
	 * Each marker reads the counter at the same point relative to its own
	 * increment, so the difference holds exactly one of the two markers,
	 * whichever order QEMU emits inline ops and callbacks in: take it off
	 * to report the instructions strictly between them.
	 */
	snprintf(line, sizeof(line), "icount: interval %" PRIu32 ": %" PRIu64 " instructions\n",
		 tag, now - interval_start[tag] - 1);
	qemu_plugin_outs(line);
	if ((int)tag == profile_tag)
		profile_report(tag);
}

/* The marker value encoded by INSN, or 0 if INSN is no marker. */
static uint32_t marker_value(const struct qemu_plugin_insn *insn)
{
	const uint8_t *bytes;
	uint32_t value, op;

	if (qemu_plugin_insn_size(insn) != MARK_LEN)
		return 0;
	bytes = qemu_plugin_insn_data(insn);
	if (memcmp(bytes, mark_opcode, sizeof(mark_opcode)) != 0)
		return 0;
	value = (uint32_t)bytes[3] | (uint32_t)bytes[4] << 8 | (uint32_t)bytes[5] << 16 |
		(uint32_t)bytes[6] << 24;
	if ((value & ICOUNT_MARK_MAGIC_MASK) != ICOUNT_MARK_MAGIC)
		return 0;
	op = (value >> ICOUNT_OP_SHIFT) & ICOUNT_OP_MASK;
	if (op != ICOUNT_OP_START && op != ICOUNT_OP_STOP)
		return 0;
	return value;
}

static void on_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint32_t mark;

		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64,
							   &insn_count, 1);
		if (profile_tag >= 0) {
			struct insn_rec *r = profile_rec(qemu_plugin_insn_vaddr(insn));

			if (r)
				qemu_plugin_register_vcpu_insn_exec_inline(
					insn, QEMU_PLUGIN_INLINE_ADD_U64, &r->count, 1);
		}
		mark = marker_value(insn);
		if (mark)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, on_marker,
							       QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)mark);
	}
}

static void report_at_exit(qemu_plugin_id_t id, void *userdata)
{
	char line[96];

	(void)id;
	(void)userdata;
	for (uint32_t tag = 0; tag <= ICOUNT_TAG_MAX; tag++) {
		if (!interval_open[tag])
			continue;
		snprintf(line, sizeof(line), "icount: interval %" PRIu32 " never stopped\n", tag);
		qemu_plugin_outs(line);
	}
	snprintf(line, sizeof(line), "icount: total: %" PRIu64 " instructions\n", insn_count);
	qemu_plugin_outs(line);
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	char line[160];

	/* An unexpected option is a mistake in the command line: refuse to load. */
	for (int i = 0; i < argc; i++) {
		char *end;
		unsigned long tag;

		if (!strncmp(argv[i], "profile=", 8)) {
			tag = strtoul(argv[i] + 8, &end, 10);
			if (end != argv[i] + 8 && !*end && tag <= ICOUNT_TAG_MAX) {
				profile_tag = (int)tag;
				continue;
			}
		}
		snprintf(line, sizeof(line),
			 "icount: unknown option '%.64s' (takes profile=TAG, TAG 0..%u)\n",
			 argv[i], ICOUNT_TAG_MAX);
		qemu_plugin_outs(line);
		return -1;
	}
	if (info->system_emulation && info->system.smp_vcpus > 1) {
		snprintf(line, sizeof(line),
			 "icount: %d vCPUs: counts are exact only with -accel tcg,thread=single\n",
			 info->system.smp_vcpus);
		qemu_plugin_outs(line);
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, on_translate);
	qemu_plugin_register_atexit_cb(id, report_at_exit, NULL);
	return 0;
}
