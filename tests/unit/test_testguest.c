/* unit-sources: hv/testguest.c hv/format.c */
/* Test-guest header validation (untrusted images) and the port protocol. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hv/testguest.h"
#include "hv/errno.h"

static uint8_t image[0x4000];

static struct tg_header *good_header(void)
{
	struct tg_header *h = (struct tg_header *)image;

	memset(image, 0, sizeof(image));
	*h = (struct tg_header){
		.magic = TG_MAGIC, .version = TG_VERSION, .mode = TG_LONG64,
		.header_size = sizeof(*h), .image_size = 0x3000, .load_gpa = 0x8000,
		.entry = 0x8038, .cr3 = 0xa000, .ram_size = 0x100000, .stack = 0x7ff0,
	};
	return h;
}

static int parse(size_t size, char *why)
{
	struct tg_header out;

	return tg_parse_header(image, size, &out, why, 128);
}

static void accepts_good(void **state)
{
	char why[128];

	(void)state;
	good_header();
	assert_int_equal(parse(sizeof(image), why), 0);
}

#define REJECTS(field, value, words)						\
	do {									\
		char why[128] = "";						\
		good_header()->field = (value);					\
		assert_int_equal(parse(sizeof(image), why), -EINVAL);		\
		assert_non_null(strstr(why, words));				\
	} while (0)

static void rejects_bad_fields(void **state)
{
	(void)state;
	REJECTS(magic, 0x12345678, "magic");
	REJECTS(version, 2, "version");
	REJECTS(header_size, 8, "header size");
	REJECTS(image_size, 0x5000, "exceeds");
	REJECTS(mode, 5, "mode");
	REJECTS(ram_size, 0x1001, "RAM size");
	REJECTS(ram_size, 128 * MiB, "RAM size");
	REJECTS(load_gpa, 0xfffff000, "not inside RAM");
	/* load + size wraps around: must not pass the range check. */
	REJECTS(load_gpa, UINT64_MAX - 0x100, "not inside RAM");
	REJECTS(entry, 0x8000, "entry");		/* inside the header */
	REJECTS(entry, 0xb000, "entry");		/* past the image */
	REJECTS(stack, 0x200000, "stack");
	REJECTS(cr3, 0xa010, "CR3");			/* misaligned */
	REJECTS(cr3, 0x20000, "CR3");			/* outside the image */
}

static void mode_specific(void **state)
{
	struct tg_header *h;
	char why[128];

	(void)state;
	h = good_header();
	h->mode = TG_PAE;
	h->cr3 = 0xa020;				/* 32-byte aligned PDPT */
	assert_int_equal(parse(sizeof(image), why), 0);
	h->image_size = 0x2ff8;				/* the PDPT at 0xafe0 sticks out */
	h->cr3 = 0xafe0;
	assert_int_equal(parse(sizeof(image), why), -EINVAL);
	h = good_header();
	h->mode = TG_PM32;				/* no paging: CR3 must be 0 */
	assert_int_equal(parse(sizeof(image), why), -EINVAL);
	h->cr3 = 0;
	assert_int_equal(parse(sizeof(image), why), 0);
	h = good_header();
	h->mode = TG_REAL;
	h->cr3 = 0;
	h->load_gpa = 0x10000;
	h->entry = 0x10100;				/* CS = 0 cannot reach it */
	assert_int_equal(parse(sizeof(image), why), -EINVAL);
}

static void short_images(void **state)
{
	char why[128];

	(void)state;
	good_header();
	assert_int_equal(parse(0, why), -EINVAL);
	assert_int_equal(parse(40, why), -EINVAL);
	assert_non_null(strstr(why, "smaller"));
	assert_int_equal(parse(0x2fff, why), -EINVAL);	/* image_size says 0x3000 */
}

static void entry_state(void **state)
{
	struct vcpu_sregs s;
	struct vcpu_regs r;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.apic_base = 0xfee00900;
	tg_entry_state(good_header(), &s, &r);
	assert_int_equal(s.cs.l, 1);
	assert_int_equal(s.cs.db, 0);
	assert_int_equal(s.cs.selector, 0x18);
	assert_true(s.cr0 & (1u << 31));
	assert_int_equal(s.efer & 0x500, 0x500);
	assert_int_equal(s.cr3, 0xa000);
	assert_int_equal(s.apic_base, 0xfee00900);
	assert_int_equal(r.rip, 0x8038);
	assert_int_equal(r.rsp, 0x7ff0);
	assert_int_equal(r.rflags, 2);
	good_header()->mode = TG_REAL;
	tg_entry_state((struct tg_header *)image, &s, &r);
	assert_int_equal(s.cr0 & 1, 0);
	assert_int_equal(s.cs.limit, 0xffff);
	assert_int_equal(s.idt.limit, 0x3ff);
	assert_int_equal(s.efer, 0);
}

