/* unit-sources: hv/elf.c hv/format.c */
/*
 * The ELF64 parser against a valid static executable built here, one
 * violation of each rule at a time, every truncation, random damage and a
 * real host binary. Every parse runs on a heap buffer of exactly the image's
 * size, so AddressSanitizer reports any read outside it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/elf.h"
#include "hv/elf64.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "abi/include/tern/syscall.h"
#include "tests/unit/host_support.h"

#define PT_GNU_STACK	0x6474e551

/* An image as a model: the headers are serialised into the file by emit(). */
struct model {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[ELF_MAX_PHDRS + 2];
	size_t len;		/* file size */
};

static struct model m;
static struct elf_image img;

/*
 * The valid image: headers and code in a read/execute segment at 0x400000,
 * data + bss (with the TLS template in it) two pages higher, plus PT_PHDR,
 * PT_NOTE and PT_GNU_STACK, which the parser must accept and ignore.
 *
 *	file 0x0000..0x1800	-> 0x400000 R X  (memsz 0x1800)
 *	file 0x2010..0x2100	-> 0x403010 R W  (memsz 0x3000)
 */
static void model_valid(void)
{
	memset(&m, 0, sizeof(m));
	memcpy(m.eh.e_ident, "\x7f" "ELF", 4);
	m.eh.e_ident[EI_CLASS] = ELFCLASS64;
	m.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	m.eh.e_ident[EI_VERSION] = EV_CURRENT;
	m.eh.e_type = ET_EXEC;
	m.eh.e_machine = EM_X86_64;
	m.eh.e_version = EV_CURRENT;
	m.eh.e_entry = 0x401000;
	m.eh.e_phoff = sizeof(Elf64_Ehdr);
	m.eh.e_ehsize = sizeof(Elf64_Ehdr);
	m.eh.e_phentsize = sizeof(Elf64_Phdr);
	m.eh.e_phnum = 6;

	m.ph[0] = (Elf64_Phdr){ .p_type = PT_PHDR, .p_flags = PF_R, .p_offset = 64,
				.p_vaddr = 0x400040, .p_filesz = 6 * 56, .p_memsz = 6 * 56,
				.p_align = 8 };
	m.ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X, .p_offset = 0,
				.p_vaddr = 0x400000, .p_filesz = 0x1800, .p_memsz = 0x1800,
				.p_align = 0x1000 };
	m.ph[2] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W, .p_offset = 0x2010,
				.p_vaddr = 0x403010, .p_filesz = 0xf0, .p_memsz = 0x3000,
				.p_align = 0x1000 };
	m.ph[3] = (Elf64_Phdr){ .p_type = PT_TLS, .p_flags = PF_R, .p_offset = 0x2020,
				.p_vaddr = 0x403020, .p_filesz = 0x10, .p_memsz = 0x40,
				.p_align = 16 };
	m.ph[4] = (Elf64_Phdr){ .p_type = PT_NOTE, .p_flags = PF_R, .p_offset = 0x400,
				.p_vaddr = 0x400400, .p_filesz = 0x20, .p_memsz = 0x20,
				.p_align = 4 };
	m.ph[5] = (Elf64_Phdr){ .p_type = PT_GNU_STACK, .p_flags = PF_R | PF_W };
	m.len = 0x2100;
}

/* The file bytes of the model in a fresh heap buffer of exactly m.len bytes. */
static uint8_t *emit(void)
{
	uint8_t *buf = malloc(m.len ? m.len : 1);
	size_t off, i;

	assert_non_null(buf);
	for (i = 0; i < m.len; i++)
		buf[i] = (uint8_t)(i * 7 + 3);	/* code and data stand-ins */
	if (m.len >= sizeof(m.eh))
		memcpy(buf, &m.eh, sizeof(m.eh));
	for (i = 0; i < m.eh.e_phnum && i < ARRAY_SIZE(m.ph); i++) {
		if (m.eh.e_phoff > m.len)
			break;
		off = m.eh.e_phoff + i * sizeof(Elf64_Phdr);
		if (off + sizeof(Elf64_Phdr) > m.len || off < m.eh.e_phoff)
			break;
		memcpy(buf + off, &m.ph[i], sizeof(Elf64_Phdr));
	}
	return buf;
}

