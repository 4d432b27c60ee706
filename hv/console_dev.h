/*
 * The console as a kernel object: writes go to the serial console (and the
 * log), reads come from COM1's receiver, which raises an interrupt (through
 * the IOAPIC) into a buffer. One object exists; the service domain gets a
 * handle at start.
 */
#ifndef HV_CONSOLE_DEV_H
#define HV_CONSOLE_DEV_H

#include "hv/kobj.h"

/* Sets up the IOAPICs (ioapic_init) and the receive interrupt.
 * @pre acpi_init(), lapic_init(), on the boot CPU. */
void console_dev_init(void);
/* The console object (a new reference each call). */
struct kobj *console_dev_get(void);

/* Writes @len bytes from ring-3 @buf: bytes written (short if the buffer
 * faults part way or the thread is killed), or -EFAULT when none could be read. */
int64_t console_dev_write_user(uintptr_t buf, size_t len);
/* Reads buffered input into ring-3 @buf, waiting up to @timeout_ns for the
 * first byte: bytes (>= 1; 0 only for @len 0), -EAGAIN when nothing came in
 * time, -EINTR, -EFAULT (the input stays buffered). */
int64_t console_dev_read_user(uintptr_t buf, size_t len, uint64_t timeout_ns);

#endif
