/*
 * Runs test guests under Linux KVM (/dev/kvm on the build machine) with the
 * same header checks, entry state and port protocol as the core's test mode
 * (hv/testguest.c): a reference that tells a bug in a guest from a bug in
 * tern. Usage: kvmrun GUEST...   Prints the same lines as the core.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "hv/testguest.h"
#include "hv/format.h"
#include "hv/log.h"

_Static_assert(sizeof(struct vcpu_regs) == sizeof(struct kvm_regs), "regs layout");
_Static_assert(offsetof(struct kvm_sregs, apic_base) == offsetof(struct vcpu_sregs, apic_base),
	       "sregs layout");

int log_level = LOG_DEBUG;

void log_vprintf(enum log_level level, const char *fmt, va_list ap)
{
	char buf[512];

	fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	fputs(level == LOG_ERR ? "error: " : level == LOG_WARN ? "warning: " : "", stdout);
	fputs(buf, stdout);
	fflush(stdout);
}

void log_printf(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vprintf(level, fmt, ap);
	va_end(ap);
}

static volatile struct kvm_run *run_page;

static void on_alarm(int sig)
{
	(void)sig;
	if (run_page)
		run_page->immediate_exit = 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set_cpuid(int kvm, int vcpu)
{
	struct kvm_cpuid2 *c = calloc(1, sizeof(*c) + 256 * sizeof(struct kvm_cpuid_entry2));

	c->nent = 256;
	if (ioctl(kvm, KVM_GET_SUPPORTED_CPUID, c) < 0) {
		perror("KVM_GET_SUPPORTED_CPUID");
		exit(2);
	}
	for (unsigned int i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == 1)
			e->ecx = (e->ecx | (1u << 31)) & ~(1u << 5);
		if (e->function == 0x80000001)
			e->ecx &= ~(1u << 2);
	}
	if (ioctl(vcpu, KVM_SET_CPUID2, c) < 0) {
		perror("KVM_SET_CPUID2");
		exit(2);
	}
	free(c);
}

static void run_guest(struct tg_state *st, int kvm, const struct tg_header *h, const void *img)
{
	struct kvm_userspace_memory_region mr;
	struct kvm_sregs ks;
	struct vcpu_sregs vs;
	struct vcpu_regs vr;
	int vm, vcpu, pending_irq = -1, pending_exc = -1;
	double deadline = now() + 10;
	struct kvm_run *run;
	void *ram;

	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		tg_fail(st, "KVM_CREATE_VM: %s", strerror(errno));
		return;
	}
	ioctl(vm, KVM_SET_TSS_ADDR, 0xfffbd000UL);
	ram = mmap(NULL, h->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memcpy((char *)ram + h->load_gpa, img, h->image_size);
	mr = (struct kvm_userspace_memory_region){ .slot = 0, .guest_phys_addr = 0,
		.memory_size = h->ram_size, .userspace_addr = (uintptr_t)ram };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &mr) < 0) {
		tg_fail(st, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
		goto out;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	run = mmap(NULL, ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu, 0);
	set_cpuid(kvm, vcpu);
	ioctl(vcpu, KVM_GET_SREGS, &ks);
	memcpy(&vs, &ks, sizeof(vs));
	tg_entry_state(h, &vs, &vr);
	memcpy(&ks, &vs, sizeof(vs));
	if (ioctl(vcpu, KVM_SET_SREGS, &ks) < 0 || ioctl(vcpu, KVM_SET_REGS, &vr) < 0) {
		tg_fail(st, "KVM_SET_SREGS/REGS: %s", strerror(errno));
		goto out;
	}
	if (getenv("KVMRUN_DEBUG")) {
		ioctl(vcpu, KVM_GET_SREGS, &ks);
		printf("entry: cr0 %lx cr3 %lx cr4 %lx efer %lx (wanted cr0 %lx)\n",
		       (unsigned long)ks.cr0, (unsigned long)ks.cr3, (unsigned long)ks.cr4,
		       (unsigned long)ks.efer, (unsigned long)vs.cr0);
	}
	run_page = run;
	for (;;) {
		struct tg_event ev;
		bool go = true;

		if (pending_irq >= 0) {
			if (run->ready_for_interrupt_injection && run->if_flag) {
				struct kvm_interrupt irq = { .irq = pending_irq };

				ioctl(vcpu, KVM_INTERRUPT, &irq);
				pending_irq = -1;
				run->request_interrupt_window = 0;
			} else {
				run->request_interrupt_window = 1;
			}
		}
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			if (errno != EINTR) {
				tg_fail(st, "KVM_RUN: %s", strerror(errno));
				break;
			}
			run->immediate_exit = 0;
			if (pending_exc >= 0) {
				/* The OUT is complete now: inject as the core would. */
				struct kvm_vcpu_events e;

				ioctl(vcpu, KVM_GET_VCPU_EVENTS, &e);
				e.exception.injected = 1;
				e.exception.nr = pending_exc;
				e.exception.has_error_code = pending_exc == 8 ||
					(pending_exc >= 10 && pending_exc <= 14) || pending_exc == 17;
				e.exception.error_code = 0;
				e.flags = 0;
				ioctl(vcpu, KVM_SET_VCPU_EVENTS, &e);
				pending_exc = -1;
				continue;
			}
			if (now() >= deadline) {
				tg_deadline(st);
				break;
			}
			continue;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_IO:
			go = tg_io(st, run->io.port, run->io.size, run->io.direction == KVM_EXIT_IO_IN,
				   (uint8_t *)run + run->io.data_offset, run->io.count, &ev);
			if (ev.type == TG_EVENT_EXTINT)
				pending_irq = ev.vector;
			if (ev.type == TG_EVENT_EXCEPTION) {
				pending_exc = ev.vector;
				run->immediate_exit = 1;
			}
			if (go && st->expect == TG_EXPECT_SPIN)
				deadline = now() + 0.2;
			break;
		case KVM_EXIT_HLT:
			go = tg_hlt(st);
			break;
		case KVM_EXIT_IRQ_WINDOW_OPEN:
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_MMIO:
			go = tg_mmio(st, run->mmio.phys_addr, run->mmio.is_write);
			break;
		case KVM_EXIT_SHUTDOWN:
			if (getenv("KVMRUN_DEBUG")) {
				ioctl(vcpu, KVM_GET_REGS, &vr);
				ioctl(vcpu, KVM_GET_SREGS, &ks);
				printf("shutdown: rip %lx rsp %lx cr0 %lx cr2 %lx cr3 %lx cr4 %lx efer %lx\n",
				       (unsigned long)vr.rip, (unsigned long)vr.rsp,
				       (unsigned long)ks.cr0, (unsigned long)ks.cr2,
				       (unsigned long)ks.cr3, (unsigned long)ks.cr4,
				       (unsigned long)ks.efer);
			}
			go = tg_shutdown(st);
			break;
		default:
			tg_fail(st, "unexpected KVM exit %u", run->exit_reason);
			go = false;
		}
		if (!go)
			break;
		if (now() >= deadline) {
			tg_deadline(st);
			break;
		}
	}
	run_page = NULL;
	close(vcpu);
