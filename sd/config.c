/*
 * Parser of the service domain's command line (syntax: sd/README.md). Every
 * error is reported, not just the first, so one boot shows everything wrong
 * with a configuration.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sd/config.h"

struct parser {
	void (*report)(const char *msg, void *ctx);
	void *ctx;
	int errors;
};

static void error(struct parser *ps, const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps->report(msg, ps->ctx);
	ps->errors++;
}

/* A decimal number in [min, max] spanning all of @s. */
static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* A timeout of @val seconds into *@ns; @ref: the program, NULL for the default. */
static void parse_timeout(struct parser *ps, const char *val, const char *ref, uint64_t *ns)
{
	unsigned long v;

	if (parse_uint(val, 1, SD_MAX_SECONDS, &v))
		*ns = v * 1000000000ull;
	else
		error(ps, "%s%stimeout=%s is not a number of seconds in 1..%u", ref ? ref : "",
		      ref ? ": " : "", val, SD_MAX_SECONDS);
}

/* One FLAG or FLAG=VALUE of a program; @flag is NUL-terminated. */
static void parse_flag(struct parser *ps, struct sd_program_config *p, const char *flag)
{
	const char *eq = strchr(flag, '=');
	size_t klen = eq ? (size_t)(eq - flag) : strlen(flag);
	const char *val = eq ? eq + 1 : NULL;
	unsigned long v;

	if (klen == 5 && !strncmp(flag, "spawn", 5) && !val) {
		p->spawn = true;
		return;
	}
	if (!val) {
		error(ps, "%s: unknown flag '%s'", p->ref, flag);
		return;
	}
	if (klen == 6 && !strncmp(flag, "repeat", 6)) {
		if (parse_uint(val, 1, SD_MAX_REPEAT, &v))
			p->repeat = v;
		else
			error(ps, "%s: repeat=%s is not a count in 1..%u", p->ref, val, SD_MAX_REPEAT);
	} else if (klen == 9 && !strncmp(flag, "leakcheck", 9)) {
		if (parse_uint(val, 1, SD_MAX_REPEAT, &v))
			p->leakcheck = v;
		else
			error(ps, "%s: leakcheck=%s is not a count in 1..%u", p->ref, val,
			      SD_MAX_REPEAT);
	} else if (klen == 3 && !strncmp(flag, "for", 3)) {
		if (parse_uint(val, 1, SD_MAX_SECONDS, &v))
			p->for_ns = v * 1000000000ull;
		else
			error(ps, "%s: for=%s is not a number of seconds in 1..%u", p->ref, val,
			      SD_MAX_SECONDS);
	} else if (klen == 7 && !strncmp(flag, "timeout", 7)) {
		parse_timeout(ps, val, p->ref, &p->timeout_ns);
	} else {
		error(ps, "%s: unknown flag '%s'", p->ref, flag);
	}
}

/* NAME[:FLAG[,FLAG...]]; @word is modified (':' and ',' become NULs). */
static void parse_program(struct parser *ps, struct sd_config *cfg, char *word)
{
	struct sd_program_config *p;
	char *flags = strchr(word, ':');
	unsigned long idx;

	if (cfg->nr_programs == SD_MAX_PROGRAMS) {
		error(ps, "%s: more than %d programs", word, SD_MAX_PROGRAMS);
		return;
	}
	if (flags)
		*flags++ = '\0';
	if (!*word) {
		error(ps, "':%s': program name missing", flags ? flags : "");
		return;
	}
	if (word[0] == '#' && !parse_uint(word + 1, 1, 65535, &idx)) {
		error(ps, "%s: '#' must be followed by a module number >= 1", word);
		return;
	}

	p = &cfg->programs[cfg->nr_programs++];
	memset(p, 0, sizeof(*p));
	p->ref = word;
	p->repeat = 1;
	while (flags && *flags) {
		char *next = strchr(flags, ',');

		if (next)
			*next++ = '\0';
		if (*flags)
			parse_flag(ps, p, flags);
		else
			error(ps, "%s: empty flag", p->ref);
		flags = next;
	}

	/* Combinations whose meaning would be a guess are refused. */
	if (p->leakcheck && (p->repeat > 1 || p->for_ns))
		error(ps, "%s: leakcheck cannot be combined with repeat or for", p->ref);
	if (p->for_ns && p->repeat > 1)
		error(ps, "%s: for and repeat cannot be combined", p->ref);
}

int sd_config_parse(struct sd_config *cfg, int argc, char *const argv[],
		    void (*report)(const char *msg, void *ctx), void *ctx)
{
	struct parser ps = { .report = report, .ctx = ctx };
	unsigned int i;
	int a;

	memset(cfg, 0, sizeof(*cfg));
	for (a = 1; a < argc; a++) {
		char *w = argv[a];

		if (!strcmp(w, "poweroff"))
			cfg->poweroff = true;
		else if (!strcmp(w, "parallel"))
			cfg->parallel = true;
		else if (!strcmp(w, "sequential"))
			cfg->parallel = false;
		else if (!strncmp(w, "timeout=", 8))
			parse_timeout(&ps, w + 8, NULL, &cfg->timeout_ns);
		else if (strchr(w, '=') && (!strchr(w, ':') || strchr(w, '=') < strchr(w, ':')))
			error(&ps, "unknown option '%s'", w);
		else
			parse_program(&ps, cfg, w);
	}

	if (cfg->parallel) {
		for (i = 0; i < cfg->nr_programs; i++) {
			/* The frame count is system-wide: other programs would move it. */
			if (cfg->programs[i].leakcheck)
				error(&ps, "%s: leakcheck needs sequential mode",
				      cfg->programs[i].ref);
		}
	}
	for (i = 0; i < cfg->nr_programs; i++) {
		if (!cfg->programs[i].timeout_ns)
			cfg->programs[i].timeout_ns = cfg->timeout_ns;
	}
	cfg->all_modules = cfg->nr_programs == 0;
	return ps.errors;
}
