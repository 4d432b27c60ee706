/*
 * Core command line parsing. Pure string handling apart from console_configure(),
 * so that it runs unchanged in the host unit tests (with a stand-in console).
 */
#include "hv/cmdline.h"
#include "hv/console.h"
#include "hv/crashtest.h"
#include "hv/log.h"
#include "hv/selftest.h"
#include "hv/string.h"

struct core_options core_options = {
	.console = NULL,
	.loglevel = LOG_INFO,
	.smp = 0,
	.panic = PANIC_HALT,
	.poweroff = false,
	.crashtest = NULL,
	.selftest = NULL,
};

/* Keeps warnings about absurdly long words to one readable line. */
#define WORD_SHOWN	64

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Returns the next word in [*pos, end) or NULL at the end. Words are
 * NUL-terminated in place; a second pass over the same range finds the same
 * words because NUL counts as a separator too.
 */
static char *next_word(char **pos, char *end)
{
	char *p = *pos, *word;

	while (p < end && (is_space(*p) || !*p))
		p++;
	if (p == end) {
		*pos = p;
		return NULL;
	}
	word = p;
	while (p < end && *p && !is_space(*p))
		p++;
	if (p < end)
		*p++ = '\0';
	*pos = p;
	return word;
}

/*
 * Decimal without sign, at most @max; false on anything else (empty, junk, too big).
 * @max is small (far below ULONG_MAX / 10), so v * 10 + 9 cannot wrap while v <= max.
 */
static bool parse_uint(const char *s, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > max)
			return false;
	}
	*out = v;
	return true;
}

/* Splits "key=value" without writing to the word: the value is everything after the first '='. */
static bool key_is(const char *word, const char *key, const char **value)
{
	size_t n = strlen(key);

	if (strncmp(word, key, n))
		return false;
	if (word[n] == '=') {
		*value = word + n + 1;
		return true;
	}
	if (word[n] == '\0') {
		*value = NULL;
		return true;
	}
	return false;
}

static void warn_bad_value(const char *word, const char *want)
{
	pr_warn("bad value in option '%.*s' ignored (expected %s)\n", WORD_SHOWN, word, want);
}

static void apply_console(const char *word, const char *value, struct core_options *opts)
{
	if (!value || !console_configure(value)) {
		/* console_configure() leaves the current console (com1 by default) in place. */
		warn_bad_value(word, "console=com1|com2|none[,baud]");
		return;
	}
	opts->console = value;
}

/* Options that are a bare word and switch something on. */
static bool apply_flag(const char *word, struct core_options *opts)
{
	const struct {
		const char *name;
		bool *flag;
	} flags[] = {
		{ "poweroff", &opts->poweroff },
		{ "testguests", &opts->testguests },
		{ "bench", &opts->bench },
	};
	const char *value;

	for (size_t i = 0; i < ARRAY_SIZE(flags); i++) {
		if (!key_is(word, flags[i].name, &value))
			continue;
		if (value)
			pr_warn("option '%.*s' ignored: %s takes no value\n", WORD_SHOWN, word,
				flags[i].name);
		else
			*flags[i].flag = true;
		return true;
	}
	return false;
}

/* Every option except console=, which the first pass has handled. */
static void apply_option(const char *word, struct core_options *opts)
{
	const char *value;
	unsigned long n;

	if (key_is(word, "console", &value))
		return;
	if (key_is(word, "loglevel", &value)) {
		if (value && parse_uint(value, LOG_DEBUG, &n))
			opts->loglevel = (int)n;
		else
			warn_bad_value(word, "loglevel=0..3");
	} else if (key_is(word, "smp", &value)) {
		/* Only an upper bound: more than the machine has means "all of them". */
		if (value && parse_uint(value, 1UL << 20, &n) && n >= 1)
			opts->smp = (unsigned int)n;
		else
			warn_bad_value(word, "smp=N with N >= 1");
	} else if (key_is(word, "panic", &value)) {
		if (value && !strcmp(value, "halt"))
			opts->panic = PANIC_HALT;
		else if (value && !strcmp(value, "poweroff"))
			opts->panic = PANIC_POWEROFF;
		else
			warn_bad_value(word, "panic=halt|poweroff");
	} else if (apply_flag(word, opts)) {
		return;
	} else if (key_is(word, "crashtest", &value)) {
		if (value && crashtest_kind_valid(value))
			opts->crashtest = value;
		else
			warn_bad_value(word, "crashtest=pf|gp|ud|de");
	} else if (key_is(word, "selftest", &value)) {
		if (value && selftest_kind_valid(value))
			opts->selftest = value;
		else
			warn_bad_value(word, "selftest=sched");
	} else {
		pr_warn("unknown option '%.*s' ignored\n", WORD_SHOWN, word);
	}
}

void cmdline_parse(char *line, struct core_options *opts)
{
	char *end = line + strlen(line);
	char *pos, *word;
	const char *value;

	/* Pass 1: the console, so that the warnings of pass 2 go where the user looks. */
	pos = line;
	while ((word = next_word(&pos, end)))
		if (key_is(word, "console", &value))
			apply_console(word, value, opts);

	pos = line;
	while ((word = next_word(&pos, end)))
		apply_option(word, opts);
}