static int parse_bytes(const uint8_t *bytes, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, bytes, len);
	ret = elf_parse(copy, len, &img);
	free(copy);
	return ret;
}

static int parse_model(void)
{
	uint8_t *buf = emit();
	int ret = elf_parse(buf, m.len, &img);

	free(buf);
	return ret;
}

/* The model must be refused with a reason containing @why. */
static void expect_reject_at(const char *why, int line)
{
	int ret = parse_model();

	if (ret != -ENOEXEC || !img.error || !strstr(img.error, why))
		fail_msg("line %d: expected rejection \"%s\", got %d (%s)", line, why, ret,
			 img.error ? img.error : "no reason");
}

static void expect_accept_at(int line)
{
	int ret = parse_model();

	if (ret != 0)
		fail_msg("line %d: expected acceptance, got %d (%s)", line, ret,
			 img.error ? img.error : "?");
	assert_null(img.error);
}

/* Macros so a failure names the line of the case, not of the helper. */
#define expect_reject(why)	expect_reject_at(why, __LINE__)
#define expect_accept()		expect_accept_at(__LINE__)

/* ---- valid images ---- */

static void valid_image(void **state)
{
	(void)state;
	model_valid();
	expect_accept();
	assert_int_equal(img.entry, 0x401000);
	assert_int_equal(img.nr_segments, 2);

	assert_int_equal(img.segments[0].vaddr, 0x400000);
	assert_int_equal(img.segments[0].memsz, 0x1800);
	assert_int_equal(img.segments[0].offset, 0);
	assert_int_equal(img.segments[0].filesz, 0x1800);
	assert_int_equal(img.segments[0].map_start, 0x400000);
	assert_int_equal(img.segments[0].map_end, 0x402000);
	assert_int_equal(img.segments[0].prot, TERN_PROT_READ | TERN_PROT_EXEC);

	assert_int_equal(img.segments[1].vaddr, 0x403010);
	assert_int_equal(img.segments[1].memsz, 0x3000);
	assert_int_equal(img.segments[1].offset, 0x2010);
	assert_int_equal(img.segments[1].filesz, 0xf0);
	assert_int_equal(img.segments[1].map_start, 0x403000);
	assert_int_equal(img.segments[1].map_end, 0x407000);
	assert_int_equal(img.segments[1].prot, TERN_PROT_READ | TERN_PROT_WRITE);

	assert_true(img.has_tls);
	assert_int_equal(img.tls.vaddr, 0x403020);
	assert_int_equal(img.tls.filesz, 0x10);
	assert_int_equal(img.tls.memsz, 0x40);
	assert_int_equal(img.tls.align, 16);

	assert_int_equal(img.phdr_vaddr, 0x400040);
	assert_int_equal(img.phnum, 6);
}

