/*
 * ACPI table discovery. Firmware tables are trusted only as far as they are
 * checked: every table's address, length and checksum are validated before
 * any of its fields is used, and only the low 4 GiB (always in the direct
 * map) are read.
 */
#include "arch/x86/acpi.h"
#include "arch/x86/madt.h"
#include "hv/boot_info.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/string.h"

#define ACPI_PHYS_LIMIT		(4ULL * GiB)
#define ACPI_MAX_TABLES		64
/* Far above any real table (DSDTs are well under 1 MiB): a length beyond it is garbage. */
#define ACPI_TABLE_MAX_LEN	(16 * MiB)

#define RSDP_V1_LEN		20
#define RSDP_V2_LEN		36
#define BDA_EBDA_SEGMENT	0x40E
#define BIOS_ROM_START		0xE0000
#define BIOS_ROM_END		0x100000

/* FADT fields (ACPI 6.x, 5.2.9): byte offsets and the length that covers them. */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1B_CNT_BLK	68
#define FADT_FLAGS		112
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM1B_CNT_BLK	184
#define FADT_HW_REDUCED_ACPI	(1u << 20)
#define GAS_SPACE_SYSTEM_IO	1

struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 0: ACPI 1.0 (RSDT only), >= 2: XSDT fields valid */
	uint32_t rsdt_addr;
	uint32_t length;		/* revision >= 2 from here on */
	uint64_t xsdt_addr;
	uint8_t ext_checksum;		/* over the whole structure */
	uint8_t reserved[3];
} __packed;
_Static_assert(sizeof(struct acpi_rsdp) == RSDP_V2_LEN, "RSDP layout");

static paddr_t tables[ACPI_MAX_TABLES];
static unsigned int nr_tables;
static const struct acpi_sdt_header *fadt;
static struct madt_info madt_info;
static bool madt_valid;
static struct acpi_sleep_info sleep_info;
static bool sleep_valid;

/* Signatures are firmware bytes: make them printable before logging. */
static const char *sig_str(const char *sig, char out[5])
{
	for (int i = 0; i < 4; i++)
		out[i] = (sig[i] >= 0x20 && sig[i] < 0x7F) ? sig[i] : '?';
	out[4] = 0;
	return out;
}

static uint32_t get32(const void *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const void *p) { uint64_t v; memcpy(&v, p, 8); return v; }

/* Returns the table at @pa if its header, length and checksum are sane. */
static const struct acpi_sdt_header *map_table(paddr_t pa, const char *what)
{
	const struct acpi_sdt_header *h;
	char s[5];
	uint32_t len;

	if (pa == 0 || pa >= ACPI_PHYS_LIMIT || ACPI_PHYS_LIMIT - pa < sizeof(*h)) {
		pr_warn("acpi: %s at %#lx is null or above 4 GiB; ignored\n", what, pa);
		return NULL;
	}
	h = phys_to_virt(pa);
	len = h->length;
	if (len < sizeof(*h) || len > ACPI_TABLE_MAX_LEN || len > ACPI_PHYS_LIMIT - pa) {
		pr_warn("acpi: %s '%s' at %#lx has bad length %u; ignored\n", what,
			sig_str(h->signature, s), pa, len);
		return NULL;
	}
	if (!acpi_checksum_ok(h, len)) {
		pr_warn("acpi: %s '%s' at %#lx has a bad checksum; ignored\n", what,
			sig_str(h->signature, s), pa);
		return NULL;
	}
	return h;
}

/* Checks an RSDP in @avail bytes at @p; *use_xsdt tells which root table to use. */
static bool rsdp_valid(const struct acpi_rsdp *r, size_t avail, bool *use_xsdt)
{
	*use_xsdt = false;
	if (avail < RSDP_V1_LEN || memcmp(r->signature, "RSD PTR ", 8) != 0 ||
	    !acpi_checksum_ok(r, RSDP_V1_LEN))
		return false;
	if (r->revision < 2)
		return true;
	/* An ACPI 2+ RSDP whose extension is broken still has a usable RSDT. */
	if (avail >= RSDP_V2_LEN && r->length >= RSDP_V2_LEN &&
	    acpi_checksum_ok(r, RSDP_V2_LEN) && r->xsdt_addr)
		*use_xsdt = true;
	else
		pr_warn("acpi: RSDP revision %u without a valid XSDT pointer; using the RSDT\n",
			r->revision);
	return true;
}

