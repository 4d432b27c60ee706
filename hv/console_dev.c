/*
 * The console object. Output goes through console_write() a line at a time,
 * so lines written by different processes (and the core's log) do not mix
 * mid-line. Input: COM1's receive interrupt, routed through the IOAPIC to the
 * boot CPU, drains the UART into a ring that readers empty.
 */
#include "hv/console_dev.h"
#include "hv/console.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "hv/panic.h"
#include "hv/sched.h"
#include "hv/string.h"
#include "hv/uaccess.h"
#include "hv/waitq.h"
#include "arch/x86/ioapic.h"
#include "arch/x86/lapic.h"
#include "arch/x86/serial.h"
#include "arch/x86/traps.h"

#define CONSOLE_RX_IRQ		4	/* COM1 on the ISA bus */
/* Above the vectors the silenced PICs were moved to (0x20-0x2f), so a stray
 * PIC interrupt cannot be taken for console input. */
#define CONSOLE_RX_VECTOR	0x30
#define RX_RING_SIZE		4096	/* power of two */
/* A UART FIFO holds 16 bytes; the bound only guards against a stuck LSR. */
#define RX_DRAIN_MAX		256
#define COPY_CHUNK		256

static void console_release(struct kobj *o)
{
	(void)o;
	panic("console object released: reference count underflow");
}

static unsigned int console_poll(struct kobj *o);
static struct waitq *console_waitq(struct kobj *o);

static const struct kobj_ops console_ops = {
	.type = TERN_KOBJ_CONSOLE,
	.release = console_release,
	.poll = console_poll,
	.waitq = console_waitq,
};

static struct {
	struct kobj obj;
	/* Shared with the interrupt handler: always taken with interrupts off. */
	spinlock_t rx_lock;
	uint8_t rx[RX_RING_SIZE];
	uint32_t rx_head, rx_tail;	/* free-running; head - tail bytes buffered */
	uint64_t rx_dropped;
	struct waitq rx_wq;
	/* One reader at a time copies out, so what it peeked is what it consumes. */
	spinlock_t read_lock;
} con = {
	/* The object's own reference: never dropped, so never released. */
	.obj = { .ops = &console_ops, .refs = 1 },
	.rx_lock = SPINLOCK_INIT,
	.rx_wq = WAITQ_INIT(con.rx_wq),
	.read_lock = SPINLOCK_INIT,
};

struct kobj *console_dev_get(void)
{
	kobj_get(&con.obj);
	return &con.obj;
}

static uint32_t rx_buffered(void)
{
	uint64_t flags = spin_lock_irqsave(&con.rx_lock);
	uint32_t n = con.rx_head - con.rx_tail;

	spin_unlock_irqrestore(&con.rx_lock, flags);
	return n;
}

static unsigned int console_poll(struct kobj *o)
{
	(void)o;
	return (rx_buffered() ? TERN_WAIT_READ : 0) | TERN_WAIT_WRITE;
}

static struct waitq *console_waitq(struct kobj *o)
{
	(void)o;
	return &con.rx_wq;
}

/* Moves what the UART holds into the ring. @pre rx_lock held. Returns the
 * bytes stored; *@dropped_now counts those that did not fit. */
static unsigned int rx_drain_locked(unsigned int *dropped_now)
{
	unsigned int stored = 0;
	int c;

	*dropped_now = 0;
	for (int i = 0; i < RX_DRAIN_MAX && (c = serial_getc(COM1_PORT)) >= 0; i++) {
		if (con.rx_head - con.rx_tail == RX_RING_SIZE) {
			con.rx_dropped++;
			(*dropped_now)++;
			continue;
		}
		con.rx[con.rx_head++ % RX_RING_SIZE] = (uint8_t)c;
		stored++;
	}
	return stored;
}

static bool passed_power_of_two(uint64_t before, uint64_t after)
{
	return before == 0 || __builtin_clzll(before) != __builtin_clzll(after);
}

static void rx_drain(void)
{
	uint64_t flags = spin_lock_irqsave(&con.rx_lock);
	unsigned int dropped_now;
	unsigned int stored = rx_drain_locked(&dropped_now);
	uint64_t total = con.rx_dropped;

	spin_unlock_irqrestore(&con.rx_lock, flags);
	if (stored)
		waitq_wake_all(&con.rx_wq);
	/* Warn as the count passes 1, 2, 4, ...: visible, but a flood of input
	 * cannot flood the log. */
	if (dropped_now && passed_power_of_two(total - dropped_now, total))
		pr_warn("console: input buffer full, %lu bytes dropped so far\n", total);
}