static void valid_variants(void **state)
{
	(void)state;

	/* Without PT_PHDR the program headers are found through the PT_LOAD holding them. */
	model_valid();
	m.ph[0].p_type = PT_NULL;
	expect_accept();
	assert_int_equal(img.phdr_vaddr, 0x400040);

	/* Program headers in no PT_LOAD: AT_PHDR is 0, the image is still fine. */
	model_valid();
	m.ph[0].p_type = PT_NULL;
	m.ph[1].p_offset = 0x1000;
	m.ph[1].p_vaddr = 0x401000;
	m.ph[1].p_filesz = m.ph[1].p_memsz = 0x800;
	expect_accept();
	assert_int_equal(img.phdr_vaddr, 0);

	/* No PT_TLS. */
	model_valid();
	m.ph[3].p_type = PT_NULL;
	expect_accept();
	assert_false(img.has_tls);

	/* TLS alignment 0 means 1; 4096 is the largest accepted. */
	model_valid();
	m.ph[3].p_align = 0;
	expect_accept();
	assert_int_equal(img.tls.align, 1);
	m.ph[3].p_align = 4096;
	expect_accept();
	/* A TLS template with only zero-initialised bytes needs no loaded image. */
	model_valid();
	m.ph[3].p_filesz = 0;
	m.ph[3].p_vaddr = 0x500000;
	expect_accept();

	/* A bss-only segment may have any p_offset; a segment on the very last user page. */
	model_valid();
	m.ph[2].p_filesz = 0;
	m.ph[2].p_offset = 0x12345;
	m.ph[2].p_vaddr = ASPACE_USER_END - 0x10;
	m.ph[2].p_memsz = 0x10;
	m.ph[3].p_type = PT_NULL;
	m.len = 0x1800;
	expect_accept();
	assert_int_equal(img.segments[1].map_start, ASPACE_USER_END - PAGE_SIZE);
	assert_int_equal(img.segments[1].map_end, ASPACE_USER_END);
	assert_int_equal(img.segments[1].offset, 0);

	/* The lowest user address; segments on adjacent pages. */
	model_valid();
	m.ph[0].p_type = PT_NULL;
	m.ph[1].p_vaddr = ASPACE_USER_BASE;
	m.eh.e_entry = ASPACE_USER_BASE + 0x17ff;	/* last byte of the segment */
	m.ph[2].p_vaddr = ASPACE_USER_BASE + 0x2010;
	m.ph[3].p_vaddr = ASPACE_USER_BASE + 0x2020;
	expect_accept();

	/* Permissions map one to one, including none at all. */
	model_valid();
	m.ph[2].p_flags = 0;
	expect_accept();
	assert_int_equal(img.segments[1].prot, TERN_PROT_NONE);
	m.ph[2].p_flags = PF_R | PF_W | PF_X;
	expect_accept();
	assert_int_equal(img.segments[1].prot, TERN_PROT_READ | TERN_PROT_WRITE | TERN_PROT_EXEC);

	/* Exactly ELF_MAX_SEGMENTS PT_LOADs and ELF_MAX_PHDRS headers (table moved to the end). */
	model_valid();
	m.eh.e_phnum = ELF_MAX_PHDRS;
	m.eh.e_phoff = 0x2100;
	m.len = 0x2100 + ELF_MAX_PHDRS * sizeof(Elf64_Phdr);
	m.ph[0].p_type = PT_NULL;
	for (unsigned int i = 6; i < 6 + ELF_MAX_SEGMENTS - 2; i++)
		m.ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R,
					.p_vaddr = 0x1000000 + i * 0x1000, .p_memsz = 0x1000 };
	expect_accept();
	assert_int_equal(img.nr_segments, ELF_MAX_SEGMENTS);
	assert_int_equal(img.phnum, ELF_MAX_PHDRS);
	assert_int_equal(img.phdr_vaddr, 0);
}

/* ---- each rule broken on its own ---- */

static void bad_header(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++) {
		model_valid();
		m.eh.e_ident[i] ^= 0x20;
		expect_reject("not an ELF file");
	}
	model_valid();
	m.eh.e_ident[EI_CLASS] = 1;
	expect_reject("ELFCLASS64");
	model_valid();
	m.eh.e_ident[EI_DATA] = 2;
	expect_reject("little endian");
	model_valid();
	m.eh.e_ident[EI_VERSION] = 0;
	expect_reject("version");
	model_valid();
	m.eh.e_version = 2;
	expect_reject("version");
	model_valid();
	m.eh.e_machine = 3;	/* EM_386 */
	expect_reject("x86-64");
	model_valid();
	m.eh.e_type = ET_DYN;
	expect_reject("ET_DYN");
	model_valid();
	m.eh.e_type = 1;	/* ET_REL */
	expect_reject("ET_EXEC");
	model_valid();
	m.eh.e_type = 4;	/* ET_CORE */
	expect_reject("ET_EXEC");
	model_valid();
	m.eh.e_phentsize = 55;
	expect_reject("e_phentsize");
	model_valid();
	m.eh.e_phentsize = 64;
	expect_reject("e_phentsize");
	model_valid();
	m.eh.e_phnum = 0;
	expect_reject("no program headers");
	model_valid();
	m.eh.e_phnum = ELF_MAX_PHDRS + 1;
	m.eh.e_phoff = 0x2100;
	m.len = 0x2100 + (ELF_MAX_PHDRS + 1) * sizeof(Elf64_Phdr);
	expect_reject("too many program headers");
	model_valid();
	m.eh.e_phnum = 0xffff;	/* PN_XNUM */
	expect_reject("too many program headers");
}

