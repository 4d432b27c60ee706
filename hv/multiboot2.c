/*
 * Multiboot2 information → struct boot_info. The block comes from the boot
 * loader and is treated as untrusted input: every offset is checked against
 * the block's size before it is read, and the parser has host unit tests
 * (tests/unit/test_multiboot2.c).
 *
 * Parsing runs in two passes: the first checks the tag structure and rejects a
 * broken block before anything is taken from it (so no half-filled boot_info and
 * no warnings about a block that is thrown away); the second extracts.
 */
#include "hv/multiboot2.h"
#include "hv/region.h"
#include "hv/string.h"
#include "hv/format.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/mm.h"

#define TAG_HDR		8	/* u32 type, u32 size */
#define MODULE_FIXED	8	/* u32 mod_start, u32 mod_end before the string */
#define MMAP_FIXED	8	/* u32 entry_size, u32 entry_version before the entries */

/* Callers have checked that [p, p + 4/8) lies inside the block; the bytes need
 * not be aligned (the tests place blocks anywhere). */
static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	__builtin_memcpy(&v, p, sizeof(v));
	return v;
}

struct mb2_tag {
	uint32_t type;
	uint32_t size;			/* including the 8-byte tag header */
	const uint8_t *payload;		/* size - 8 bytes, all inside the block */
};

/* Steps through the tags of a block whose structure mb2_check accepted. */
static bool next_tag(const uint8_t *info, size_t total, size_t *off, struct mb2_tag *t)
{
	if (*off > total || total - *off < TAG_HDR)
		return false;
	t->type = rd32(info + *off);
	t->size = rd32(info + *off + 4);
	t->payload = info + *off + TAG_HDR;
	if (t->type == MB2_TAG_END)
		return false;
	*off += ALIGN_UP((size_t)t->size, 8);
	return true;
}

static bool check_mmap_tag(size_t off, uint32_t size, const uint8_t *payload, char *err,
			   size_t errlen)
{
	uint32_t entry_size, bytes;

	if (size < TAG_HDR + MMAP_FIXED) {
		fmt_snprintf(err, errlen, "memory map tag at offset %zu: size %u is too small", off,
			     size);
		return false;
	}
	entry_size = rd32(payload);
	if (entry_size < MB2_MMAP_ENTRY_MIN) {
		fmt_snprintf(err, errlen, "memory map tag at offset %zu: entry_size %u < %u", off,
			     entry_size, MB2_MMAP_ENTRY_MIN);
		return false;
	}
	bytes = size - TAG_HDR - MMAP_FIXED;
	if (bytes % entry_size) {
		fmt_snprintf(err, errlen,
			     "memory map tag at offset %zu: %u bytes of entries are not a multiple of entry_size %u",
			     off, bytes, entry_size);
		return false;
	}
	return true;
}

/* Pass one: total_size, every tag's size, the end tag, the memory map layout. */
static bool mb2_check(const uint8_t *info, size_t avail, size_t *total_out, char *err,
		      size_t errlen)
{
	size_t total, off = TAG_HDR;

	if (avail < TAG_HDR) {
		fmt_snprintf(err, errlen, "only %zu bytes available, less than the 8-byte header",
			     avail);
		return false;
	}
	total = rd32(info);
	if (total < 16) {
		fmt_snprintf(err, errlen, "total_size %zu is less than 16", total);
		return false;
	}
	if (total > avail) {
		fmt_snprintf(err, errlen, "total_size %zu exceeds the %zu bytes available", total,
			     avail);
		return false;
	}
	while (off <= total && total - off >= TAG_HDR) {
		uint32_t type = rd32(info + off);
		uint32_t size = rd32(info + off + 4);

		if (size < TAG_HDR) {
			fmt_snprintf(err, errlen, "tag type %u at offset %zu: size %u < 8", type,
				     off, size);
			return false;
		}
		if (size > total - off) {
			fmt_snprintf(err, errlen,
				     "tag type %u at offset %zu: size %u extends past total_size %zu",
				     type, off, size, total);
			return false;
		}
		if (type == MB2_TAG_END) {
			*total_out = total;
			return true;
		}
		if (type == MB2_TAG_MMAP &&
		    !check_mmap_tag(off, size, info + off + TAG_HDR, err, errlen))
			return false;
		off += ALIGN_UP((size_t)size, 8);
	}
	fmt_snprintf(err, errlen, "no end tag within total_size %zu", total);
	return false;
}

