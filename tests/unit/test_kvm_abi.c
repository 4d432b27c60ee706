/* unit-sources: tests/unit/kvm_abi_project.c tests/unit/kvm_abi_system.c hv/format.c */
/*
 * tern's KVM UAPI header (abi/include/linux/kvm.h and friends) against the
 * host's <linux/kvm.h> from Debian's linux-libc-dev.
 *
 * The two headers declare the same names, so they cannot meet in one
 * translation unit. kvm_abi_project.c and kvm_abi_system.c each expand the
 * name list kvm_abi_list.def against one of them into a table of sizes,
 * alignments, offsets, bit-field masks, constant values and constant types;
 * this file compares the tables. A name the host header lacks makes
 * kvm_abi_system.c fail to compile.
 *
 * Completeness, both ways:
 *  - every macro and struct tag in the project headers must be in the list,
 *    and the listed members of every struct must account for all its bytes
 *    (so a member added to the header but not to the list is caught);
 *  - every macro and struct tag of the host's linux/kvm.h and asm/kvm.h must
 *    be in the list or in kvm_abi_left_out below, which says why each is
 *    absent from tern's header.
 *
 * Run from the repository root (tests/run.sh does), which is where the
 * project headers are looked for. hv/format.c is linked for host_support.c.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "kvm_abi_table.h"

static const char *const project_headers[] = {
	"abi/include/linux/kvm.h",
	"abi/include/linux/types.h",
	"abi/include/linux/ioctl.h",
	"abi/include/asm/kvm.h",
	"abi/include/asm/ioctl.h",
};

/* Where Debian's linux-libc-dev puts the x86-64 headers. */
static const char *const system_kvm_h = "/usr/include/linux/kvm.h";
static const char *const system_asm_kvm_h[] = {
	"/usr/include/x86_64-linux-gnu/asm/kvm.h",
	"/usr/include/asm/kvm.h",
};

/*
 * Names of the host header that tern's header leaves out on purpose. An
 * entry ending in '*' is a prefix. Everything here concerns other
 * architectures, hypervisor emulations tern does not offer, features tern
 * does not implement, or ioctls Linux itself has retired; a VMM that needs
 * one of them will not compile against the SDK, which is better than
 * compiling and getting ENOTTY at run time.
 */
static const char *const kvm_abi_left_out[] = {
	/* Linux's include guards */
	"__LINUX_KVM_H", "_ASM_X86_KVM_H",

	/* other architectures: s390, PowerPC, ARM */
	"KVM_S390_*", "kvm_s390_*", "kvm_pv_cmd", "KVM_PPC_*", "kvm_ppc_*",
	"KVM_CREATE_SPAPR_TCE", "KVM_CREATE_SPAPR_TCE_64", "KVM_ALLOCATE_RMA",
	"kvm_vfio_spapr_tce", "KVM_DIRTY_TLB", "kvm_dirty_tlb", "kvm_config_tlb",
	"KVM_ARM_*", "kvm_arm_*", "kvm_irq_routing_s390_adapter", "KVM_VM_S390_*",
	"KVM_VM_PPC_*", "KVM_VM_MIPS_*", "KVM_VM_TYPE_ARM_*", "KVM_MMU_FSL_BOOKE_*",

	/* in-kernel device types (KVM_CREATE_DEVICE): the interrupt controllers
	 * of other architectures and VFIO, none of which tern provides */
	"KVM_DEV_TYPE_*", "KVM_DEV_VFIO_*",

	/* retired by Linux itself: old memory, debug and trace interfaces, and
	 * PCI device assignment (replaced by VFIO) */
	"KVM_SET_MEMORY_REGION", "kvm_memory_region", "KVM_SET_MEMORY_ALIAS",
	"kvm_memory_alias", "KVM_DEBUG_GUEST", "kvm_debug_guest", "kvm_breakpoint",
	"kvm_user_trace_setup", "KVM_ASSIGN_*", "KVM_DEASSIGN_*", "kvm_assigned_*",
	"KVM_DEV_ASSIGN_*", "KVM_DEV_IRQ_*", "KVM_MAX_MSIX_PER_DEV", "KVM_TRC_*",
	"KVM_TRACE_*", "__KVM_DEPRECATED_*",

	/* Xen and Hyper-V emulation: tern offers neither (CHECK_EXTENSION says 0) */
	"KVM_XEN_*", "kvm_xen_*", "kvm_irq_routing_xen_evtchn", "KVM_EXIT_XEN_HCALL",
	"KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL",
	"KVM_HYPERV_*", "kvm_hyperv_*", "KVM_GET_SUPPORTED_HV_CPUID", "kvm_irq_routing_hv_sint",
	"KVM_EXIT_HYPERV_*",

	/* confidential guests (SEV) */
	"KVM_MEMORY_ENCRYPT_*", "kvm_enc_region", "kvm_sev_*",

	/* x86 features tern does not implement: nested virtualization state,
	 * the dirty ring (tern has the dirty bitmap), binary statistics, MSR and
	 * PMU event filters, the x2APIC API switches, bus-lock and notify-exit
	 * controls, guest-supported XSAVE components (AMX) */
	"KVM_GET_NESTED_STATE", "KVM_SET_NESTED_STATE", "KVM_STATE_*", "kvm_nested_state",
	"kvm_vmx_nested_state_*", "kvm_svm_nested_state_*",
	"KVM_RESET_DIRTY_RINGS", "KVM_DIRTY_GFN_*", "kvm_dirty_gfn",
	"KVM_GET_STATS_FD", "KVM_STATS_*", "kvm_stats_*",
	"KVM_X86_SET_MSR_FILTER", "KVM_MSR_FILTER_*", "kvm_msr_filter", "kvm_msr_filter_range",
	"KVM_SET_PMU_EVENT_FILTER", "KVM_PMU_EVENT_*", "kvm_pmu_event_filter", "KVM_PMU_CAP_DISABLE",
	"KVM_X2APIC_API_*", "KVM_BUS_LOCK_DETECTION_*", "KVM_X86_NOTIFY_VMEXIT_*",
	"KVM_X86_XCOMP_GUEST_SUPP",
};

