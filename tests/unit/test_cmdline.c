/* unit-sources: hv/cmdline.c hv/format.c */
/* The core command line parser: every option, bad values, odd spacing, long lines. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "hv/cmdline.h"
#include "hv/console.h"
#include "tests/unit/host_support.h"

/*
 * Stand-in for the serial console: accepts what hv/console.c accepts for the
 * ports tern knows (com1, com2, none, with a decimal baud rate) and remembers
 * every call, so the tests see what the parser asked for and in which order.
 */
static char console_calls[8][64];
static int nr_console_calls;
static int warnings_at_console_call = -1;

bool console_configure(const char *spec)
{
	static const char *const ok[] = { "com1", "com2", "none", "com1,9600", "com2,115200" };

	if (nr_console_calls < 8)
		snprintf(console_calls[nr_console_calls], sizeof(console_calls[0]), "%s", spec);
	nr_console_calls++;
	if (warnings_at_console_call < 0)
		warnings_at_console_call = host_log_count[LOG_WARN];
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (!strcmp(spec, ok[i]))
			return true;
	return false;
}

static const struct core_options defaults = {
	.console = NULL,
	.loglevel = LOG_INFO,
	.smp = 0,
	.panic = PANIC_HALT,
	.poweroff = false,
	.crashtest = NULL,
};

static char line[8192];
static struct core_options opts;

static int reset(void **state)
{
	(void)state;
	host_log_reset();
	nr_console_calls = 0;
	warnings_at_console_call = -1;
	memset(console_calls, 0, sizeof(console_calls));
	opts = defaults;
	return 0;
}

static void parse(const char *text)
{
	snprintf(line, sizeof(line), "%s", text);
	cmdline_parse(line, &opts);
}

static void assert_defaults(void)
{
	assert_null(opts.console);
	assert_int_equal(opts.loglevel, LOG_INFO);
	assert_int_equal(opts.smp, 0);
	assert_int_equal(opts.panic, PANIC_HALT);
	assert_false(opts.poweroff);
	assert_null(opts.crashtest);
	assert_null(opts.selftest);
}

static void global_defaults(void **state)
{
	(void)state;
	/* The global the core starts with is exactly what the brief promises. */
	assert_null(core_options.console);
	assert_int_equal(core_options.loglevel, LOG_INFO);
	assert_int_equal(core_options.smp, 0);
	assert_int_equal(core_options.panic, PANIC_HALT);
	assert_false(core_options.poweroff);
	assert_null(core_options.crashtest);
}

static void empty_line(void **state)
{
	(void)state;
	parse("");
	assert_defaults();
	assert_int_equal(host_log_count[LOG_WARN], 0);
	assert_int_equal(nr_console_calls, 0);

	parse(" \t  \t ");
	assert_defaults();
	assert_int_equal(host_log_count[LOG_WARN], 0);
}

static void all_options(void **state)
{
	(void)state;
	parse("console=com2 loglevel=3 smp=4 panic=poweroff poweroff crashtest=gp testguests bench "
	      "selftest=sched");
	assert_string_equal(opts.console, "com2");
	assert_int_equal(opts.loglevel, 3);
	assert_int_equal(opts.smp, 4);
	assert_int_equal(opts.panic, PANIC_POWEROFF);
	assert_true(opts.poweroff);
	assert_string_equal(opts.crashtest, "gp");
	assert_true(opts.testguests);
	assert_true(opts.bench);
	assert_string_equal(opts.selftest, "sched");
	assert_int_equal(host_log_count[LOG_WARN], 0);
	assert_int_equal(nr_console_calls, 1);
	assert_string_equal(console_calls[0], "com2");
}

static void each_value(void **state)
{
	static const char *const kinds[] = { "pf", "gp", "ud", "de" };
	char buf[32];

	(void)state;
	for (int lv = 0; lv <= 3; lv++) {
		snprintf(buf, sizeof(buf), "loglevel=%d", lv);
		parse(buf);
		assert_int_equal(opts.loglevel, lv);
	}
	for (size_t i = 0; i < 4; i++) {
		snprintf(buf, sizeof(buf), "crashtest=%s", kinds[i]);
		parse(buf);
		assert_string_equal(opts.crashtest, kinds[i]);
	}
	parse("panic=poweroff");
	assert_int_equal(opts.panic, PANIC_POWEROFF);
	parse("panic=halt");
	assert_int_equal(opts.panic, PANIC_HALT);
	parse("smp=1");
	assert_int_equal(opts.smp, 1);
	parse("smp=64");
	assert_int_equal(opts.smp, 64);
	parse("console=none");
	assert_string_equal(opts.console, "none");
	parse("console=com1,9600");
	assert_string_equal(opts.console, "com1,9600");
	assert_int_equal(host_log_count[LOG_WARN], 0);
}

static void later_option_wins(void **state)
{
	(void)state;
	parse("loglevel=1 smp=2 loglevel=0 smp=3 panic=poweroff panic=halt");
	assert_int_equal(opts.loglevel, 0);
	assert_int_equal(opts.smp, 3);
	assert_int_equal(opts.panic, PANIC_HALT);
	assert_int_equal(host_log_count[LOG_WARN], 0);
}

