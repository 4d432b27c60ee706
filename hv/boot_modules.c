/* Boot modules as ring 3 sees them: a name (first word of the module string) and bytes. */
#include "hv/boot_modules.h"
#include "hv/string.h"

static const struct boot_info *modules_info;

void boot_modules_init(const struct boot_info *bi)
{
	modules_info = bi;
}

unsigned int boot_module_count(void)
{
	return modules_info ? modules_info->nr_modules : 0;
}

const struct boot_module *boot_module(unsigned int i)
{
	return i < boot_module_count() ? &modules_info->modules[i] : NULL;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

void boot_module_name(const struct boot_module *m, char *buf, size_t size, const char **args)
{
	const char *s = m->string, *word, *end;
	size_t n;

	while (is_blank(*s))
		s++;
	word = s;
	while (*s && !is_blank(*s))
		s++;
	end = s;
	/* GRUB passes whatever follows the path; a path there means its base name. */
	for (s = word; s < end; s++)
		if (*s == '/')
			word = s + 1;
	n = MIN((size_t)(end - word), size - 1);
	memcpy(buf, word, n);
	buf[n] = '\0';
	if (args) {
		while (is_blank(*end))
			end++;
		*args = end;
	}
}
