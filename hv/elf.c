/*
 * Static ELF64 executable parser. The image is hostile until proven
 * otherwise: headers are copied out with memcpy (no alignment is assumed),
 * every offset and size is checked against the file before it is used, and
 * every addition is done with an overflow check, so a crafted header can
 * neither make us read outside the image nor make the loader map outside
 * the user half of the address space.
 */
#include "hv/elf.h"
#include "hv/elf64.h"
#include "hv/aspace.h"
#include "hv/errno.h"
#include "hv/string.h"
#include "abi/include/tern/syscall.h"

/* Records why the image was refused; always returns -ENOEXEC. */
static int reject(struct elf_image *out, const char *why)
{
	out->error = why;
	return -ENOEXEC;
}

/* [start, start + size) fits in [0, limit) without wrapping. */
static bool range_within(uint64_t start, uint64_t size, uint64_t limit)
{
	uint64_t end;

	if (__builtin_add_overflow(start, size, &end))
		return false;
	return end <= limit;
}

static int check_ehdr(const Elf64_Ehdr *eh, size_t len, struct elf_image *out)
{
	uint64_t ph_bytes;

	if (eh->e_ident[EI_MAG0] != ELFMAG0 || eh->e_ident[EI_MAG0 + 1] != ELFMAG1 ||
	    eh->e_ident[EI_MAG0 + 2] != ELFMAG2 || eh->e_ident[EI_MAG0 + 3] != ELFMAG3)
		return reject(out, "not an ELF file");
	if (eh->e_ident[EI_CLASS] != ELFCLASS64)
		return reject(out, "not ELFCLASS64");
	if (eh->e_ident[EI_DATA] != ELFDATA2LSB)
		return reject(out, "not little endian");
	if (eh->e_ident[EI_VERSION] != EV_CURRENT || eh->e_version != EV_CURRENT)
		return reject(out, "unknown ELF version");
	if (eh->e_machine != EM_X86_64)
		return reject(out, "not x86-64");
	if (eh->e_type == ET_DYN)
		return reject(out, "ET_DYN (PIE or shared object), need a static ET_EXEC");
	if (eh->e_type != ET_EXEC)
		return reject(out, "not an executable (ET_EXEC)");
	if (eh->e_phentsize != sizeof(Elf64_Phdr))
		return reject(out, "bad e_phentsize");
	if (eh->e_phnum == 0)
		return reject(out, "no program headers");
	if (eh->e_phnum > ELF_MAX_PHDRS)
		return reject(out, "too many program headers");
	ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	if (!range_within(eh->e_phoff, ph_bytes, len))
		return reject(out, "program headers outside the file");
	return 0;
}

static int prot_from_flags(uint32_t flags)
{
	return ((flags & PF_R) ? TERN_PROT_READ : 0) |
	       ((flags & PF_W) ? TERN_PROT_WRITE : 0) |
	       ((flags & PF_X) ? TERN_PROT_EXEC : 0);
}

static int add_load(const Elf64_Phdr *ph, size_t len, struct elf_image *out)
{
	struct elf_segment *seg;
	uint64_t vend;
	unsigned int i;

	if (out->nr_segments == ELF_MAX_SEGMENTS)
		return reject(out, "too many PT_LOAD segments");
	if (ph->p_memsz == 0)
		return reject(out, "empty PT_LOAD segment");
	if (ph->p_filesz > ph->p_memsz)
		return reject(out, "PT_LOAD p_filesz > p_memsz");
	/* Without file bytes p_offset is meaningless (bss-only segments). */
	if (ph->p_filesz && !range_within(ph->p_offset, ph->p_filesz, len))
		return reject(out, "PT_LOAD file bytes outside the file");
	if (ph->p_vaddr < ASPACE_USER_BASE ||
	    !range_within(ph->p_vaddr, ph->p_memsz, ASPACE_USER_END))
		return reject(out, "PT_LOAD outside the user address range");
	/* The file page and the memory page must line up, as for mmap. */
	if (ph->p_filesz && (ph->p_vaddr % PAGE_SIZE) != (ph->p_offset % PAGE_SIZE))
		return reject(out, "PT_LOAD p_vaddr and p_offset differ modulo the page size");

	vend = ph->p_vaddr + ph->p_memsz;
	seg = &out->segments[out->nr_segments];
	seg->vaddr = ph->p_vaddr;
	seg->memsz = ph->p_memsz;
	/* 0 when unused, so even image + offset stays inside the image. */
	seg->offset = ph->p_filesz ? ph->p_offset : 0;
	seg->filesz = ph->p_filesz;
	seg->map_start = ALIGN_DOWN(ph->p_vaddr, PAGE_SIZE);
	/* Cannot wrap: vend <= ASPACE_USER_END, which is page aligned. */
	seg->map_end = ALIGN_UP(vend, PAGE_SIZE);
	seg->prot = prot_from_flags(ph->p_flags);

	/* Each page belongs to one segment, so each gets one protection. */
	for (i = 0; i < out->nr_segments; i++) {
		const struct elf_segment *o = &out->segments[i];

		if (seg->map_start < o->map_end && o->map_start < seg->map_end)
			return reject(out, "PT_LOAD segments overlap (at page granularity)");
	}
	out->nr_segments++;
	return 0;
}

