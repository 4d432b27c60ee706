/*
 * The boot modules as the service domain sees them: module 0 is the service
 * domain itself, the others are programs (or data) named by the first word of
 * their module string. Images are read from the core once and kept.
 */
#ifndef SD_MODULES_H
#define SD_MODULES_H

#include <stddef.h>
#include <stdint.h>
#include <tern/syscall.h>

struct sd_module {
	unsigned int index;
	uint64_t size;
	char name[TERN_MODULE_NAME_MAX];
	char args[256];
	void *image;		/* NULL until sd_module_image() read it */
};

struct sd_modules {
	unsigned int nr;
	struct sd_module *mod;
};

/* Lists every module through @root. 0, or -1 with a message printed. */
int sd_modules_scan(int root, struct sd_modules *mods);

/*
 * The module @ref names: "NAME" (the first module after module 0 with that
 * name) or "#N" (module N). NULL with a message printed when there is none.
 */
struct sd_module *sd_module_find(struct sd_modules *mods, const char *ref);

/* @m's bytes, read on first use. NULL with a message printed on failure. */
void *sd_module_image(int root, struct sd_module *m);

/*
 * A NULL-terminated argv for @m: its name, then the words of its module
 * string. malloc()ed (one block); NULL when out of memory.
 */
char **sd_module_argv(const struct sd_module *m);

#endif
