/* selftest=<kind>: which in-core self test to start. */
#include "hv/selftest.h"
#include "hv/log.h"

void selftest_start(const char *kind)
{
	if (!strcmp(kind, "sched"))
		selftest_sched_start();
	else
		pr_warn("selftest: unknown kind '%s'\n", kind);
}