/* Scans [@start, @end) on 16-byte boundaries for a valid RSDP. */
static const struct acpi_rsdp *scan_rsdp(paddr_t start, paddr_t end, bool *use_xsdt)
{
	for (paddr_t pa = ALIGN_UP(start, 16); pa + RSDP_V1_LEN <= end; pa += 16) {
		const struct acpi_rsdp *r = phys_to_virt(pa);

		if (rsdp_valid(r, end - pa, use_xsdt)) {
			pr_debug("acpi: RSDP found at %#lx\n", pa);
			return r;
		}
	}
	return NULL;
}

/* Legacy BIOS locations (ACPI 5.2.5.1): first KiB of the EBDA, then the BIOS ROM. */
static const struct acpi_rsdp *search_rsdp(bool *use_xsdt)
{
	const struct acpi_rsdp *r = NULL;
	paddr_t ebda = (paddr_t)*(const volatile uint16_t *)phys_to_virt(BDA_EBDA_SEGMENT) << 4;

	/* The EBDA lives just below 640 KiB; anything else is not an EBDA pointer. */
	if (ebda >= 0x80000 && ebda < 0xA0000)
		r = scan_rsdp(ebda, ebda + 1024, use_xsdt);
	if (!r)
		r = scan_rsdp(BIOS_ROM_START, BIOS_ROM_END, use_xsdt);
	return r;
}

static void add_table(paddr_t pa, const char *what)
{
	const struct acpi_sdt_header *h = map_table(pa, what);
	char s[5];

	if (!h)
		return;
	if (nr_tables == ACPI_MAX_TABLES) {
		pr_warn("acpi: more than %d tables; '%s' ignored\n", ACPI_MAX_TABLES,
			sig_str(h->signature, s));
		return;
	}
	tables[nr_tables++] = pa;
	pr_debug("acpi: %s at %#lx, %u bytes, OEM '%.6s'\n", sig_str(h->signature, s), pa,
		 h->length, h->oem_id);
}

static bool walk_root(paddr_t root_pa, bool xsdt)
{
	const char *name = xsdt ? "XSDT" : "RSDT";
	const struct acpi_sdt_header *root = map_table(root_pa, name);
	size_t esize = xsdt ? 8 : 4;
	const uint8_t *entries;
	size_t n;

	if (!root)
		return false;
	if (memcmp(root->signature, name, 4) != 0) {
		pr_warn("acpi: root table at %#lx is not an %s\n", root_pa, name);
		return false;
	}
	entries = (const uint8_t *)root + sizeof(*root);
	n = (root->length - sizeof(*root)) / esize;
	for (size_t i = 0; i < n; i++) {
		paddr_t pa = xsdt ? get64(entries + i * 8) : get32(entries + i * 4);

		add_table(pa, "table");
	}
	return true;
}

const struct acpi_sdt_header *acpi_find_table(const char sig[4], unsigned int instance)
{
	for (unsigned int i = 0; i < nr_tables; i++) {
		const struct acpi_sdt_header *h = phys_to_virt(tables[i]);

		if (memcmp(h->signature, sig, 4) == 0 && instance-- == 0)
			return h;
	}
	return NULL;
}

/* The FADT points at the DSDT, which is not listed in the root table. */
static void add_dsdt(void)
{
	paddr_t pa = 0;

	if (fadt->length >= FADT_X_DSDT + 8)
		pa = get64((const uint8_t *)fadt + FADT_X_DSDT);
	if (!pa)
		pa = get32((const uint8_t *)fadt + FADT_DSDT);
	if (!pa) {
		pr_warn("acpi: FADT has no DSDT\n");
		return;
	}
	add_table(pa, "DSDT");
	if (!acpi_find_table("DSDT", 0))
		pr_warn("acpi: no valid DSDT; ACPI power-off unavailable\n");
}

/* A PM1 control block: the 32-bit port field, else an I/O-space X_ GAS. */
static uint16_t fadt_pm1_port(const uint8_t *f, unsigned int off, unsigned int xoff)
{
	uint32_t port = get32(f + off);

	if (!port && fadt->length >= xoff + 12 && f[xoff] == GAS_SPACE_SYSTEM_IO)
		port = get64(f + xoff + 4);
	return port <= 0xFFFF ? port : 0;
}