static void bad_phdr_table(void **state)
{
	(void)state;
	model_valid();
	m.eh.e_phoff = m.len;
	expect_reject("program headers outside");
	model_valid();
	m.eh.e_phoff = m.len - 6 * 56 + 1;	/* last byte of the table past the end */
	expect_reject("program headers outside");
	model_valid();
	m.eh.e_phoff = UINT64_MAX - 100;	/* offset + size wraps */
	expect_reject("program headers outside");
	/* The table ending exactly at the end of the file is fine. */
	model_valid();
	m.eh.e_phoff = m.len - 6 * 56;
	m.ph[0].p_type = PT_NULL;
	expect_accept();
	assert_int_equal(img.phdr_vaddr, 0);	/* no PT_LOAD holds all of the table */
}

static void bad_load(void **state)
{
	(void)state;
	model_valid();
	m.ph[2].p_filesz = m.ph[2].p_memsz + 1;
	m.len = 0x2010 + m.ph[2].p_filesz;
	expect_reject("p_filesz > p_memsz");
	model_valid();
	m.ph[2].p_memsz = 0;
	m.ph[2].p_filesz = 0;
	expect_reject("empty PT_LOAD");
	model_valid();
	m.ph[2].p_filesz = 0xf1;	/* one byte past the end of the file */
	expect_reject("PT_LOAD file bytes outside");
	model_valid();
	m.ph[2].p_offset = UINT64_MAX - 0x0f;	/* + filesz wraps; same page offset as vaddr */
	m.ph[2].p_vaddr = 0x403ff0;
	expect_reject("PT_LOAD file bytes outside");
	model_valid();
	m.ph[1].p_vaddr = ASPACE_USER_BASE - PAGE_SIZE;
	m.eh.e_entry = m.ph[1].p_vaddr;
	m.ph[0].p_type = PT_NULL;
	expect_reject("outside the user address range");
	model_valid();
	m.ph[1].p_vaddr = 0;
	m.eh.e_entry = 0x10;
	m.ph[0].p_type = PT_NULL;
	expect_reject("outside the user address range");
	model_valid();
	m.ph[2].p_vaddr = ASPACE_USER_END - 0x10;	/* memsz runs past the user half */
	m.ph[2].p_offset = (ASPACE_USER_END - 0x10) % PAGE_SIZE + 0x1000;
	m.ph[3].p_type = PT_NULL;
	expect_reject("outside the user address range");
	model_valid();
	m.ph[2].p_vaddr = 0xffffffff80000010ULL;	/* the core's half */
	m.ph[3].p_type = PT_NULL;
	expect_reject("outside the user address range");
	model_valid();
	m.ph[2].p_vaddr = UINT64_MAX - 0xfef;	/* vaddr + memsz wraps */
	m.ph[3].p_type = PT_NULL;
	expect_reject("outside the user address range");
	model_valid();
	m.ph[2].p_vaddr = 0x403018;	/* p_offset 0x2010: different page offset */
	expect_reject("modulo the page size");
	model_valid();
	m.ph[2].p_type = PT_INTERP;
	expect_reject("PT_INTERP");
	model_valid();
	m.ph[4].p_type = PT_INTERP;
	expect_reject("PT_INTERP");
	model_valid();
	m.ph[4].p_type = PT_DYNAMIC;
	expect_reject("PT_DYNAMIC");
}

