/*
 * How the service domain prints an exit status (the wait() encoding of
 * TERN_SYS_PROCESS_WAIT): "3" for an exit code, "signal 11 (SIGSEGV)" for a
 * process the core killed. scripts/tern-run parses exactly this form.
 */
#ifndef SD_STATUS_H
#define SD_STATUS_H

#include <stddef.h>

/* Writes the text for @status into @buf (always NUL-terminated). */
void sd_format_status(int status, char *buf, size_t len);

#endif
