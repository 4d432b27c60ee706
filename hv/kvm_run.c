/*
 * KVM_RUN (TERN_SYS_VCPU_RUN): the calling thread runs the vcpu on its own CPU
 * until an exit for the device model fills kvm_run. Exits the core handles
 * loop inside vcpu_run_loop without leaving ring 0.
 *
 * The loop also stops, without an exit for the device model, when the thread
 * must give up the CPU (its slice is over and others wait: schedule(), then
 * enter again), is killed, or is interrupted (TERN_SYS_THREAD_INTERRUPT, what
 * pthread_kill does: -EINTR, exit reason KVM_EXIT_INTR). thread_interrupt()
 * IPIs the CPU, so a guest that never exits is forced out at once.
 */
#include "hv/kvm_obj.h"
#include "hv/kvm_run_exit.h"
#include "hv/kvm_mmio.h"
#include "hv/kvm_sync_regs.h"
#include "hv/errno.h"
#include "hv/sched.h"
#include "hv/string.h"
#include "hv/thread.h"
#include "abi/include/linux/kvm.h"

static bool kvm_run_should_stop(struct vcpu *v)
{
	struct thread *t = current_thread();

	(void)v;
	return t->kill_pending || t->interrupt_pending || sched_need_resched();
}

/* An IN answered by the device model: its data is in the PIO page now. */
static void take_in_data(struct kvm_vcpu *kv)
{
	struct vcpu *v = kv->vcpu;
	uint64_t bytes;

	if (!v->pio_pending.active)
		return;
	bytes = (uint64_t)v->pio_pending.exit.io.count * v->pio_pending.exit.io.size;
	memcpy(v->pio_data, kv->pio_page, MIN(bytes, (uint64_t)PAGE_SIZE));
}

/* Returns with -EINTR and KVM_EXIT_INTR (a kick or immediate_exit). */
static int exit_intr(struct kvm_vcpu *kv)
{
	kv->run->exit_reason = KVM_EXIT_INTR;
	kvm_run_fill_common(kv);
	return -EINTR;
}

int kvm_vcpu_run(struct kvm_vcpu *kv)
{
	struct thread *self = current_thread(), *none = NULL;
	struct vcpu *v = kv->vcpu;
	struct kvm_run *run = kv->run;
	int ret = 0;

	/* Any thread may run a vcpu (api.txt allows it), one at a time. */
	if (!__atomic_compare_exchange_n(&kv->runner, &none, self, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return -EBUSY;

	/* Registers the device model put in kvm_run go in before anything
	 * else, as in Linux (an IN or MMIO read then completes on top). */
	if (__atomic_load_n(&run->kvm_valid_regs, __ATOMIC_RELAXED) |
	    __atomic_load_n(&run->kvm_dirty_regs, __ATOMIC_RELAXED)) {
		/* Only then: its locals cost a trip that uses none of it. */
		ret = kvm_sync_regs_load(kv);
		if (ret)
			goto out;
	}
	/*
	 * The exit the device model answered completes first, as in Linux,
	 * where immediate_exit is looked at only afterwards (so a VMM can
	 * finish an exit without running the guest). An MMIO read's write half
	 * is a new exit at once.
	 */
	take_in_data(kv);
	if (kvm_mmio_complete(kv)) {
		kvm_run_fill_common(kv);
		goto out;
	}
	/* A pending interrupt is consumed like any interruptible call's. */
	if (__atomic_load_n(&run->immediate_exit, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&self->interrupt_pending, false, __ATOMIC_ACQ_REL)) {
		ret = exit_intr(kv);
		goto out;
	}
	/* Linux cannot build the guest's MMU without a memory slot and says
	 * ENOSPC; a guest with no memory could not fetch an instruction anyway. */
	if (!__atomic_load_n(&kv->kvm->nr_regions, __ATOMIC_RELAXED)) {
		ret = -ENOSPC;
		goto out;
	}
	v->want_irq_window = __atomic_load_n(&run->request_interrupt_window, __ATOMIC_RELAXED);
	v->stop_check = kvm_run_should_stop;
	for (;;) {
		kv->exit_filled = false;
		vcpu_run_loop(v, kvm_run_exit, kv);
		if (kv->exit_filled)
			break;
		if (self->kill_pending) {
			/* The thread exits on its way back to ring 3. */
			ret = -EINTR;
			break;
		}
		if (__atomic_exchange_n(&self->interrupt_pending, false, __ATOMIC_ACQ_REL) ||
		    v->kick) {
			v->kick = false;
			ret = exit_intr(kv);
			break;
		}
		/* The slice is over and another thread waits. */
		schedule();
	}
	v->stop_check = NULL;
	v->want_irq_window = false;
out:
	if (__atomic_load_n(&run->kvm_valid_regs, __ATOMIC_RELAXED))
		kvm_sync_regs_store(kv);
	__atomic_store_n(&kv->runner, NULL, __ATOMIC_RELEASE);
	return ret;
}
