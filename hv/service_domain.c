/*
 * Starting the service domain: boot module 0, run as the first process with
 * the module string's words as argv, the console and the root object.
 */
#include "hv/process.h"
#include "hv/boot_modules.h"
#include "hv/console_dev.h"
#include "hv/root_obj.h"
#include "hv/mm.h"
#include "hv/log.h"
#include "hv/string.h"

#define SD_MAX_ARGS	64

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Splits @s (modified in place) into at most @max - 1 words; argv[n] = NULL. */
static unsigned int split_words(char *s, const char **argv, unsigned int max)
{
	unsigned int n = 0;

	while (*s && n < max - 1) {
		while (is_blank(*s))
			*s++ = '\0';
		if (!*s)
			break;
		argv[n++] = s;
		while (*s && !is_blank(*s))
			s++;
	}
	argv[n] = NULL;
	return n;
}

bool process_start_service_domain(const struct boot_info *bi)
{
	static char words[BOOT_MODULE_STRING_MAX];
	const char *argv[SD_MAX_ARGS];
	const struct boot_module *m;
	struct process_args a = { 0 };
	struct kobj *handles[2];
	uint32_t rights[2] = {
		TERN_RIGHT_READ | TERN_RIGHT_WRITE | TERN_RIGHT_WAIT | TERN_RIGHT_DUP,
		TERN_RIGHT_ALL,
	};
	char name[32];
	struct process *p;
	int err;

	boot_modules_init(bi);
	m = boot_module(0);
	if (!m) {
		pr_info("service domain: no boot module, nothing to run\n");
		return false;
	}
	boot_module_name(m, name, sizeof(name), NULL);
	memcpy(words, m->string, sizeof(words));
	words[sizeof(words) - 1] = '\0';
	if (!split_words(words, argv, SD_MAX_ARGS)) {
		argv[0] = name;
		argv[1] = NULL;
	}

	handles[0] = console_dev_get();
	handles[1] = root_obj_get();
	a.name = name;
	a.image = phys_to_virt(m->start);
	a.image_len = m->end - m->start;
	a.argv = argv;
	a.handles = handles;
	a.rights = rights;
	a.nr_handles = 2;
	p = process_create(&a, &err);
	kobj_put(handles[0]);
	kobj_put(handles[1]);
	if (!p) {
		pr_err("service domain: module %s does not start (error %d)\n", name, err);
		return false;
	}
	pr_info("service domain: %s (pid %u), %u modules\n", p->name, p->pid,
		boot_module_count());
	process_start(p);
	/* The core keeps no handle: the service domain lives while it runs. */
	kobj_put(&p->obj);
	return true;
}
