/* Leveled logging: formats into a line buffer and writes it in one go. */
#include "hv/log.h"
#include "hv/console.h"
#include "hv/format.h"

int log_level = LOG_INFO;

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	static const char *const prefix[] = {
		[LOG_ERR] = "error: ",
		[LOG_WARN] = "warning: ",
		[LOG_INFO] = "",
		[LOG_DEBUG] = "",
	};
	char line[512];
	int n;

	if ((int)level > log_level)
		return;
	n = fmt_snprintf(line, sizeof(line), "%s", prefix[level]);
	n += fmt_vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	console_write(line, n);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}
