/*
 * poll() on TERN_SYS_WAIT_ANY. Each fd either is ready at once (its poll op
 * says so) or contributes one wait item; the POLLIN/POLLOUT/POLLERR bits and
 * TERN_WAIT_READ/WRITE/ERROR have the same values, so events pass through.
 */
#include <poll.h>
#include <tern/fd.h>
#include "internal.h"

#define POLL_WAITABLE	(POLLIN | POLLOUT)

int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	struct tern_wait_item items[TERN_WAIT_MAX_ITEMS];
	int slot[TERN_WAIT_MAX_ITEMS];	/* fds[] index of each item */
	unsigned int n = 0;
	int ready = 0;
	long r;

	if (nfds > TERN_FD_MAX) {
		errno = EINVAL;
		return -1;
	}
	for (nfds_t i = 0; i < nfds; i++) {
		struct tern_wait_item item = { .handle = -1 };
		struct tern_fd *f;

		fds[i].revents = 0;
		if (fds[i].fd < 0)
			continue;
		f = tern_fd_get(fds[i].fd);
		if (!f) {
			fds[i].revents = POLLNVAL;
			ready++;
			continue;
		}
		if (f->ops->poll) {
			fds[i].revents = f->ops->poll(f, fds[i].events, &item);
		} else {
			item.handle = f->handle;
			item.events = fds[i].events & POLL_WAITABLE;
		}
		tern_fd_put(f);
		if (fds[i].revents) {
			ready++;
		} else if (item.handle >= 0 && item.events) {
			if (n == TERN_WAIT_MAX_ITEMS) {
				errno = EINVAL;	/* more waitable fds than the core takes at once */
				return -1;
			}
			slot[n] = (int)i;
			items[n++] = item;
		}
	}

	/* Check the waitable ones too even when others are ready, without blocking. */
	if (n) {
		uint64_t timeout = ready || timeout_ms == 0 ? 0 :
				   timeout_ms < 0 ? TERN_WAIT_FOREVER :
				   (uint64_t)timeout_ms * 1000000ULL;

		r = sys3(TERN_SYS_WAIT_ANY, items, n, timeout);
		if (r == -EINTR) {
			tern_signals_deliver();
			errno = EINTR;
			return -1;
		}
		if (sys_ret(r) < 0)
			return -1;
		for (unsigned int k = 0; k < n; k++) {
			short rev = (short)(items[k].revents & (POLLIN | POLLOUT | POLLERR));

			if (rev) {
				fds[slot[k]].revents = rev;
				ready++;
			}
		}
	} else if (!ready && timeout_ms != 0) {
		/* Nothing to wait on: poll() is a sleep, as on Linux. */
		r = sys1(TERN_SYS_SLEEP, timeout_ms < 0 ? TERN_WAIT_FOREVER :
			 (uint64_t)timeout_ms * 1000000ULL);
		if (r == -EINTR) {
			tern_signals_deliver();
			errno = EINTR;
			return -1;
		}
	}
	return ready;
}