static void console_rx_irq(struct trap_frame *tf)
{
	(void)tf;
	rx_drain();
	lapic_eoi();
}

void console_dev_init(void)
{
	ioapic_init();
	if (!serial_present(COM1_PORT)) {
		pr_warn("console: no UART at COM1; console input is off\n");
		return;
	}
	irq_set_handler(CONSOLE_RX_VECTOR, console_rx_irq);
	if (!ioapic_route_isa_irq(CONSOLE_RX_IRQ, CONSOLE_RX_VECTOR, lapic_id())) {
		pr_warn("console: COM1 interrupt cannot be routed; console input is off\n");
		return;
	}
	serial_rx_irq_enable(COM1_PORT);
	/* Bytes that arrived before the interrupt was enabled hold the UART's
	 * line up, and an edge-triggered pin would never see another edge:
	 * take them now so the next byte raises a fresh one. */
	rx_drain();
	pr_info("console: input from COM1 on IRQ %u, vector %#x\n", CONSOLE_RX_IRQ,
		CONSOLE_RX_VECTOR);
}

/* Index just past the last newline in @buf[0..@len), 0 when there is none. */
static size_t line_end(const char *buf, size_t len)
{
	while (len > 0 && buf[len - 1] != '\n')
		len--;
	return len;
}

int64_t console_dev_write_user(uintptr_t ubuf, size_t len)
{
	char buf[COPY_CHUNK];
	size_t fill = 0, done = 0;
	bool fault = false;

	while (done < len) {
		size_t n = MIN(len - done, sizeof(buf) - fill);

		if (copy_from_user(buf + fill, ubuf + done, n)) {
			fault = true;
			break;
		}
		fill += n;
		done += n;
		/* Whole lines in one console_write() each batch; a partial line
		 * waits for the rest unless it fills the buffer by itself. */
		size_t cut = line_end(buf, fill);

		if (cut == 0 && fill == sizeof(buf))
			cut = fill;
		if (cut) {
			console_write(buf, cut);
			memmove(buf, buf + cut, fill - cut);
			fill -= cut;
		}
		/* Serial output is slow and the core is not preemptible: let a
		 * huge write give way, and stop it when the thread is killed. */
		if (current_thread()->kill_pending)
			break;
		if (sched_need_resched())
			schedule();
	}
	if (fill)
		console_write(buf, fill);
	if (fault && done == 0)
		return -EFAULT;
	return (int64_t)done;
}

/* Copies buffered input to ring 3 until @len or the ring is exhausted. */
static int64_t rx_copy_out(uintptr_t ubuf, size_t len)
{
	uint8_t tmp[COPY_CHUNK];
	size_t done = 0;
	bool fault = false;

	spin_lock(&con.read_lock);
	while (done < len) {
		uint64_t flags = spin_lock_irqsave(&con.rx_lock);
		size_t n = MIN(MIN(len - done, sizeof(tmp)), con.rx_head - con.rx_tail);

		for (size_t i = 0; i < n; i++)
			tmp[i] = con.rx[(con.rx_tail + i) % RX_RING_SIZE];
		spin_unlock_irqrestore(&con.rx_lock, flags);
		if (n == 0)
			break;
		/* Consume only what reached the caller: a bad buffer loses no input. */
		if (copy_to_user(ubuf + done, tmp, n)) {
			fault = true;
			break;
		}
		flags = spin_lock_irqsave(&con.rx_lock);
		con.rx_tail += n;
		spin_unlock_irqrestore(&con.rx_lock, flags);
		done += n;
	}
	spin_unlock(&con.read_lock);
	if (fault && done == 0)
		return -EFAULT;
	return (int64_t)done;
}

int64_t console_dev_read_user(uintptr_t ubuf, size_t len, uint64_t timeout_ns)
{
	if (len == 0)
		return 0;

	uint64_t deadline = deadline_after(timeout_ns);
	struct wait_entry e;
	int64_t r;

	if (timeout_ns != 0)
		waitq_add(&con.rx_wq, &e);
	for (;;) {
		if (timeout_ns != 0)
			thread_prepare_block();
		/* Another reader may take the bytes first: then wait again. */
		r = rx_copy_out(ubuf, len);
		if (r != 0)
			break;
		if (timeout_ns == 0) {
			r = -EAGAIN;
			break;
		}
		r = thread_block(deadline, true);
		if (r == -ETIMEDOUT)
			r = -EAGAIN;
		if (r)
			break;
	}
	if (timeout_ns != 0)
		waitq_remove(&e);
	return r;
}
