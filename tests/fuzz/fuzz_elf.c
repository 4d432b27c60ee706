/*
 * libFuzzer target for the ELF64 parser (`make fuzz`, then run
 * build/fuzz/fuzz_elf [-max_total_time=N] [CORPUS_DIR]). Besides the
 * sanitizers catching bad reads, every accepted image is checked against
 * what the process loader relies on, independently of the parser's code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hv/elf.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "abi/include/tern/syscall.h"

#define CHECK(cond)	do { if (!(cond)) abort(); } while (0)

static void check_accepted(const struct elf_image *img, size_t len)
{
	bool entry_ok = false;
	unsigned int i, j;

	CHECK(img->nr_segments >= 1 && img->nr_segments <= ELF_MAX_SEGMENTS);
	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];

		CHECK(s->memsz > 0 && s->filesz <= s->memsz);
		CHECK(s->offset <= len && s->filesz <= len - s->offset);
		CHECK(s->vaddr >= ASPACE_USER_BASE && s->memsz <= ASPACE_USER_END - s->vaddr);
		CHECK(s->map_start <= s->vaddr && s->vaddr + s->memsz <= s->map_end);
		CHECK(s->map_start % PAGE_SIZE == 0 && s->map_end % PAGE_SIZE == 0);
		CHECK(s->map_end <= ASPACE_USER_END);
		for (j = 0; j < i; j++)
			CHECK(s->map_end <= img->segments[j].map_start ||
			      img->segments[j].map_end <= s->map_start);
		if ((s->prot & TERN_PROT_EXEC) && img->entry >= s->vaddr &&
		    img->entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	CHECK(entry_ok);
	if (img->has_tls)
		CHECK(img->tls.align >= 1 && img->tls.align <= ELF_MAX_TLS_ALIGN &&
		      (img->tls.align & (img->tls.align - 1)) == 0 &&
		      img->tls.filesz <= img->tls.memsz);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image img;
	/* An exact-size copy: libFuzzer's own buffer may have slack after it. */
	uint8_t *copy = malloc(size ? size : 1);
	int ret;

	memcpy(copy, data, size);
	ret = elf_parse(copy, size, &img);
	if (ret == 0)
		check_accepted(&img, size);
	else
		CHECK(ret == -ENOEXEC && img.error);
	free(copy);
	return 0;
}