/* Copies a string of at most @srclen bytes; @dst always ends up terminated. */
static void copy_string(char *dst, size_t dstlen, const uint8_t *src, size_t srclen,
			const char *what)
{
	size_t n = strnlen((const char *)src, srclen);

	if (n == srclen)
		pr_warn("multiboot2: %s is not NUL-terminated inside its tag\n", what);
	if (n >= dstlen) {
		pr_warn("multiboot2: %s is %zu bytes long, keeping the first %zu\n", what, n,
			dstlen - 1);
		n = dstlen - 1;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static void take_module(struct boot_info *bi, const struct mb2_tag *t, unsigned int *dropped)
{
	struct boot_module *m;
	uint32_t start, end;

	if (t->size < TAG_HDR + MODULE_FIXED) {
		pr_warn("multiboot2: module tag of %u bytes is too small, ignored\n", t->size);
		return;
	}
	start = rd32(t->payload);
	end = rd32(t->payload + 4);
	if (end <= start) {
		pr_warn("multiboot2: module [%#x, %#x) is empty or inverted, ignored\n", start, end);
		return;
	}
	if (bi->nr_modules >= BOOT_MAX_MODULES) {
		(*dropped)++;
		return;
	}
	m = &bi->modules[bi->nr_modules++];
	m->start = start;
	m->end = end;
	copy_string(m->string, sizeof(m->string), t->payload + MODULE_FIXED,
		    t->size - TAG_HDR - MODULE_FIXED, "module string");
}

/* What the memory map entries looked like, for the warnings. */
struct mmap_stats {
	unsigned int zero_length;
	unsigned int clamped;
	unsigned int dropped;		/* usable ranges that did not fit into boot_info.ram */
	bool unsorted;
	uint64_t usable_sum;		/* sum of usable lengths, to detect overlap */
};

/*
 * Visits every entry of one memory map tag. usable == true: add the usable
 * ranges; usable == false: cut every other range out of what was added.
 */
static void walk_mmap(struct boot_info *bi, const struct mb2_tag *t, bool usable,
		      struct mmap_stats *st)
{
	uint32_t entry_size = rd32(t->payload);
	uint32_t bytes = t->size - TAG_HDR - MMAP_FIXED;
	const uint8_t *e = t->payload + MMAP_FIXED;
	paddr_t prev_base = 0;
	uint32_t i;

	for (i = 0; i < bytes / entry_size; i++, e += entry_size) {
		paddr_t base = rd64(e);
		uint64_t len = rd64(e + 8);
		uint32_t type = rd32(e + 16);
		paddr_t end = base + len;

		if (usable) {
			/* Statistics over all entries, gathered once (in the first pass). */
			if (base < prev_base)
				st->unsorted = true;
			prev_base = base;
			st->zero_length += len == 0;
		}
		if ((type == MB2_MMAP_AVAILABLE) != usable || len == 0)
			continue;
		if (end < base) {
			/* Wraps past 2^64: keep what is addressable. The last page is
			 * dropped too, so that base + size never overflows later. */
			end = ALIGN_DOWN(UINT64_MAX, (paddr_t)PAGE_SIZE);
			st->clamped += usable;
		}
		if (usable) {
			if (region_add(bi->ram, &bi->nr_ram, BOOT_MAX_RAM_REGIONS, base, end))
				st->usable_sum += end - base;
			else
				st->dropped++;
		} else if (!region_remove(bi->ram, &bi->nr_ram, BOOT_MAX_RAM_REGIONS, base, end)) {
			st->dropped++;
		}
	}
}

static void take_mmap(struct boot_info *bi, const uint8_t *info, size_t total)
{
	struct mmap_stats st = { 0 };
	unsigned int tags = 0;
	uint64_t union_sum, final_sum;
	struct mb2_tag t;
	size_t off;

	/* Usable ranges first, then every reserved one cut out: reserved wins. */
	for (off = TAG_HDR; next_tag(info, total, &off, &t);) {
		if (t.type == MB2_TAG_MMAP) {
			walk_mmap(bi, &t, true, &st);
			tags++;
		}
	}
	union_sum = region_total(bi->ram, bi->nr_ram);
	for (off = TAG_HDR; next_tag(info, total, &off, &t);)
		if (t.type == MB2_TAG_MMAP)
			walk_mmap(bi, &t, false, &st);
	final_sum = region_total(bi->ram, bi->nr_ram);
	region_trim_to_pages(bi->ram, &bi->nr_ram);

	if (tags > 1)
		pr_warn("multiboot2: %u memory map tags, using all of them\n", tags);
	if (st.unsorted)
		pr_warn("multiboot2: memory map is not sorted by address\n");
	if (st.zero_length)
		pr_warn("multiboot2: %u zero-length memory map entries ignored\n", st.zero_length);
	if (st.clamped)
		pr_warn("multiboot2: %u usable regions wrap past 2^64, clamped\n", st.clamped);
	if (st.usable_sum > union_sum)
		pr_warn("multiboot2: usable regions overlap each other (%lu bytes counted twice)\n",
			st.usable_sum - union_sum);
	if (final_sum < union_sum)
		pr_warn("multiboot2: reserved regions overlap usable ones; %lu bytes excluded\n",
			union_sum - final_sum);
	if (st.dropped)
		pr_warn("multiboot2: memory map too fragmented, %u pieces beyond %u regions ignored\n",
			st.dropped, BOOT_MAX_RAM_REGIONS);
}

static void take_rsdp(struct boot_info *bi, const struct mb2_tag *t)
{
	unsigned int want = t->type == MB2_TAG_ACPI_NEW ? MB2_RSDP_V2_LEN : MB2_RSDP_V1_LEN;

	if (t->size - TAG_HDR < want) {
		pr_warn("multiboot2: ACPI RSDP tag %u holds %u bytes, need %u; ignored\n", t->type,
			t->size - TAG_HDR, want);
		return;
	}
	/* The ACPI 2.0 RSDP (with the XSDT address) wins whatever the tag order. */
	if (bi->rsdp_len == MB2_RSDP_V2_LEN && want == MB2_RSDP_V1_LEN)
		return;
	memcpy(bi->rsdp, t->payload, want);
	bi->rsdp_len = want;
}

bool mb2_parse(const void *info, size_t avail, struct boot_info *bi, char *err, size_t errlen)
{
	const uint8_t *p = info;
	unsigned int dropped_modules = 0, cmdlines = 0;
	struct mb2_tag t;
	size_t total, off;

	memset(bi, 0, sizeof(*bi));
	if (errlen)
		err[0] = '\0';
	if (!mb2_check(p, avail, &total, err, errlen))
		return false;

	for (off = TAG_HDR; next_tag(p, total, &off, &t);) {
		switch (t.type) {
		case MB2_TAG_CMDLINE:
			/* GRUB passes one; should there be more, the first is the boot entry's. */
			if (cmdlines++ == 0)
				copy_string(bi->cmdline, sizeof(bi->cmdline), t.payload,
					    t.size - TAG_HDR, "command line");
			break;
		case MB2_TAG_MODULE:
			take_module(bi, &t, &dropped_modules);
			break;
		case MB2_TAG_ACPI_OLD:
		case MB2_TAG_ACPI_NEW:
			take_rsdp(bi, &t);
			break;
		default:
			break;	/* the memory map is taken below; other tags are of no use */
		}
	}
	if (cmdlines > 1)
		pr_warn("multiboot2: %u command line tags, using the first\n", cmdlines);
	if (dropped_modules)
		pr_warn("multiboot2: %u modules beyond the first %u ignored\n", dropped_modules,
			BOOT_MAX_MODULES);
	take_mmap(bi, p, total);
	return true;
}

void mb2_load(paddr_t info_pa, struct boot_info *bi)
{
	const uint8_t *info;
	char err[160];
	uint32_t total;

	/* GRUB hands over a 32-bit address; only the low 4 GiB are mapped this early. */
	if (info_pa == 0 || !IS_ALIGNED(info_pa, 8) || info_pa > 4 * GiB - TAG_HDR)
		panic("multiboot2 information at bad address %#lx", info_pa);
	info = phys_to_virt(info_pa);
	total = rd32(info);
	if (total > MB2_INFO_MAX || info_pa + total > 4 * GiB)
		panic("multiboot2 information at %#lx claims an implausible size of %u bytes",
		      info_pa, total);
	if (!mb2_parse(info, total, bi, err, sizeof(err)))
		panic("multiboot2 information rejected: %s", err);
	if (bi->nr_ram == 0)
		panic("the multiboot2 memory map lists no usable RAM");
}