/* ---- Helpers ------------------------------------------------------------ */

static const struct kvm_abi_entry *project, *host;
static unsigned int n_project, n_host;

static int setup(void **state)
{
	(void)state;
	project = kvm_abi_project_table(&n_project);
	host = kvm_abi_system_table(&n_host);
	return 0;
}

static const char *kind_name(enum kvm_abi_kind k)
{
	static const char *const names[] = {
		[KVM_ABI_TYPE] = "type", [KVM_ABI_STRUCT] = "struct",
		[KVM_ABI_FIELD] = "member", [KVM_ABI_FLEX] = "flexible array",
		[KVM_ABI_BITS] = "bit-field", [KVM_ABI_CONST] = "constant",
		[KVM_ABI_FUNC] = "macro", [KVM_ABI_DEFINED] = "feature macro",
	};
	return names[k];
}

static const char *label(const struct kvm_abi_entry *e, char *buf, size_t len)
{
	if (e->tag && e->kind != KVM_ABI_STRUCT)
		snprintf(buf, len, "%s struct %s.%s", kind_name(e->kind), e->tag, e->name);
	else
		snprintf(buf, len, "%s %s", kind_name(e->kind), e->name);
	return buf;
}

/* Compare one entry of each table; print every difference. */
static int entries_differ(const struct kvm_abi_entry *p, const struct kvm_abi_entry *h)
{
	char buf[256];
	int bad = 0;

#define CMP(field)								\
	do {									\
		if (p->field != h->field) {					\
			printf("MISMATCH %s: " #field " tern %llu, Linux %llu\n",	\
			       label(p, buf, sizeof(buf)),			\
			       (unsigned long long)p->field,			\
			       (unsigned long long)h->field);			\
			bad = 1;						\
		}								\
	} while (0)

	CMP(offset);
	CMP(size);
	CMP(align);
	if (p->value != h->value) {
		printf("MISMATCH %s: value tern %#llx, Linux %#llx\n",
		       label(p, buf, sizeof(buf)), p->value, h->value);
		bad = 1;
	}
	CMP(int_kind);
#undef CMP
	if (p->kind == KVM_ABI_DEFINED && strcmp(p->text, h->text) != 0) {
		/* An undefined macro stringifies to its own name. */
		printf("MISMATCH %s: expands to \"%s\" in tern, \"%s\" in Linux%s\n",
		       label(p, buf, sizeof(buf)), p->text, h->text,
		       strcmp(h->text, h->name) == 0 ? " (not defined there)" : "");
		bad = 1;
	}
	return bad;
}

