/* Helpers shared by the host unit tests (see host_support.c). */
#ifndef TESTS_UNIT_HOST_SUPPORT_H
#define TESTS_UNIT_HOST_SUPPORT_H

#include <stdlib.h>
#include "hv/log.h"

extern char host_last_log[1024];
extern int host_log_count[LOG_DEBUG + 1];

/* Clears the remembered log output and counters. */
void host_log_reset(void);

static inline int getenv_verbose(void)
{
	return getenv("TERN_TEST_VERBOSE") != NULL;
}

#endif
