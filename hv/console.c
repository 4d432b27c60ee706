/* Console output with one lock so lines from different CPUs do not mix. */
#include "hv/console.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "arch/x86/serial.h"

static uint16_t console_port = COM1_PORT;
static bool console_enabled = true;
static bool console_ready;
static bool emergency;
static spinlock_t console_lock = SPINLOCK_INIT;

static bool parse_baud(const char *s, uint32_t *baud)
{
	uint32_t v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1000000)
			return false;
		v = v * 10 + (*s - '0');
	}
	if (v < 50 || v > 115200)
		return false;
	*baud = v;
	return true;
}

bool console_configure(const char *spec)
{
	uint32_t baud = 115200;
	uint16_t port;
	const char *comma = spec;

	while (*comma && *comma != ',')
		comma++;
	size_t name_len = comma - spec;

	if (name_len == 4 && !strncmp(spec, "none", 4) && !*comma) {
		console_enabled = false;
		return true;
	}
	if (name_len == 4 && !strncmp(spec, "com1", 4))
		port = COM1_PORT;
	else if (name_len == 4 && !strncmp(spec, "com2", 4))
		port = COM2_PORT;
	else
		return false;
	if (*comma && !parse_baud(comma + 1, &baud))
		return false;
	if (!serial_init(port, baud))
		return false;
	console_port = port;
	console_enabled = true;
	console_ready = true;
	return true;
}

static void write_locked(const char *s, size_t len)
{
	if (!console_ready) {
		serial_init(console_port, 115200);
		console_ready = true;
	}
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n')
			serial_putc(console_port, '\r');
		serial_putc(console_port, s[i]);
	}
}

void console_write(const char *s, size_t len)
{
	if (!console_enabled)
		return;
	if (emergency) {
		/* Give the lock holder a moment, then print regardless. */
		for (int i = 0; i < 1000000; i++) {
			if (spin_trylock(&console_lock)) {
				write_locked(s, len);
				spin_unlock(&console_lock);
				return;
			}
			__builtin_ia32_pause();
		}
		write_locked(s, len);
		return;
	}
	uint64_t flags = spin_lock_irqsave(&console_lock);
	write_locked(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_set_emergency(void)
{
	emergency = true;
}

void console_flush(void)
{
	if (console_enabled && console_ready)
		serial_flush(console_port);
}