static int record_tls(const Elf64_Phdr *ph, size_t len, struct elf_image *out)
{
	uint64_t align = ph->p_align ? ph->p_align : 1;	/* 0 means unaligned in the gABI */

	if (out->has_tls)
		return reject(out, "more than one PT_TLS");
	if (ph->p_filesz > ph->p_memsz)
		return reject(out, "PT_TLS p_filesz > p_memsz");
	if (ph->p_filesz && !range_within(ph->p_offset, ph->p_filesz, len))
		return reject(out, "PT_TLS file bytes outside the file");
	if (ph->p_vaddr < ASPACE_USER_BASE ||
	    !range_within(ph->p_vaddr, ph->p_memsz, ASPACE_USER_END))
		return reject(out, "PT_TLS outside the user address range");
	if ((align & (align - 1)) != 0 || align > ELF_MAX_TLS_ALIGN)
		return reject(out, "PT_TLS alignment not a power of two up to 4096");
	out->has_tls = true;
	out->tls.vaddr = ph->p_vaddr;
	out->tls.filesz = ph->p_filesz;
	out->tls.memsz = ph->p_memsz;
	out->tls.align = align;
	return 0;
}

/* The segment whose file bytes include [offset, offset + size), or NULL. */
static const struct elf_segment *segment_holding_file(const struct elf_image *img,
						      uint64_t offset, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];

		/* s->offset + s->filesz was checked against the file length. */
		if (offset >= s->offset && range_within(offset, size, s->offset + s->filesz))
			return s;
	}
	return NULL;
}

/* The segment whose loaded file bytes include user range [va, va + size), or NULL. */
static const struct elf_segment *segment_holding_va(const struct elf_image *img,
						    uint64_t va, uint64_t size)
{
	unsigned int i;

	for (i = 0; i < img->nr_segments; i++) {
		const struct elf_segment *s = &img->segments[i];

		if (va >= s->vaddr && range_within(va, size, s->vaddr + s->filesz))
			return s;
	}
	return NULL;
}

/*
 * Checks what needs all PT_LOADs known: the entry point, the TLS template and
 * the user address of the program headers.
 */
static int check_layout(const Elf64_Ehdr *eh, const Elf64_Phdr *pt_phdr,
			struct elf_image *out)
{
	uint64_t ph_bytes = (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr);
	const struct elf_segment *s;
	unsigned int i;
	bool entry_ok = false;

	if (out->nr_segments == 0)
		return reject(out, "no PT_LOAD segment");

	for (i = 0; i < out->nr_segments; i++) {
		s = &out->segments[i];
		if ((s->prot & TERN_PROT_EXEC) && eh->e_entry >= s->vaddr &&
		    eh->e_entry - s->vaddr < s->memsz)
			entry_ok = true;
	}
	if (!entry_ok)
		return reject(out, "entry point not in an executable PT_LOAD");

	/* The C library copies the TLS image from memory, so it must be loaded there. */
	if (out->has_tls && out->tls.filesz &&
	    !segment_holding_va(out, out->tls.vaddr, out->tls.filesz))
		return reject(out, "PT_TLS image not inside a PT_LOAD's file bytes");

	/*
	 * AT_PHDR lets the C library find PT_TLS; it must point at the real
	 * program headers, so PT_PHDR has to agree with where a PT_LOAD puts
	 * e_phoff in memory.
	 */
	s = segment_holding_file(out, eh->e_phoff, ph_bytes);
	if (pt_phdr) {
		if (pt_phdr->p_offset != eh->e_phoff || pt_phdr->p_filesz < ph_bytes)
			return reject(out, "PT_PHDR does not describe the program headers");
		if (!s || pt_phdr->p_vaddr != s->vaddr + (eh->e_phoff - s->offset))
			return reject(out, "PT_PHDR not loaded by a PT_LOAD at its address");
		out->phdr_vaddr = pt_phdr->p_vaddr;
	} else if (s) {
		out->phdr_vaddr = s->vaddr + (eh->e_phoff - s->offset);
	}
	out->phnum = eh->e_phnum;
	out->entry = eh->e_entry;
	return 0;
}

int elf_parse(const void *image, size_t len, struct elf_image *out)
{
	const uint8_t *bytes = image;
	const Elf64_Phdr *pt_phdr = NULL;
	Elf64_Phdr phdr_copy, ph;
	Elf64_Ehdr eh;
	unsigned int i;
	int ret;

	memset(out, 0, sizeof(*out));
	if (!image || len < sizeof(eh))
		return reject(out, "file shorter than an ELF header");
	memcpy(&eh, bytes, sizeof(eh));
	ret = check_ehdr(&eh, len, out);
	if (ret)
		return ret;

	for (i = 0; i < eh.e_phnum; i++) {
		memcpy(&ph, bytes + eh.e_phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		switch (ph.p_type) {
		case PT_LOAD:
			ret = add_load(&ph, len, out);
			break;
		case PT_TLS:
			ret = record_tls(&ph, len, out);
			break;
		case PT_PHDR:
			if (pt_phdr)
				return reject(out, "more than one PT_PHDR");
			phdr_copy = ph;
			pt_phdr = &phdr_copy;
			break;
		case PT_INTERP:
			return reject(out, "dynamically linked (PT_INTERP)");
		case PT_DYNAMIC:
			return reject(out, "dynamically linked (PT_DYNAMIC)");
		default:
			/* PT_NOTE, PT_GNU_STACK, PT_GNU_RELRO, ...: nothing to load. */
			break;
		}
		if (ret)
			return ret;
	}
	return check_layout(&eh, pt_phdr, out);
}