static void overlapping_loads(void **state)
{
	(void)state;
	/* Data starting on the page where text ends. */
	model_valid();
	m.ph[2].p_vaddr = 0x401810;
	m.ph[3].p_type = PT_NULL;
	m.ph[2].p_offset = 0x1810;
	expect_reject("overlap");
	/* Same range twice. */
	model_valid();
	m.ph[2] = m.ph[1];
	m.ph[3].p_type = PT_NULL;
	expect_reject("overlap");
	/* A later segment enclosing an earlier one. */
	model_valid();
	m.ph[2].p_vaddr = 0x3ff010;
	m.ph[2].p_memsz = 0x10000;
	m.ph[3].p_type = PT_NULL;
	expect_reject("overlap");
	/* Both ends inside a page another segment touches only partly. */
	model_valid();
	m.ph[2].p_vaddr = 0x401ff0;
	m.ph[2].p_offset = 0x1ff0;
	m.ph[2].p_filesz = 0;
	m.ph[2].p_memsz = 0x8;
	m.ph[3].p_type = PT_NULL;
	expect_reject("overlap");
}

static void load_counts_and_entry(void **state)
{
	(void)state;
	/* No PT_LOAD at all. */
	model_valid();
	m.ph[1].p_type = PT_NOTE;
	m.ph[2].p_type = PT_NOTE;
	m.ph[0].p_type = PT_NULL;
	m.ph[3].p_type = PT_NULL;
	expect_reject("no PT_LOAD");

	/* One PT_LOAD more than ELF_MAX_SEGMENTS. */
	model_valid();
	m.eh.e_phnum = ELF_MAX_PHDRS;
	m.eh.e_phoff = 0x2100;
	m.len = 0x2100 + ELF_MAX_PHDRS * sizeof(Elf64_Phdr);
	m.ph[0].p_type = PT_NULL;
	for (unsigned int i = 6; i < 6 + ELF_MAX_SEGMENTS - 1; i++)
		m.ph[i] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R,
					.p_vaddr = 0x1000000 + i * 0x1000, .p_memsz = 0x1000 };
	expect_reject("too many PT_LOAD");

	model_valid();
	m.eh.e_entry = 0x400000 + 0x1800;	/* one past the end of text */
	expect_reject("entry point");
	model_valid();
	m.eh.e_entry = 0x3fffff;
	expect_reject("entry point");
	model_valid();
	m.eh.e_entry = 0x403100;	/* inside data, which is not executable */
	expect_reject("entry point");
	model_valid();
	m.eh.e_entry = 0;
	expect_reject("entry point");
	model_valid();
	m.ph[1].p_flags = PF_R;	/* text without X */
	expect_reject("entry point");
}

static void bad_tls(void **state)
{
	(void)state;
	model_valid();
	m.ph[4] = m.ph[3];
	expect_reject("more than one PT_TLS");
	model_valid();
	m.ph[3].p_filesz = 0x41;
	expect_reject("PT_TLS p_filesz > p_memsz");
	model_valid();
	m.ph[3].p_offset = 0x20f8;	/* 0x10 bytes from here run past the file */
	expect_reject("PT_TLS file bytes outside");
	model_valid();
	m.ph[3].p_vaddr = 0x100;
	expect_reject("PT_TLS outside the user address range");
	model_valid();
	m.ph[3].p_vaddr = ASPACE_USER_END - 0x20;
	expect_reject("PT_TLS outside the user address range");
	model_valid();
	m.ph[3].p_memsz = UINT64_MAX;
	expect_reject("PT_TLS outside the user address range");
	model_valid();
	m.ph[3].p_align = 3;
	expect_reject("alignment");
	model_valid();
	m.ph[3].p_align = 8192;
	expect_reject("alignment");
	model_valid();
	m.ph[3].p_align = 1ULL << 63;
	expect_reject("alignment");
	model_valid();
	m.ph[3].p_vaddr = 0x403100;	/* in data's bss: nothing to copy the template from */
	expect_reject("PT_TLS image not inside");
	model_valid();
	m.ph[3].p_vaddr = 0x4030f8;	/* straddles the end of data's file bytes */
	expect_reject("PT_TLS image not inside");
}