static int compare_kinds(unsigned int mask)
{
	unsigned int i, checked = 0, bad = 0;

	assert_int_equal(n_project, n_host);
	for (i = 0; i < n_project; i++) {
		if (!(mask & (1u << project[i].kind)))
			continue;
		/* Both tables come from the same list, in the same order. */
		assert_int_equal(project[i].kind, host[i].kind);
		assert_string_equal(project[i].name, host[i].name);
		bad += entries_differ(&project[i], &host[i]);
		checked++;
	}
	printf("compared %u entries, %u differ\n", checked, bad);
	assert_true(checked > 0);
	return bad;
}

/* ---- Layout and values -------------------------------------------------- */

static void test_types_match(void **state)
{
	(void)state;
	assert_int_equal(compare_kinds(1u << KVM_ABI_TYPE), 0);
}

static void test_structs_match(void **state)
{
	(void)state;
	assert_int_equal(compare_kinds(1u << KVM_ABI_STRUCT | 1u << KVM_ABI_FIELD |
				       1u << KVM_ABI_FLEX | 1u << KVM_ABI_BITS), 0);
}

static void test_constants_match(void **state)
{
	(void)state;
	assert_int_equal(compare_kinds(1u << KVM_ABI_CONST | 1u << KVM_ABI_FUNC |
				       1u << KVM_ABI_DEFINED), 0);
}

/* The numbers everything else rests on, spelled out independently. */
static void test_key_numbers(void **state)
{
	static const struct {
		const char *name;
		unsigned long long value;
	} want[] = {
		{ "KVM_API_VERSION", 12 },
		{ "KVMIO", 0xae },
		{ "KVM_GET_API_VERSION", 0xae00 },
		{ "KVM_RUN", 0xae80 },
		{ "KVM_GET_REGS", 0x8090ae81 },		/* read, 144 bytes */
		{ "KVM_SET_USER_MEMORY_REGION", 0x4020ae46 },	/* write, 32 bytes */
		{ "KVM_EXIT_IO", 2 },
		{ "KVM_EXIT_INTERNAL_ERROR", 17 },
	};
	unsigned int i, j;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		for (j = 0; j < n_project; j++)
			if (project[j].kind == KVM_ABI_CONST &&
			    strcmp(project[j].name, want[i].name) == 0)
				break;
		assert_true(j < n_project);
		if (project[j].value != want[i].value)
			printf("%s is %#llx, want %#llx\n", want[i].name, project[j].value,
			       want[i].value);
		assert_true(project[j].value == want[i].value);
	}
}

/* ---- The list covers every byte of every project struct ----------------- */

/* Byte range a bit-field occupies inside its word. */
static void bits_range(const struct kvm_abi_entry *e, unsigned long long *off,
		       unsigned long long *size)
{
	int lo, hi;

	/* A bit-field of width 0 or one that did not change its word. */
	assert_true(e->value != 0);
	lo = __builtin_ctzll(e->value);
	hi = 63 - __builtin_clzll(e->value);
	*off = e->offset + lo / 8;
	*size = hi / 8 - lo / 8 + 1;
}

/*
 * Is `name` a direct member of `parent` ("" for the struct itself)? "a.b" is
 * a child of "a"; "a[0].b" a child of "a[0]".
 */
static int is_child(const char *parent, const char *name)
{
	size_t n = strlen(parent);

	if (n == 0)
		return strchr(name, '.') == NULL;
	return strncmp(name, parent, n) == 0 && name[n] == '.' && !strchr(name + n + 1, '.');
}

struct span {
	unsigned long long off, size;
	const char *name;
};

static int span_cmp(const void *a, const void *b)
{
	const struct span *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return 0;
}

/*
 * Linux's KVM structures spell out their padding as named members, so a
 * byte no listed member covers means a member is missing from the list.
 * These are the only places the compiler pads on its own (tail padding of
 * exit records in kvm_run's union).
 */
static const struct {
	const char *tag, *parent;
	unsigned long long bytes;
} implicit_tail_padding[] = {
	{ "kvm_run", "fail_entry", 4 },	/* __u64, __u32 */
	{ "kvm_run", "mmio", 3 },	/* __u64, __u8[8], __u32, __u8 */
};

static unsigned long long tail_padding(const char *tag, const char *parent)
{
	unsigned int i;

	for (i = 0; i < sizeof(implicit_tail_padding) / sizeof(implicit_tail_padding[0]); i++)
		if (strcmp(implicit_tail_padding[i].tag, tag) == 0 &&
		    strcmp(implicit_tail_padding[i].parent, parent) == 0)
			return implicit_tail_padding[i].bytes;
	return 0;
}

