/* Deliberate faults on request (crashtest=), so tests can check the fault path end to end. */
#ifndef HV_CRASHTEST_H
#define HV_CRASHTEST_H

#include "hv/types.h"
#include "hv/string.h"

/* The kinds crashtest_run() knows; the command-line parser checks against the same list. */
static inline bool crashtest_kind_valid(const char *kind)
{
	static const char *const kinds[] = { "pf", "gp", "ud", "de" };

	for (size_t i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

/*
 * Triggers the fault @kind names: "pf" (write to an unmapped canonical address),
 * "gp" (access through a non-canonical address), "ud" (ud2), "de" (divide by zero).
 * Prints "crashtest: triggering <kind>" first. Unknown kinds are warned about and
 * ignored; if the fault unexpectedly does not happen, that is reported and the call returns.
 */
void crashtest_run(const char *kind);

#endif
