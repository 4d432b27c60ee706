/*
 * Boot modules: listing, lookup by name or number, reading, and turning a
 * module string into an argv.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tern/tern.h>

#include "sd/modules.h"

int sd_modules_scan(int root, struct sd_modules *mods)
{
	struct tern_module_info info;
	unsigned int n = 0;

	/* Count first: the list is fixed at boot, so a second pass sees the same. */
	while (tern_module_info(root, n, &info) == 0)
		n++;
	if (errno != ENOENT) {
		printf("sd: cannot list boot module %u: %s\n", n, strerror(errno));
		return -1;
	}

	mods->nr = n;
	mods->mod = calloc(n ? n : 1, sizeof(*mods->mod));
	if (!mods->mod) {
		printf("sd: out of memory listing %u boot modules\n", n);
		return -1;
	}
	for (unsigned int i = 0; i < n; i++) {
		struct sd_module *m = &mods->mod[i];

		if (tern_module_info(root, i, &info)) {
			printf("sd: boot module %u: %s\n", i, strerror(errno));
			return -1;
		}
		m->index = i;
		m->size = info.size;
		/* The core NUL-terminates these; copy bounded anyway. */
		snprintf(m->name, sizeof(m->name), "%.*s", (int)sizeof(info.name) - 1, info.name);
		snprintf(m->args, sizeof(m->args), "%.*s", (int)sizeof(info.args) - 1, info.args);
	}
	return 0;
}

struct sd_module *sd_module_find(struct sd_modules *mods, const char *ref)
{
	if (ref[0] == '#') {
		unsigned long idx = strtoul(ref + 1, NULL, 10);

		if (idx == 0 || idx >= mods->nr) {
			printf("sd: config: %s: there is no boot module %lu (modules 1..%u are programs)\n",
			       ref, idx, mods->nr ? mods->nr - 1 : 0);
			return NULL;
		}
		return &mods->mod[idx];
	}
	for (unsigned int i = 1; i < mods->nr; i++) {
		if (!strcmp(mods->mod[i].name, ref))
			return &mods->mod[i];
	}
	printf("sd: config: %s: no boot module of that name\n", ref);
	return NULL;
}

void *sd_module_image(int root, struct sd_module *m)
{
	uint64_t off = 0;
	char *buf;

	if (m->image)
		return m->image;
	if (m->size == 0 || m->size > SIZE_MAX) {
		printf("sd: %s: module of %llu bytes cannot be a program\n", m->name,
		       (unsigned long long)m->size);
		return NULL;
	}
	buf = malloc(m->size);
	if (!buf) {
		printf("sd: %s: out of memory for %llu bytes\n", m->name,
		       (unsigned long long)m->size);
		return NULL;
	}
	while (off < m->size) {
		long n = tern_module_read(root, m->index, off, buf + off, m->size - off);

		if (n <= 0) {
			printf("sd: %s: reading the module failed at byte %llu: %s\n", m->name,
			       (unsigned long long)off, n < 0 ? strerror(errno) : "end of data");
			free(buf);
			return NULL;
		}
		off += n;
	}
	m->image = buf;
	return buf;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t';
}

char **sd_module_argv(const struct sd_module *m)
{
	size_t nlen = strlen(m->name) + 1, alen = strlen(m->args) + 1;
	size_t words = 1, i;
	char **argv, *str;
	int in_word = 0;

	for (i = 0; m->args[i]; i++) {
		if (!is_space(m->args[i]) && !in_word)
			words++;
		in_word = !is_space(m->args[i]);
	}
	/* One block: the pointer array, then the name and the split arguments. */
	argv = malloc((words + 1) * sizeof(char *) + nlen + alen);
	if (!argv)
		return NULL;
	str = (char *)(argv + words + 1);
	memcpy(str, m->name, nlen);
	argv[0] = str;
	str += nlen;
	memcpy(str, m->args, alen);

	words = 1;
	in_word = 0;
	for (i = 0; str[i]; i++) {
		if (is_space(str[i])) {
			str[i] = '\0';
			in_word = 0;
		} else if (!in_word) {
			argv[words++] = &str[i];
			in_word = 1;
		}
	}
	argv[words] = NULL;
	return argv;
}