/*
 * The listed children of one parent (a struct, or a member that has listed
 * members of its own) must tile it without gaps, up to the known tail
 * padding. Overlaps are fine: they are union members.
 */
static int check_cover(const char *tag, const char *parent, unsigned long long p_off,
		       unsigned long long p_size, const struct kvm_abi_entry *t, unsigned int n)
{
	struct span spans[512];
	unsigned int i, k = 0;
	unsigned long long cur = p_off;
	int bad = 0;

	for (i = 0; i < n; i++) {
		const struct kvm_abi_entry *e = &t[i];
		const char *name = e->name;

		if (!e->tag || strcmp(e->tag, tag) != 0 || e->kind == KVM_ABI_STRUCT)
			continue;
		if (!is_child(parent, name))
			continue;
		if (e->kind == KVM_ABI_BITS) {
			/* "path.bf" is a child of "path" like any member. */
			bits_range(e, &spans[k].off, &spans[k].size);
		} else {
			spans[k].off = e->offset;
			spans[k].size = e->kind == KVM_ABI_FLEX ? 0 : e->size;
		}
		spans[k].name = name;
		assert_true(++k < sizeof(spans) / sizeof(spans[0]));
	}
	if (k == 0)
		return 0;	/* a leaf, or a struct-typed member checked on its own */
	qsort(spans, k, sizeof(spans[0]), span_cmp);
	for (i = 0; i < k; i++) {
		if (spans[i].off > cur) {
			printf("UNLISTED struct %s%s%s: bytes %llu..%llu before %s are not"
			       " covered by any listed member\n", tag, *parent ? "." : "", parent,
			       cur, spans[i].off - 1, spans[i].name);
			bad = 1;
		}
		if (spans[i].off + spans[i].size > cur)
			cur = spans[i].off + spans[i].size;
	}
	if (cur + tail_padding(tag, parent) != p_off + p_size) {
		printf("UNLISTED struct %s%s%s: bytes %llu..%llu are not covered by any"
		       " listed member\n", tag, *parent ? "." : "", parent, cur,
		       p_off + p_size - 1);
		bad = 1;
	}
	return bad;
}

static void test_list_covers_every_member(void **state)
{
	unsigned int i, structs = 0, bad = 0;

	(void)state;
	for (i = 0; i < n_project; i++) {
		const struct kvm_abi_entry *e = &project[i];

		if (e->kind == KVM_ABI_STRUCT) {
			bad += check_cover(e->tag, "", 0, e->size, project, n_project);
			structs++;
		} else if (e->kind == KVM_ABI_FIELD) {
			bad += check_cover(e->tag, e->name, e->offset, e->size, project,
					   n_project);
		}
	}
	printf("%u structs checked\n", structs);
	assert_int_equal(bad, 0);
}

/* ---- Names in the header files ------------------------------------------ */

struct names {
	char (*v)[64];
	unsigned int n, cap;
};

static void names_add(struct names *s, const char *p, size_t len)
{
	if (len >= sizeof(s->v[0]))
		len = sizeof(s->v[0]) - 1;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->v = realloc(s->v, s->cap * sizeof(s->v[0]));
		assert_non_null(s->v);
	}
	memcpy(s->v[s->n], p, len);
	s->v[s->n][len] = '\0';
	s->n++;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long len;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/* Collect `#define NAME` and `struct NAME {` from a header file. */
static void scan_header(const char *path, struct names *macros, struct names *tags)
{
	char *text = slurp(path), *p, *line;

	if (!text)
		printf("cannot read %s (run from the repository root; is linux-libc-dev"
		       " installed?)\n", path);
	assert_non_null(text);
	for (line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p != '#')
			continue;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "define", 6) != 0 || (p[6] != ' ' && p[6] != '\t'))
			continue;
		p += 6;
		while (*p == ' ' || *p == '\t')
			p++;
		line = p;
		while (is_ident(*p))
			p++;
		names_add(macros, line, p - line);
	}
	for (p = text; (p = strstr(p, "struct ")) != NULL; ) {
		char *id = p += 7, *q;

		if (id > text + 7 && is_ident(id[-8]))
			continue;	/* "xstruct " */
		while (is_ident(*p))
			p++;
		q = p;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		if (*q == '{' && p > id)
			names_add(tags, id, p - id);
	}
	free(text);
}