/* Each bad value: exactly one warning naming the option, and the default survives. */
static void bad_values(void **state)
{
	static const char *const bad[] = {
		"loglevel=4", "loglevel=-1", "loglevel=", "loglevel", "loglevel=2x",
		"loglevel=99999999999999999999999", "smp=0", "smp=-2", "smp=", "smp",
		"smp=abc", "smp=18446744073709551617", "panic=reboot", "panic=", "panic",
		"crashtest=xx", "crashtest=", "crashtest", "crashtest=PF", "poweroff=1",
		"selftest=", "selftest", "selftest=bogus",
		"testguests=yes", "bench=1",
		"console=", "console", "console=com3", "console=com1,abc",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset(NULL);
		parse(bad[i]);
		assert_defaults();
		assert_int_equal(host_log_count[LOG_WARN], 1);
		assert_non_null(strstr(host_last_log, "ignored"));
		/* The message quotes the offending option. */
		assert_non_null(strstr(host_last_log, bad[i]));
	}
}

static void unknown_options(void **state)
{
	(void)state;
	parse("foo loglevel=1 bar=baz");
	assert_int_equal(opts.loglevel, 1);
	assert_int_equal(host_log_count[LOG_WARN], 2);
	assert_string_equal(host_last_log, "unknown option 'bar=baz' ignored\n");

	reset(NULL);
	parse("foo");
	assert_string_equal(host_last_log, "unknown option 'foo' ignored\n");

	/* Prefixes and extensions of known names are not those names. */
	reset(NULL);
	parse("smpx=2 log=1 loglevels=2 poweroffnow consoles=com2 Poweroff");
	assert_defaults();
	assert_int_equal(host_log_count[LOG_WARN], 6);
	assert_int_equal(nr_console_calls, 0);
}

static void many_spaces(void **state)
{
	(void)state;
	parse("   \t loglevel=1\t\t\tsmp=2    \t poweroff   \t  ");
	assert_int_equal(opts.loglevel, 1);
	assert_int_equal(opts.smp, 2);
	assert_true(opts.poweroff);
	assert_int_equal(host_log_count[LOG_WARN], 0);

	/* Newlines count as separators too: a config file line may end in one. */
	reset(NULL);
	parse("panic=poweroff\r\n");
	assert_int_equal(opts.panic, PANIC_POWEROFF);
	assert_int_equal(host_log_count[LOG_WARN], 0);
}

static void equals_inside_value(void **state)
{
	(void)state;
	/* The key ends at the first '='; everything after it is the value. */
	parse("crashtest=pf=1");
	assert_null(opts.crashtest);
	assert_int_equal(host_log_count[LOG_WARN], 1);
	assert_non_null(strstr(host_last_log, "crashtest=pf=1"));

	reset(NULL);
	parse("console=com2=x");
	assert_null(opts.console);
	assert_int_equal(nr_console_calls, 1);
	assert_string_equal(console_calls[0], "com2=x");
	assert_int_equal(host_log_count[LOG_WARN], 1);

	reset(NULL);
	parse("foo=a=b=c smp=2");
	assert_int_equal(opts.smp, 2);
	assert_string_equal(host_last_log, "unknown option 'foo=a=b=c' ignored\n");

	reset(NULL);
	parse("=");
	assert_int_equal(host_log_count[LOG_WARN], 1);
	assert_string_equal(host_last_log, "unknown option '=' ignored\n");
}

/* console= takes effect before any other option is examined, so their warnings reach it. */
static void console_applied_first(void **state)
{
	(void)state;
	parse("bogus1 bogus2 console=com2 bogus3");
	assert_string_equal(opts.console, "com2");
	assert_int_equal(nr_console_calls, 1);
	assert_int_equal(warnings_at_console_call, 0);
	assert_int_equal(host_log_count[LOG_WARN], 3);

	/* An invalid console= keeps the current one (console_configure refused) and says so. */
	reset(NULL);
	parse("console=com9 console=com2 console=lpt1");
	assert_int_equal(nr_console_calls, 3);
	assert_string_equal(opts.console, "com2");
	assert_int_equal(host_log_count[LOG_WARN], 2);
}

static void very_long_line(void **state)
{
	size_t n = 0;

	(void)state;
	/* 1000 valid words, one unknown very long word and a final option. */
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(line + n, sizeof(line) - n, "smp=%d ", i % 7 + 1);
	memset(line + n, 'z', 2000);
	n += 2000;
	n += (size_t)snprintf(line + n, sizeof(line) - n, " loglevel=2 smp=5");
	assert_true(n < sizeof(line));
	cmdline_parse(line, &opts);
	assert_int_equal(opts.smp, 5);
	assert_int_equal(host_log_count[LOG_WARN], 1);
	assert_non_null(strstr(host_last_log, "unknown option 'zzzz"));
	/* The quoted word is cut short rather than flooding the console. */
	assert_true(strlen(host_last_log) < 120);
}

static void strings_point_into_line(void **state)
{
	(void)state;
	/* The caller's buffer lives forever on the core: options may point into it. */
	parse("crashtest=ud console=none");
	assert_true(opts.crashtest >= line && opts.crashtest < line + sizeof(line));
	assert_true(opts.console >= line && opts.console < line + sizeof(line));
	assert_string_equal(opts.crashtest, "ud");
	assert_string_equal(opts.console, "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(global_defaults, reset),
		cmocka_unit_test_setup(empty_line, reset),
		cmocka_unit_test_setup(all_options, reset),
		cmocka_unit_test_setup(each_value, reset),
		cmocka_unit_test_setup(later_option_wins, reset),
		cmocka_unit_test_setup(bad_values, reset),
		cmocka_unit_test_setup(unknown_options, reset),
		cmocka_unit_test_setup(many_spaces, reset),
		cmocka_unit_test_setup(equals_inside_value, reset),
		cmocka_unit_test_setup(console_applied_first, reset),
		cmocka_unit_test_setup(very_long_line, reset),
		cmocka_unit_test_setup(strings_point_into_line, reset),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