out:
	munmap(ram, h->ram_size);
	close(vm);
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 20000 }, { 0, 20000 } };
	unsigned int passed = 0, failed = 0;
	int kvm = open("/dev/kvm", O_RDWR);

	if (kvm < 0) {
		perror("/dev/kvm");
		return 2;
	}
	signal(SIGALRM, on_alarm);
	setitimer(ITIMER_REAL, &it, NULL);	/* the "host timer" that preempts spinning guests */
	for (int i = 1; i < argc; i++) {
		const char *name = strrchr(argv[i], '/') ? strrchr(argv[i], '/') + 1 : argv[i];
		struct tg_state st;
		struct tg_header h;
		char why[128];
		struct stat sb;
		void *img = NULL;
		int fd = open(argv[i], O_RDONLY);

		tg_init(&st, name);
		if (fd < 0 || fstat(fd, &sb) < 0) {
			tg_fail(&st, "cannot open: %s", strerror(errno));
		} else {
			img = malloc(sb.st_size + 1);
			if (read(fd, img, sb.st_size) != sb.st_size)
				tg_fail(&st, "short read");
			else if (tg_parse_header(img, sb.st_size, &h, why, sizeof(why)))
				tg_fail(&st, "bad header: %s", why);
			else
				run_guest(&st, kvm, &h, img);
		}
		if (fd >= 0)
			close(fd);
		free(img);
		if (tg_finish(&st))
			passed++;
		else
			failed++;
	}
	printf("guests: %u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}