static void find_sleep_info(void)
{
	const uint8_t *f = (const uint8_t *)fadt;
	const struct acpi_sdt_header *aml;
	struct acpi_sleep_info si = { 0 };
	bool found = false;

	if (fadt->length < FADT_FLAGS + 4) {
		pr_warn("acpi: FADT too short (%u bytes) for power management\n", fadt->length);
		return;
	}
	if (get32(f + FADT_FLAGS) & FADT_HW_REDUCED_ACPI) {
		pr_info("acpi: hardware-reduced ACPI: S5 through PM1 is not available\n");
		return;
	}
	si.pm1a_cnt = fadt_pm1_port(f, FADT_PM1A_CNT_BLK, FADT_X_PM1A_CNT_BLK);
	si.pm1b_cnt = fadt_pm1_port(f, FADT_PM1B_CNT_BLK, FADT_X_PM1B_CNT_BLK);
	if (!si.pm1a_cnt) {
		pr_warn("acpi: FADT has no usable PM1a control port\n");
		return;
	}
	/* Ports are 16 bits; a larger SMI_CMD is as good as none. */
	if (get32(f + FADT_SMI_CMD) <= 0xFFFF)
		si.smi_cmd = get32(f + FADT_SMI_CMD);
	si.acpi_enable = f[FADT_ACPI_ENABLE];

	/* \_S5 is normally in the DSDT, sometimes in an SSDT. */
	aml = acpi_find_table("DSDT", 0);
	for (unsigned int i = 0; !found; i++) {
		if (i > 0)
			aml = acpi_find_table("SSDT", i - 1);
		if (!aml)
			break;
		found = acpi_decode_s5((const uint8_t *)aml + sizeof(*aml),
				       aml->length - sizeof(*aml), &si.slp_typa, &si.slp_typb);
	}
	if (!found) {
		pr_warn("acpi: no decodable \\_S5 package; ACPI power-off unavailable\n");
		return;
	}
	sleep_info = si;
	sleep_valid = true;
	pr_debug("acpi: S5 SLP_TYP a=%u b=%u, PM1a_CNT %#x PM1b_CNT %#x SMI_CMD %#x\n",
		 si.slp_typa, si.slp_typb, si.pm1a_cnt, si.pm1b_cnt, si.smi_cmd);
}

bool acpi_init(const struct boot_info *bi)
{
	const struct acpi_rsdp *rsdp = NULL;
	const struct acpi_sdt_header *madt;
	bool use_xsdt = false;
	bool ok;

	if (bi->rsdp_len) {
		rsdp = (const struct acpi_rsdp *)bi->rsdp;
		if (!rsdp_valid(rsdp, MIN(bi->rsdp_len, sizeof(bi->rsdp)), &use_xsdt)) {
			pr_warn("acpi: RSDP from the boot loader is invalid; searching the BIOS areas\n");
			rsdp = NULL;
		}
	}
	if (!rsdp)
		rsdp = search_rsdp(&use_xsdt);
	if (!rsdp) {
		pr_warn("acpi: no RSDP found; running without ACPI (one CPU, no ACPI power-off)\n");
		return false;
	}

	ok = use_xsdt && walk_root(rsdp->xsdt_addr, true);
	if (!ok) {
		if (use_xsdt)
			pr_warn("acpi: XSDT unusable; trying the RSDT\n");
		ok = walk_root(rsdp->rsdt_addr, false);
	}
	if (!ok) {
		pr_warn("acpi: no usable root table; running without ACPI\n");
		return false;
	}

	fadt = acpi_find_table("FACP", 0);
	if (fadt) {
		add_dsdt();
		find_sleep_info();
	} else {
		pr_warn("acpi: no FADT; ACPI power-off unavailable\n");
	}

	madt = acpi_find_table("APIC", 0);
	if (madt)
		madt_valid = madt_parse(madt, madt->length, &madt_info);
	if (!madt_valid)
		pr_warn("acpi: no usable MADT; only the boot CPU will run\n");

	pr_info("acpi: revision %u (%s), %u tables, OEM '%.6s'%s\n", rsdp->revision,
		use_xsdt ? "XSDT" : "RSDT", nr_tables, rsdp->oem_id,
		sleep_valid ? ", S5" : "");
	return true;
}

const struct madt_info *acpi_madt(void)
{
	return madt_valid ? &madt_info : NULL;
}

const struct acpi_sdt_header *acpi_fadt(void)
{
	return fadt;
}

const struct acpi_sleep_info *acpi_sleep_info(void)
{
	return sleep_valid ? &sleep_info : NULL;
}