/* Is this macro or struct tag name in the table? */
static int listed(const char *name, int want_struct)
{
	unsigned int i;

	for (i = 0; i < n_project; i++) {
		const struct kvm_abi_entry *e = &project[i];

		if (want_struct ? e->kind == KVM_ABI_STRUCT && strcmp(e->tag, name) == 0 :
		    (e->kind == KVM_ABI_CONST || e->kind == KVM_ABI_FUNC ||
		     e->kind == KVM_ABI_DEFINED || e->kind == KVM_ABI_TYPE) &&
		    strcmp(e->name, name) == 0)
			return 1;
	}
	return 0;
}

static int left_out(const char *name)
{
	unsigned int i;

	for (i = 0; i < sizeof(kvm_abi_left_out) / sizeof(kvm_abi_left_out[0]); i++) {
		const char *x = kvm_abi_left_out[i];
		size_t n = strlen(x);

		if (n && x[n - 1] == '*' ? strncmp(name, x, n - 1) == 0 : strcmp(name, x) == 0)
			return 1;
	}
	return 0;
}

/* Names of the project headers that are not ABI: guards and helpers. */
static int project_internal(const char *name)
{
	return strncmp(name, "TERN_UAPI_", 10) == 0 || strncmp(name, "__TERN_KVM_", 11) == 0;
}

static void test_project_names_listed(void **state)
{
	struct names macros = { 0 }, tags = { 0 };
	unsigned int i, bad = 0;

	(void)state;
	for (i = 0; i < sizeof(project_headers) / sizeof(project_headers[0]); i++)
		scan_header(project_headers[i], &macros, &tags);
	for (i = 0; i < macros.n; i++) {
		if (!project_internal(macros.v[i]) && !listed(macros.v[i], 0)) {
			printf("UNLISTED macro %s: add it to tests/unit/kvm_abi_list.def\n",
			       macros.v[i]);
			bad++;
		}
	}
	for (i = 0; i < tags.n; i++) {
		if (!listed(tags.v[i], 1)) {
			printf("UNLISTED struct %s: add it to tests/unit/kvm_abi_list.def\n",
			       tags.v[i]);
			bad++;
		}
	}
	printf("%u macros, %u structs in the project headers\n", macros.n, tags.n);
	free(macros.v);
	free(tags.v);
	assert_true(macros.n > 400 && tags.n > 50);
	assert_int_equal(bad, 0);
}

static void test_host_names_accounted_for(void **state)
{
	struct names macros = { 0 }, tags = { 0 };
	unsigned int i, bad = 0, omitted = 0;
	const char *asm_path = NULL;

	(void)state;
	for (i = 0; i < sizeof(system_asm_kvm_h) / sizeof(system_asm_kvm_h[0]); i++) {
		FILE *f = fopen(system_asm_kvm_h[i], "r");

		if (f) {
			fclose(f);
			asm_path = system_asm_kvm_h[i];
			break;
		}
	}
	assert_non_null(asm_path);
	scan_header(system_kvm_h, &macros, &tags);
	scan_header(asm_path, &macros, &tags);
	for (i = 0; i < macros.n; i++) {
		if (listed(macros.v[i], 0))
			continue;
		if (left_out(macros.v[i])) {
			omitted++;
			continue;
		}
		printf("MISSING macro %s: in Linux's header, neither in tern's nor in"
		       " kvm_abi_left_out\n", macros.v[i]);
		bad++;
	}
	for (i = 0; i < tags.n; i++) {
		if (listed(tags.v[i], 1))
			continue;
		if (left_out(tags.v[i])) {
			omitted++;
			continue;
		}
		printf("MISSING struct %s: in Linux's header, neither in tern's nor in"
		       " kvm_abi_left_out\n", tags.v[i]);
		bad++;
	}
	printf("host: %u macros, %u structs; %u deliberately left out\n", macros.n, tags.n,
	       omitted);
	free(macros.v);
	free(tags.v);
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types_match),
		cmocka_unit_test(test_structs_match),
		cmocka_unit_test(test_constants_match),
		cmocka_unit_test(test_key_numbers),
		cmocka_unit_test(test_list_covers_every_member),
		cmocka_unit_test(test_project_names_listed),
		cmocka_unit_test(test_host_names_accounted_for),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
