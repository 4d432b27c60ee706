/* Test mode (command-line word `testguests`): every multiboot2 module is a
 * test guest (tests/guests/) run in its own VM. */
#ifndef HV_TESTMODE_H
#define HV_TESTMODE_H

#include "hv/boot_info.h"

/* Runs every module of @bi as a test guest, prints `guest NAME: PASS|FAIL why`
 * per guest and `guests: N passed, M failed`, then powers off. */
__noreturn void testmode_run(const struct boot_info *bi);

#endif