static void protocol_io(void **state)
{
	struct tg_state st;
	struct tg_event ev;
	uint8_t buf[4096];
	uint32_t h = 0;

	(void)state;
	tg_init(&st, "t");
	/* Sequence: 5000 bytes in two chunks continue where they stopped. */
	assert_true(tg_io(&st, TG_PORT_SEQ_IN, 1, true, buf, 4096, &ev));
	assert_int_equal(buf[0], 11);
	assert_int_equal(buf[1], 48);
	assert_true(tg_io(&st, TG_PORT_SEQ_IN, 1, true, buf, 904, &ev));
	assert_int_equal(buf[0], (uint8_t)(4096 * 37 + 11));
	/* Checksum and count; reset. */
	for (int i = 0; i < 100; i++) {
		buf[i] = (uint8_t)(i * 3);
		h = h * 31 + buf[i];
	}
	assert_true(tg_io(&st, TG_PORT_SUM_OUT, 1, false, buf, 100, &ev));
	assert_true(tg_io(&st, TG_PORT_SUM, 4, true, buf, 1, &ev));
	assert_int_equal(buf[0] | buf[1] << 8 | buf[2] << 16 | (uint32_t)buf[3] << 24, h);
	assert_true(tg_io(&st, TG_PORT_COUNT, 4, true, buf, 1, &ev));
	assert_int_equal(buf[0], 100);
	assert_true(tg_io(&st, TG_PORT_SUM, 1, false, buf, 1, &ev));
	assert_true(tg_io(&st, TG_PORT_SEQ_IN, 1, true, buf, 1, &ev));
	assert_int_equal(buf[0], 11);
	/* Events. */
	buf[0] = 0x40; buf[1] = TG_EVENT_EXTINT; buf[2] = buf[3] = 0;
	assert_true(tg_io(&st, TG_PORT_EVENT, 4, false, buf, 1, &ev));
	assert_int_equal(ev.type, TG_EVENT_EXTINT);
	assert_int_equal(ev.vector, 0x40);
	buf[0] = 3;					/* an exception vector as interrupt */
	assert_false(tg_io(&st, TG_PORT_EVENT, 4, false, buf, 1, &ev));
	assert_int_equal(st.status, TG_FAILED);
	assert_non_null(strstr(st.why, "exception vector"));
}

static void protocol_results(void **state)
{
	struct tg_state st;
	struct tg_event ev;
	uint8_t buf[4] = { 0 };

	(void)state;
	tg_init(&st, "t");
	assert_true(tg_io(&st, TG_PORT_CONSOLE, 1, false, (uint8_t *)"hi\n", 3, &ev));
	assert_false(tg_io(&st, TG_PORT_RESULT, 4, false, buf, 1, &ev));
	assert_true(tg_finish(&st));

	tg_init(&st, "t");
	buf[0] = 7;
	assert_false(tg_io(&st, TG_PORT_RESULT, 4, false, buf, 1, &ev));
	assert_false(tg_finish(&st));
	assert_non_null(strstr(st.why, "code 7"));

	tg_init(&st, "t");				/* unknown port */
	assert_false(tg_io(&st, 0x80, 1, false, buf, 1, &ev));
	assert_non_null(strstr(st.why, "unknown port"));

	tg_init(&st, "t");				/* MMIO: right and wrong GPA */
	buf[0] = 0x10; buf[3] = 0xd0;
	assert_true(tg_io(&st, TG_PORT_EXPECT_GPA, 4, false, buf, 1, &ev));
	buf[0] = TG_EXPECT_MMIO; buf[3] = 0;
	assert_true(tg_io(&st, TG_PORT_EXPECT, 4, false, buf, 1, &ev));
	assert_false(tg_mmio(&st, 0xd0000010, true));
	assert_int_equal(st.status, TG_PASSED);
	st.status = TG_RUNNING;
	assert_false(tg_mmio(&st, 0xd0000014, true));
	assert_int_equal(st.status, TG_FAILED);

	tg_init(&st, "t");				/* shutdown when not expected */
	assert_false(tg_shutdown(&st));
	assert_non_null(strstr(st.why, "unexpected shutdown"));

	tg_init(&st, "t");				/* I/O after an expectation */
	buf[0] = TG_EXPECT_SHUTDOWN;
	assert_true(tg_io(&st, TG_PORT_EXPECT, 4, false, buf, 1, &ev));
	assert_false(tg_io(&st, TG_PORT_CONSOLE, 1, false, buf, 1, &ev));
	assert_int_equal(st.status, TG_FAILED);

	tg_init(&st, "t");				/* deadline: PASS only when spinning */
	tg_deadline(&st);
	assert_non_null(strstr(st.why, "timeout"));
	tg_init(&st, "t");
	buf[0] = TG_EXPECT_SPIN;
	assert_true(tg_io(&st, TG_PORT_EXPECT, 4, false, buf, 1, &ev));
	tg_deadline(&st);
	assert_int_equal(st.status, TG_PASSED);
	tg_fail(&st, "leak");				/* a leak still fails a PASS */
	assert_false(tg_finish(&st));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(accepts_good),
		cmocka_unit_test(rejects_bad_fields),
		cmocka_unit_test(mode_specific),
		cmocka_unit_test(short_images),
		cmocka_unit_test(entry_state),
		cmocka_unit_test(protocol_io),
		cmocka_unit_test(protocol_results),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
