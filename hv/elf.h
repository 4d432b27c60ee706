/*
 * Parser for the static ELF64 executables ring-3 processes are made from.
 * The image is untrusted (it comes from a process or a boot module): every
 * field is checked, every addition overflow-checked, and nothing outside
 * [image, image + len) is read. The parser only describes the image; the
 * process loader maps and copies it.
 */
#ifndef HV_ELF_H
#define HV_ELF_H

#include "hv/types.h"

#define ELF_MAX_SEGMENTS	16	/* PT_LOAD entries */
#define ELF_MAX_PHDRS		64	/* program headers of any type */
#define ELF_MAX_TLS_ALIGN	4096

/*
 * One PT_LOAD. The loader maps [map_start, map_end) with @prot, copies the
 * file bytes [offset, offset + filesz) of the image to @vaddr and leaves the
 * rest of the mapping zero. No two segments share a page. @offset is 0 when
 * @filesz is.
 */
struct elf_segment {
	uint64_t vaddr;
	uint64_t memsz;
	uint64_t offset;
	uint64_t filesz;
	uint64_t map_start;	/* vaddr rounded down to a page */
	uint64_t map_end;	/* vaddr + memsz rounded up to a page */
	int prot;		/* TERN_PROT_* from p_flags */
};

/* The PT_TLS template, for the C library's thread-local storage set-up. */
struct elf_tls {
	uint64_t vaddr;		/* initialisation image, inside a PT_LOAD's file bytes */
	uint64_t filesz;
	uint64_t memsz;		/* filesz initialised bytes, then zeros */
	uint64_t align;		/* power of two, 1..ELF_MAX_TLS_ALIGN */
};

struct elf_image {
	uint64_t entry;
	unsigned int nr_segments;
	struct elf_segment segments[ELF_MAX_SEGMENTS];	/* in program-header order */
	bool has_tls;
	struct elf_tls tls;
	uint64_t phdr_vaddr;	/* for AT_PHDR: user address of the program headers, or 0 */
	unsigned int phnum;	/* for AT_PHNUM */
	const char *error;	/* why elf_parse() refused the image (static string) */
};

/*
 * Checks and describes the static x86-64 executable in [image, image + len).
 * @image needs no alignment. Returns 0, or -ENOEXEC with @out->error saying
 * why (the caller logs it with the file's name). @out is always written.
 */
int elf_parse(const void *image, size_t len, struct elf_image *out);

#endif
