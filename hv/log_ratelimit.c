/* Rate limits for log lines a guest or a ring-3 program can provoke (hv/log.h). */
#include "hv/log.h"
#include "hv/clock.h"
#include "hv/spinlock.h"

static spinlock_t ratelimit_lock = SPINLOCK_INIT;

bool log_ratelimit_ok(struct log_ratelimit *rl)
{
	uint64_t now = clock_ns();
	uint32_t missed = 0;
	uint64_t flags;
	bool ok;

	flags = spin_lock_irqsave(&ratelimit_lock);
	if (now - rl->window_start >= LOG_BURST_NS) {
		missed = rl->missed;
		rl->window_start = now;
		rl->printed = 0;
		rl->missed = 0;
	}
	ok = rl->printed < LOG_BURST;
	if (ok)
		rl->printed++;
	else
		rl->missed++;
	spin_unlock_irqrestore(&ratelimit_lock, flags);
	if (missed)
		log_printf(LOG_WARN, "(%u similar messages suppressed)\n", missed);
	return ok;
}
