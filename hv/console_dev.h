/*
 * The console as a kernel object: writes go to the serial console (and the
 * log), reads come from COM1's receiver, which raises an interrupt (through
 * the IOAPIC) into a buffer. One object exists; the service domain gets a
 * handle at start.
 */
#ifndef HV_CONSOLE_DEV_H
#define HV_CONSOLE_DEV_H

#include "hv/kobj.h"

/* Sets up the receive interrupt. @pre acpi_init(), lapic_init(). */
void console_dev_init(void);
/* The console object (a new reference each call). */
struct kobj *console_dev_get(void);

#endif
