/* The core's console: where log output goes (a serial port or nowhere). */
#ifndef HV_CONSOLE_H
#define HV_CONSOLE_H

#include "hv/types.h"

/* Selects the console from a console= value ("com1", "com2", "none", with an
 * optional ",<baud>"). Returns false, keeping the current console, if invalid. */
bool console_configure(const char *spec);
void console_write(const char *s, size_t len);
/* Before the machine goes away: let the last bytes reach the wire. */
void console_flush(void);
/* After a fatal error: stop waiting for a lock another CPU may never release. */
void console_set_emergency(void);

#endif
