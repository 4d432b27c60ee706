/*
 * Test-guest header validation and the test-port protocol. Pure logic: the
 * callers own the vcpu and do the injection and the printing of the result.
 */
#include <stdarg.h>
#include "hv/testguest.h"
#include "hv/errno.h"
#include "hv/format.h"
#include "hv/log.h"
#include "hv/string.h"

static const char *const mode_names[TG_MODE_COUNT] = {
	[TG_REAL] = "real",
	[TG_PM32] = "pm32",
	[TG_PM32_PAGING] = "pm32-paging",
	[TG_PAE] = "pae",
	[TG_LONG64] = "long64",
};

const char *tg_mode_name(unsigned int mode)
{
	return mode < TG_MODE_COUNT ? mode_names[mode] : "invalid";
}

static int bad(char *why, size_t why_len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fmt_vsnprintf(why, why_len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/* [base, base + len) inside [lo, hi), without overflow. */
static bool range_inside(uint64_t base, uint64_t len, uint64_t lo, uint64_t hi)
{
	return base >= lo && base <= hi && len <= hi - base;
}

int tg_parse_header(const void *image, size_t size, struct tg_header *out,
		    char *why, size_t why_len)
{
	struct tg_header h;
	uint64_t img_end;

	if (size < sizeof(h))
		return bad(why, why_len, "image of %zu bytes is smaller than the %zu-byte header",
			   size, sizeof(h));
	memcpy(&h, image, sizeof(h));
	if (h.magic != TG_MAGIC)
		return bad(why, why_len, "bad magic %#x", h.magic);
	if (h.version != TG_VERSION)
		return bad(why, why_len, "unsupported header version %u", h.version);
	if (h.header_size < sizeof(h) || h.header_size > h.image_size)
		return bad(why, why_len, "header size %u outside [%zu, image size %u]",
			   h.header_size, sizeof(h), h.image_size);
	if (h.image_size > size)
		return bad(why, why_len, "image size %u exceeds the module's %zu bytes",
			   h.image_size, size);
	if (h.mode >= TG_MODE_COUNT)
		return bad(why, why_len, "unknown entry mode %u", h.mode);
	if (h.ram_size < TG_MIN_RAM || h.ram_size > TG_MAX_RAM || !IS_ALIGNED(h.ram_size, PAGE_SIZE))
		return bad(why, why_len, "RAM size %#llx not a page multiple in [%#lx, %#lx]",
			   (unsigned long long)h.ram_size, TG_MIN_RAM, TG_MAX_RAM);
	if (!range_inside(h.load_gpa, h.image_size, 0, h.ram_size))
		return bad(why, why_len, "image [%#llx, +%#x) is not inside RAM [0, %#llx)",
			   (unsigned long long)h.load_gpa, h.image_size,
			   (unsigned long long)h.ram_size);
	img_end = h.load_gpa + h.image_size;
	if (h.entry < h.load_gpa + h.header_size || h.entry >= img_end)
		return bad(why, why_len, "entry %#llx is not inside the image's code [%#llx, %#llx)",
			   (unsigned long long)h.entry,
			   (unsigned long long)(h.load_gpa + h.header_size),
			   (unsigned long long)img_end);
	if (h.stack > h.ram_size)
		return bad(why, why_len, "stack %#llx above RAM", (unsigned long long)h.stack);
	/* Real mode runs with CS = SS = 0: entry and stack within 64 KiB. */
	if (h.mode == TG_REAL && (h.entry > 0xffff || h.stack > 0x10000))
		return bad(why, why_len, "real-mode entry %#llx or stack %#llx above 64 KiB",
			   (unsigned long long)h.entry, (unsigned long long)h.stack);
	switch (h.mode) {
	case TG_PM32_PAGING:
	case TG_LONG64:
		if (!IS_ALIGNED(h.cr3, PAGE_SIZE) ||
		    !range_inside(h.cr3, PAGE_SIZE, h.load_gpa, img_end))
			return bad(why, why_len,
				   "CR3 %#llx is not a page-aligned table inside the image",
				   (unsigned long long)h.cr3);
		break;
	case TG_PAE:
		if (!IS_ALIGNED(h.cr3, 32) || !range_inside(h.cr3, 32, h.load_gpa, img_end))
			return bad(why, why_len,
				   "CR3 %#llx is not a 32-byte aligned PDPT inside the image",
				   (unsigned long long)h.cr3);
		break;
	default:
		if (h.cr3 != 0)
			return bad(why, why_len, "CR3 %#llx given for a mode without paging",
				   (unsigned long long)h.cr3);
	}
	*out = h;
	return 0;
}

static struct vcpu_segment flat_segment(uint16_t sel, uint8_t type, bool big, bool code64)
{
	struct vcpu_segment seg = {
		.base = 0, .selector = sel, .type = type, .present = 1, .s = 1,
	};

	if (big) {		/* 4 GiB, page granular */
		seg.limit = 0xffffffff;
		seg.g = 1;
		seg.db = !code64;
		seg.l = code64;
	} else {		/* real mode: 64 KiB, byte granular */
		seg.limit = 0xffff;
	}
	return seg;
}

#define CR0_PE	(1UL << 0)
#define CR0_ET	(1UL << 4)
#define CR0_NE	(1UL << 5)
#define CR0_PG	(1UL << 31)
#define CR4_PAE	(1UL << 5)
#define EFER_LME (1UL << 8)
#define EFER_LMA (1UL << 10)

void tg_entry_state(const struct tg_header *h, struct vcpu_sregs *s, struct vcpu_regs *r)
{
	bool pm = h->mode != TG_REAL, lm = h->mode == TG_LONG64;
	struct vcpu_segment data = flat_segment(pm ? 0x10 : 0, 0x3, pm, false);

	s->cs = flat_segment(lm ? 0x18 : pm ? 0x08 : 0, 0xb, pm, lm);
	s->ds = s->es = s->fs = s->gs = s->ss = data;
	/* A busy TSS and an LDT, both usable as VM entry wants them. */
	s->tr = (struct vcpu_segment){ .limit = pm ? 0x67 : 0xffff, .type = 0xb, .present = 1 };
	s->ldt = (struct vcpu_segment){ .limit = 0xffff, .type = 0x2, .present = 1 };
	/* Real mode: the IVT at 0. Other modes load their own GDT/IDT first. */
	s->gdt = (struct vcpu_dtable){ .base = 0, .limit = pm ? 0 : 0xffff };
	s->idt = (struct vcpu_dtable){ .base = 0, .limit = pm ? 0 : 0x3ff };
	s->cr0 = CR0_ET | CR0_NE | (pm ? CR0_PE : 0);
	s->cr2 = 0;
	s->cr3 = 0;
	s->cr4 = 0;
	s->cr8 = 0;
	s->efer = 0;
	switch (h->mode) {
	case TG_PM32_PAGING:
		s->cr0 |= CR0_PG;
		s->cr3 = h->cr3;
		break;
	case TG_PAE:
		s->cr0 |= CR0_PG;
		s->cr4 |= CR4_PAE;
		s->cr3 = h->cr3;
		break;
	case TG_LONG64:
		s->cr0 |= CR0_PG;
		s->cr4 |= CR4_PAE;
		s->cr3 = h->cr3;
		s->efer = EFER_LME | EFER_LMA;
		break;
	default:
		break;
	}
	memset(r, 0, sizeof(*r));
	r->rip = h->entry;
	r->rsp = h->stack;
	r->rflags = X86_EFLAGS_FIXED;
}

void tg_init(struct tg_state *s, const char *name)
{
	memset(s, 0, sizeof(*s));
	fmt_snprintf(s->name, sizeof(s->name), "%s", name);
	s->status = TG_RUNNING;
}

void tg_fail(struct tg_state *s, const char *fmt, ...)
{
	va_list ap;

	/* The first reason is the one that counts; a PASS can still turn into a
	 * FAIL (e.g. frames leaked when the VM was destroyed). */
	if (s->status == TG_FAILED)
		return;
	va_start(ap, fmt);
	fmt_vsnprintf(s->why, sizeof(s->why), fmt, ap);
	va_end(ap);
	s->status = TG_FAILED;
}

static void console_flush(struct tg_state *s)
{
	if (!s->line_len)
		return;
	s->line[s->line_len] = 0;
	pr_info("guest %s: %s\n", s->name, s->line);
	memcpy(s->last_line, s->line, s->line_len + 1);
	s->line_len = 0;
}

static void console_byte(struct tg_state *s, uint8_t c)
{
	if (c == '\n') {
		console_flush(s);
		return;
	}
	/* Show only printable ASCII: the bytes are the guest's. */
	s->line[s->line_len++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	if (s->line_len == sizeof(s->line) - 1)
		console_flush(s);
}

static uint32_t element(const uint8_t *data, unsigned int size)
{
	uint32_t v = 0;

	for (unsigned int i = 0; i < size; i++)
		v |= (uint32_t)data[i] << (8 * i);
	return v;
}

static const char *expect_name(uint32_t e)
{
	switch (e) {
	case TG_EXPECT_SHUTDOWN: return "a shutdown";
	case TG_EXPECT_MMIO: return "an MMIO exit";
	case TG_EXPECT_SPIN: return "spinning until the deadline";
	default: return "nothing";
	}
}

static bool out_one(struct tg_state *s, uint16_t port, uint32_t v, struct tg_event *ev)
{
	switch (port) {
	case TG_PORT_CONSOLE:
		console_byte(s, (uint8_t)v);
		return true;
	case TG_PORT_RESULT:
		if (v == 0) {
			s->status = TG_PASSED;
		} else {
			console_flush(s);
			tg_fail(s, "the guest reported failure code %u (last line: %s)", v,
				s->last_line[0] ? s->last_line : "none");
		}
		return false;
	case TG_PORT_EVENT:
		if (ev->type != TG_EVENT_NONE) {
			tg_fail(s, "two event requests in one instruction");
			return false;
		}
		if ((v >> 8) != TG_EVENT_EXTINT && (v >> 8) != TG_EVENT_EXCEPTION) {
			tg_fail(s, "unknown event request %#x", v);
			return false;
		}
		if ((v >> 8) == TG_EVENT_EXTINT && (v & 0xff) < 32) {
			tg_fail(s, "external interrupt vector %u is an exception vector", v & 0xff);
			return false;
		}
		if ((v >> 8) == TG_EVENT_EXCEPTION && (v & 0xff) >= 32) {
			tg_fail(s, "exception vector %u above 31", v & 0xff);
			return false;
		}
		ev->type = (uint8_t)(v >> 8);
		ev->vector = (uint8_t)v;
		if (ev->type == TG_EVENT_EXTINT)
			s->irq_requested = true;
		return true;
	case TG_PORT_SUM_OUT:
		s->sum = tg_sum_step(s->sum, (uint8_t)v);
		s->count++;
		return true;
	case TG_PORT_SUM:
		s->sum = 0;
		s->count = 0;
		s->seq_index = 0;
		return true;
	case TG_PORT_EXPECT:
		if (v < TG_EXPECT_SHUTDOWN || v > TG_EXPECT_SPIN) {
			tg_fail(s, "unknown expectation %u", v);
			return false;
		}
		s->expect = v;
		return true;
	case TG_PORT_EXPECT_GPA:
		s->expect_gpa = v;
		return true;
	default:
		tg_fail(s, "OUT to unknown port %#x", port);
		return false;
	}
}

static bool in_one(struct tg_state *s, uint16_t port, unsigned int size, uint8_t *data)
{
	uint32_t v;

	switch (port) {
	case TG_PORT_SEQ_IN:
		v = tg_seq_byte(s->seq_index++);
		break;
	case TG_PORT_SUM:
		v = s->sum;
		break;
	case TG_PORT_COUNT:
		v = s->count;
		break;
	default:
		tg_fail(s, "IN from unknown port %#x", port);
		return false;
	}
	for (unsigned int i = 0; i < size; i++)
		data[i] = (uint8_t)(v >> (8 * i));
	return true;
}

bool tg_io(struct tg_state *s, uint16_t port, unsigned int size, bool in, uint8_t *data,
	   uint32_t count, struct tg_event *ev)
{
	ev->type = TG_EVENT_NONE;
	if (s->status != TG_RUNNING)
		return false;
	if (size != 1 && size != 2 && size != 4) {
		tg_fail(s, "I/O of %u bytes on port %#x", size, port);
		return false;
	}
	if (s->expect != TG_EXPECT_NONE) {
		tg_fail(s, "expected %s, got %s port %#x", expect_name(s->expect),
			in ? "IN from" : "OUT to", port);
		return false;
	}
	for (uint32_t i = 0; i < count; i++) {
		uint8_t *d = data + (size_t)i * size;
		bool go = in ? in_one(s, port, size, d) : out_one(s, port, element(d, size), ev);

		if (!go)
			return false;
	}
	return true;
}

bool tg_mmio(struct tg_state *s, uint64_t gpa, bool write)
{
	if (s->status != TG_RUNNING)
		return false;
	if (s->expect != TG_EXPECT_MMIO)
		tg_fail(s, "unexpected MMIO %s at GPA %#llx (expected %s)", write ? "write" : "read",
			(unsigned long long)gpa, expect_name(s->expect));
	else if (gpa != s->expect_gpa)
		tg_fail(s, "MMIO at GPA %#llx, expected GPA %#llx", (unsigned long long)gpa,
			(unsigned long long)s->expect_gpa);
	else
		s->status = TG_PASSED;
	return false;
}

bool tg_hlt(struct tg_state *s)
{
	if (s->status != TG_RUNNING)
		return false;
	if (s->expect != TG_EXPECT_NONE) {
		tg_fail(s, "expected %s, got HLT", expect_name(s->expect));
		return false;
	}
	if (!s->irq_requested) {
		tg_fail(s, "HLT with no interrupt requested: would sleep forever");
		return false;
	}
	s->irq_requested = false;
	return true;
}

bool tg_shutdown(struct tg_state *s)
{
	if (s->status != TG_RUNNING)
		return false;
	if (s->expect == TG_EXPECT_SHUTDOWN)
		s->status = TG_PASSED;
	else
		tg_fail(s, "unexpected shutdown (triple fault), expected %s",
			expect_name(s->expect));
	return false;
}

void tg_deadline(struct tg_state *s)
{
	if (s->status != TG_RUNNING)
		return;
	if (s->expect == TG_EXPECT_SPIN)
		s->status = TG_PASSED;
	else
		tg_fail(s, "timeout: no result before the deadline (expected %s)",
			expect_name(s->expect));
}

bool tg_finish(struct tg_state *s)
{
	console_flush(s);
	if (s->status == TG_RUNNING)
		tg_fail(s, "stopped without a result");
	if (s->status == TG_PASSED) {
		pr_info("guest %s: PASS\n", s->name);
		return true;
	}
	pr_info("guest %s: FAIL %s\n", s->name, s->why);
	return false;
}
