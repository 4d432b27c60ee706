/*
 * The test-guest image header and the test-port protocol (see
 * tests/guests/README.md), without any hardware access: hv/testmode.c drives
 * it from the vcpu run loop, tests/guests/kvmrun.c from Linux KVM, and the
 * unit tests from the host. Guest images are untrusted input.
 */
#ifndef HV_TESTGUEST_H
#define HV_TESTGUEST_H

#include "hv/types.h"
#include "hv/vcpu_state.h"

#define TG_MAGIC		0x54534754	/* "TGST" */
#define TG_VERSION		1
#define TG_MAX_RAM		(64 * MiB)
#define TG_MIN_RAM		(64 * KiB)

enum tg_mode { TG_REAL, TG_PM32, TG_PM32_PAGING, TG_PAE, TG_LONG64, TG_MODE_COUNT };

/* As stored at offset 0 of an image (little endian). */
struct tg_header {
	uint32_t magic;
	uint16_t version;
	uint16_t mode;			/* enum tg_mode */
	uint32_t header_size;		/* >= sizeof(struct tg_header) */
	uint32_t image_size;		/* bytes of the image, header included */
	uint64_t load_gpa;		/* where the image is copied */
	uint64_t entry;			/* RIP (real mode: CS = 0, so < 64 KiB) */
	uint64_t cr3;			/* paging modes: the root table, inside the image */
	uint64_t ram_size;		/* guest RAM at GPA 0 */
	uint64_t stack;			/* initial RSP */
} __packed;
_Static_assert(sizeof(struct tg_header) == 56, "tg_header is the documented 56 bytes");

/* Checks an image of @size bytes. 0 and *@out filled, or -EINVAL with the
 * reason in @why. */
int tg_parse_header(const void *image, size_t size, struct tg_header *out,
		    char *why, size_t why_len);
const char *tg_mode_name(unsigned int mode);

/* The entry state for @h's mode: flat segments (selector 0x08 code, 0x10
 * data in protected and 0x18 code in long mode), CR0/CR4/EFER/CR3, RIP, RSP.
 * Starts from the vcpu's current @s (keeps e.g. apic_base). */
void tg_entry_state(const struct tg_header *h, struct vcpu_sregs *s, struct vcpu_regs *r);

/* Test ports. */
#define TG_PORT_RESULT		0xE0
#define TG_PORT_EVENT		0xE1
#define TG_PORT_SEQ_IN		0xE2
#define TG_PORT_SUM_OUT		0xE3
#define TG_PORT_SUM		0xE4
#define TG_PORT_COUNT		0xE5
#define TG_PORT_EXPECT		0xE6
#define TG_PORT_EXPECT_GPA	0xE7
#define TG_PORT_CONSOLE		0xE9

enum tg_event_type { TG_EVENT_NONE, TG_EVENT_EXTINT, TG_EVENT_EXCEPTION };
enum tg_expect { TG_EXPECT_NONE, TG_EXPECT_SHUTDOWN, TG_EXPECT_MMIO, TG_EXPECT_SPIN };
enum tg_status { TG_RUNNING, TG_PASSED, TG_FAILED };

/* An event the guest asked for, to inject before it runs again. */
struct tg_event {
	uint8_t type;			/* enum tg_event_type */
	uint8_t vector;
};

struct tg_state {
	char name[32];
	char line[128];			/* console line being assembled */
	size_t line_len;
	char last_line[128];		/* the last complete line, for FAIL reasons */
	uint32_t seq_index;		/* next byte of the IN sequence */
	uint32_t sum;			/* checksum of the bytes OUT to TG_PORT_SUM_OUT */
	uint32_t count;
	uint32_t expect;		/* enum tg_expect */
	uint64_t expect_gpa;
	bool irq_requested;		/* an external interrupt requested, no HLT since */
	enum tg_status status;
	char why[160];			/* for TG_FAILED */
};

void tg_init(struct tg_state *s, const char *name);

/*
 * The guest accessed @port: @count elements of @size bytes in @data (OUT: to
 * consume; IN: filled here). An event the guest requested is stored in *@ev
 * (type TG_EVENT_NONE otherwise). Returns true while the guest should go on.
 */
bool tg_io(struct tg_state *s, uint16_t port, unsigned int size, bool in, uint8_t *data,
	   uint32_t count, struct tg_event *ev);
/* An access to guest-physical memory that is not RAM. Returns false. */
bool tg_mmio(struct tg_state *s, uint64_t gpa, bool write);
/* HLT (the core has no irqchip yet, so halting is the owner's business):
 * resume when the guest asked for an interrupt (it is then queued and taken
 * right after the HLT); otherwise the guest would sleep forever: FAIL. */
bool tg_hlt(struct tg_state *s);
/* A triple fault. Returns false. */
bool tg_shutdown(struct tg_state *s);
/* The deadline passed (the caller ends the guest). */
void tg_deadline(struct tg_state *s);
/* Any other reason to stop: FAIL with @fmt. */
void tg_fail(struct tg_state *s, const char *fmt, ...) __printf(2, 3);
/* Prints any partial console line, then `guest NAME: PASS` or `... FAIL why`.
 * Returns true for PASS. */
bool tg_finish(struct tg_state *s);

/* Byte @i of the IN sequence and one checksum step: the guest computes both. */
static inline uint8_t tg_seq_byte(uint32_t i) { return (uint8_t)(i * 37 + 11); }
static inline uint32_t tg_sum_step(uint32_t h, uint8_t b) { return h * 31 + b; }

#endif
