/* The multiboot2 modules, kept for ring 3 (TERN_SYS_MODULE_*, the service domain). */
#ifndef HV_BOOT_MODULES_H
#define HV_BOOT_MODULES_H

#include "hv/boot_info.h"

/* Remembers @bi (which must stay valid) for the calls below. */
void boot_modules_init(const struct boot_info *bi);
unsigned int boot_module_count(void);
/* Module @i, NULL past the last. */
const struct boot_module *boot_module(unsigned int i);
/* The module's name, the base name of the first word of its string, into
 * @buf (@size bytes, NUL-terminated, truncated); its arguments (the rest of
 * the string, leading blanks skipped) through @args when not NULL. */
void boot_module_name(const struct boot_module *m, char *buf, size_t size, const char **args);

#endif