static void bad_pt_phdr(void **state)
{
	(void)state;
	model_valid();
	m.ph[4] = m.ph[0];
	expect_reject("more than one PT_PHDR");
	model_valid();
	m.ph[0].p_offset = 0x80;
	expect_reject("PT_PHDR does not describe");
	model_valid();
	m.ph[0].p_filesz = 56;
	expect_reject("PT_PHDR does not describe");
	model_valid();
	m.ph[0].p_vaddr = 0x400048;
	expect_reject("PT_PHDR not loaded");
	model_valid();
	m.ph[0].p_vaddr = 0x403040;
	expect_reject("PT_PHDR not loaded");
	/* The text segment no longer holds the table. */
	model_valid();
	m.ph[1].p_offset = 0x1000;
	m.ph[1].p_vaddr = 0x401000;
	m.ph[1].p_filesz = m.ph[1].p_memsz = 0x800;
	expect_reject("PT_PHDR not loaded");
}

static void tiny_and_null(void **state)
{
	static const uint8_t magic[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	(void)state;
	assert_int_equal(elf_parse(NULL, 0, &img), -ENOEXEC);
	assert_non_null(img.error);
	assert_int_equal(parse_bytes(magic, sizeof(magic)), -ENOEXEC);
	assert_non_null(strstr(img.error, "shorter"));
	assert_int_equal(parse_bytes(magic, 0), -ENOEXEC);
}

/* ---- hostile input in bulk ---- */

static void every_truncation(void **state)
{
	uint8_t *full;
	size_t len;

	(void)state;
	model_valid();
	full = emit();
	assert_int_equal(elf_parse(full, m.len, &img), 0);
	/* The valid image ends with the last file byte a segment needs, so every prefix is bad. */
	for (len = 0; len < m.len; len++) {
		assert_int_equal(parse_bytes(full, len), -ENOEXEC);
		assert_non_null(img.error);
	}
	free(full);
}

/* A deterministic generator, so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static bool ranges_overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* What an accepted image must guarantee to the loader, checked independently of the parser. */
static void check_accepted(size_t len)
{
	bool entry_ok = false;

	assert_null(img.error);
	assert_true(img.nr_segments >= 1 && img.nr_segments <= ELF_MAX_SEGMENTS);
	assert_true(img.phnum >= 1 && img.phnum <= ELF_MAX_PHDRS);
	for (unsigned int i = 0; i < img.nr_segments; i++) {
		const struct elf_segment *s = &img.segments[i];

		assert_true(s->memsz > 0 && s->filesz <= s->memsz);
		assert_true(s->offset <= len && s->filesz <= len - s->offset);
		assert_true(s->vaddr >= ASPACE_USER_BASE && s->vaddr < ASPACE_USER_END);
		assert_true(s->memsz <= ASPACE_USER_END - s->vaddr);
		assert_true(s->map_start % PAGE_SIZE == 0 && s->map_end % PAGE_SIZE == 0);
		assert_true(s->map_start <= s->vaddr && s->vaddr + s->memsz <= s->map_end);
		assert_true(s->map_end <= ASPACE_USER_END);
		assert_true((s->prot & ~(TERN_PROT_READ | TERN_PROT_WRITE | TERN_PROT_EXEC)) == 0);
		if (s->filesz)
			assert_int_equal(s->vaddr % PAGE_SIZE, s->offset % PAGE_SIZE);
		for (unsigned int j = 0; j < i; j++) {
			const struct elf_segment *o = &img.segments[j];

			assert_false(ranges_overlap(s->map_start, s->map_end,
						    o->map_start, o->map_end));
		}
		if ((s->prot & TERN_PROT_EXEC) && img.entry >= s->vaddr &&
		    img.entry < s->vaddr + s->memsz)
			entry_ok = true;
	}
	assert_true(entry_ok);
	if (img.has_tls) {
		assert_true(img.tls.align >= 1 && img.tls.align <= ELF_MAX_TLS_ALIGN);
		assert_int_equal(img.tls.align & (img.tls.align - 1), 0);
		assert_true(img.tls.filesz <= img.tls.memsz);
	}
}

static void random_damage(void **state)
{
	unsigned int accepted = 0, round;
	uint8_t *full, *copy;
	size_t hdr_bytes, len;

	(void)state;
	model_valid();
	full = emit();
	hdr_bytes = sizeof(Elf64_Ehdr) + m.eh.e_phnum * sizeof(Elf64_Phdr);
	for (round = 0; round < 20000; round++) {
		unsigned int flips = 1 + rng() % 6;
		int ret;

		len = rng() % 8 ? m.len : rng() % (m.len + 64);
		copy = malloc(len ? len : 1);
		memcpy(copy, full, MIN(len, m.len));
		if (len > m.len)
			memset(copy + m.len, 0xee, len - m.len);
		for (unsigned int f = 0; f < flips && len; f++) {
			/* Mostly the headers: damage elsewhere is only data. */
			size_t at = rng() % (rng() % 4 ? MIN(hdr_bytes, len) : len);
			uint64_t r = rng();

			switch (r % 4) {
			case 0:
				copy[at] ^= 1u << ((r >> 8) % 8);
				break;
			case 1:
				copy[at] = (uint8_t)(r >> 8);
				break;
			case 2:
				copy[at] = (r >> 8) & 1 ? 0xff : 0;
				break;
			default:
				copy[at] += (r >> 8) & 1 ? 1 : -1;
				break;
			}
		}
		ret = elf_parse(copy, len, &img);
		if (ret == 0) {
			accepted++;
			check_accepted(len);
		} else {
			assert_int_equal(ret, -ENOEXEC);
			assert_non_null(img.error);
		}
		free(copy);
	}
	free(full);
	if (getenv_verbose())
		printf("random_damage: %u of 20000 accepted\n", accepted);
	/* Both outcomes must have been exercised. */
	assert_true(accepted > 100 && accepted < 19000);
}

/* The test binary itself is a PIE (ET_DYN with PT_INTERP): refused cleanly. */
static void host_binary(void **state)
{
	FILE *f = fopen("/proc/self/exe", "rb");
	uint8_t *buf;
	long len;

	(void)state;
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 64);
	rewind(f);
	buf = malloc(len);
	assert_int_equal(fread(buf, 1, len, f), (size_t)len);
	fclose(f);

	assert_int_equal(elf_parse(buf, len, &img), -ENOEXEC);
	assert_non_null(img.error);
	/* Whatever the host compiler's default, a dynamically linked program is refused. */
	if (buf[16] == ET_DYN)
		assert_non_null(strstr(img.error, "ET_DYN"));
	else
		assert_non_null(strstr(img.error, "dynamically linked"));
	if (getenv_verbose())
		printf("host binary: %s\n", img.error);

	/* Claiming ET_EXEC does not help: it still has PT_INTERP/PT_DYNAMIC (or a low base). */
	buf[16] = ET_EXEC;
	buf[17] = 0;
	assert_int_equal(elf_parse(buf, len, &img), -ENOEXEC);
	assert_non_null(img.error);
	free(buf);
}

static int setup(void **state)
{
	(void)state;
	host_log_reset();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(valid_image, setup),
		cmocka_unit_test_setup(valid_variants, setup),
		cmocka_unit_test_setup(bad_header, setup),
		cmocka_unit_test_setup(bad_phdr_table, setup),
		cmocka_unit_test_setup(bad_load, setup),
		cmocka_unit_test_setup(overlapping_loads, setup),
		cmocka_unit_test_setup(load_counts_and_entry, setup),
		cmocka_unit_test_setup(bad_tls, setup),
		cmocka_unit_test_setup(bad_pt_phdr, setup),
		cmocka_unit_test_setup(tiny_and_null, setup),
		cmocka_unit_test_setup(every_truncation, setup),
		cmocka_unit_test_setup(random_damage, setup),
		cmocka_unit_test_setup(host_binary, setup),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
