/* Leveled log to the console. */
#ifndef HV_LOG_H
#define HV_LOG_H

#include <stdarg.h>
#include "hv/types.h"

enum log_level {
	LOG_ERR = 0,
	LOG_WARN = 1,
	LOG_INFO = 2,
	LOG_DEBUG = 3,
};

extern int log_level;

/* Messages at @level or more important than the current log_level are printed.
 * Errors and warnings get an "error: " / "warning: " prefix; the text should end in '\n'. */
void log_printf(enum log_level level, const char *fmt, ...) __printf(2, 3);
void log_vprintf(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...)	log_printf(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)	log_printf(LOG_WARN, __VA_ARGS__)
#define pr_info(...)	log_printf(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)	log_printf(LOG_DEBUG, __VA_ARGS__)

/*
 * Messages a guest or a ring-3 program can cause at will: at most
 * LOG_BURST per call site every LOG_BURST_NS, then one line saying how many
 * were left out, so a misbehaving guest cannot flood the serial console.
 */
struct log_ratelimit {
	uint64_t window_start;
	uint32_t printed;
	uint32_t missed;
};
#define LOG_BURST	10
#define LOG_BURST_NS	5000000000ull
/* True when the caller may print now (hv/log_ratelimit.c). */
bool log_ratelimit_ok(struct log_ratelimit *rl);

#define pr_ratelimited(level, ...) do {						\
	static struct log_ratelimit __rl;					\
	if (log_ratelimit_ok(&__rl))						\
		log_printf(level, __VA_ARGS__);					\
} while (0)
#define pr_err_ratelimited(...)		pr_ratelimited(LOG_ERR, __VA_ARGS__)
#define pr_warn_ratelimited(...)	pr_ratelimited(LOG_WARN, __VA_ARGS__)

#endif
