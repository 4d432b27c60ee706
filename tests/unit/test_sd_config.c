/* unit-sources: sd/config.c sd/status.c hv/format.c */
/* The service domain's command-line parser and its exit-status text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sd/config.h"
#include "sd/status.h"

static char messages[8][160];
static int nr_messages;

static void collect(const char *msg, void *ctx)
{
	(void)ctx;
	if (nr_messages < 8)
		snprintf(messages[nr_messages], sizeof(messages[0]), "%s", msg);
	nr_messages++;
}

/* Parses the words of @line (argv[0] = "sd.elf"); returns the error count. */
static int parse(struct sd_config *cfg, const char *line)
{
	static char buf[512];
	char *argv[64];
	int argc = 0;

	nr_messages = 0;
	snprintf(buf, sizeof(buf), "sd.elf %s", line);
	for (char *w = strtok(buf, " "); w && argc < 64; w = strtok(NULL, " "))
		argv[argc++] = w;
	return sd_config_parse(cfg, argc, argv, collect, NULL);
}

static void saw(const char *needle)
{
	for (int i = 0; i < nr_messages && i < 8; i++)
		if (strstr(messages[i], needle))
			return;
	fail_msg("no message containing '%s' (%d messages, first '%s')", needle, nr_messages,
		 nr_messages ? messages[0] : "");
}

static void test_empty_runs_all_modules(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, ""), 0);
	assert_true(cfg.all_modules);
	assert_false(cfg.poweroff);
	assert_false(cfg.parallel);
	assert_int_equal(cfg.nr_programs, 0);
}

static void test_options_and_programs(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "poweroff parallel a b:spawn,repeat=3 #4:timeout=9 "
				     "c:for=30"), 0);
	assert_true(cfg.poweroff);
	assert_true(cfg.parallel);
	assert_false(cfg.all_modules);
	assert_int_equal(cfg.nr_programs, 4);
	assert_string_equal(cfg.programs[0].ref, "a");
	assert_int_equal(cfg.programs[0].repeat, 1);
	assert_false(cfg.programs[0].spawn);
	assert_string_equal(cfg.programs[1].ref, "b");
	assert_true(cfg.programs[1].spawn);
	assert_int_equal(cfg.programs[1].repeat, 3);
	assert_string_equal(cfg.programs[2].ref, "#4");
	assert_int_equal(cfg.programs[2].timeout_ns, 9000000000ull);
	assert_int_equal(cfg.programs[3].for_ns, 30000000000ull);
	assert_int_equal(cfg.programs[3].leakcheck, 0);
}

static void test_sequential_wins_when_last(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "parallel x sequential y:leakcheck=100"), 0);
	assert_false(cfg.parallel);
	assert_int_equal(cfg.programs[1].leakcheck, 100);
}

static void test_default_timeout(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "timeout=60 a b:timeout=5"), 0);
	assert_int_equal(cfg.timeout_ns, 60000000000ull);
	assert_int_equal(cfg.programs[0].timeout_ns, 60000000000ull);
	assert_int_equal(cfg.programs[1].timeout_ns, 5000000000ull);
	assert_int_equal(parse(&cfg, "timeout=0 timeout=x"), 2);
	saw("timeout=0 is not a number of seconds");
	saw("timeout=x is not a number of seconds");
	assert_int_equal(parse(&cfg, "timeout=3"), 0);
	assert_true(cfg.all_modules);
	assert_int_equal(cfg.timeout_ns, 3000000000ull);
}

static void test_bad_flags(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "a:repeat=0 b:repeat=x c:frob d:for=1,repeat=2 e:timeout="), 5);
	saw("a: repeat=0 is not a count");
	saw("b: repeat=x is not a count");
	saw("c: unknown flag 'frob'");
	saw("d: for and repeat cannot be combined");
	saw("e: timeout= is not a number");
}

static void test_bad_words(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "poweroff frobnicate=7 :spawn # #0 #x a:,"), 6);
	/* poweroff is honoured even by a broken configuration: tests must end. */
	assert_true(cfg.poweroff);
	saw("unknown option 'frobnicate=7'");
	saw("program name missing");
	saw("#: '#' must be followed by a module number");
	saw("#0: '#' must be");
	saw("#x: '#' must be");
	saw("a: empty flag");
}

static void test_numbers_out_of_range(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "a:repeat=100001 b:for=86401 c:leakcheck=-1 "
				     "d:repeat=99999999999999999999999 e:repeat=+5"), 5);
	assert_int_equal(parse(&cfg, "a:repeat=100000 b:for=86400"), 0);
}

static void test_leakcheck_rules(void **state)
{
	struct sd_config cfg;

	(void)state;
	assert_int_equal(parse(&cfg, "parallel a:leakcheck=5"), 1);
	saw("a: leakcheck needs sequential mode");
	assert_int_equal(parse(&cfg, "a:leakcheck=5,repeat=2"), 1);
	saw("leakcheck cannot be combined");
}

static void test_too_many_programs(void **state)
{
	struct sd_config cfg;
	char line[512] = "";

	(void)state;
	for (int i = 0; i < SD_MAX_PROGRAMS + 2; i++)
		strcat(line, "p ");
	assert_int_equal(parse(&cfg, line), 2);
	assert_int_equal(cfg.nr_programs, SD_MAX_PROGRAMS);
	saw("more than 32 programs");
}

static void test_status_text(void **state)
{
	char buf[48];

	(void)state;
	sd_format_status(0, buf, sizeof(buf));
	assert_string_equal(buf, "0");
	sd_format_status(3 << 8, buf, sizeof(buf));
	assert_string_equal(buf, "3");
	sd_format_status(255 << 8, buf, sizeof(buf));
	assert_string_equal(buf, "255");
	sd_format_status(11, buf, sizeof(buf));
	assert_string_equal(buf, "signal 11 (SIGSEGV)");
	sd_format_status(4, buf, sizeof(buf));
	assert_string_equal(buf, "signal 4 (SIGILL)");
	sd_format_status(8, buf, sizeof(buf));
	assert_string_equal(buf, "signal 8 (SIGFPE)");
	sd_format_status(9, buf, sizeof(buf));
	assert_string_equal(buf, "signal 9 (SIGKILL)");
	sd_format_status(0x40, buf, sizeof(buf));
	assert_string_equal(buf, "unknown status 0x40");
	sd_format_status(3 << 8, buf, 2);
	assert_string_equal(buf, "3");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_runs_all_modules),
		cmocka_unit_test(test_options_and_programs),
		cmocka_unit_test(test_sequential_wins_when_last),
		cmocka_unit_test(test_default_timeout),
		cmocka_unit_test(test_bad_flags),
		cmocka_unit_test(test_bad_words),
		cmocka_unit_test(test_numbers_out_of_range),
		cmocka_unit_test(test_leakcheck_rules),
		cmocka_unit_test(test_too_many_programs),
		cmocka_unit_test(test_status_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
