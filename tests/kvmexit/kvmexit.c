/*
 * The core's kvm_run exits from ring 3, with the raw syscalls (this program is
 * the service domain, module 0): a guest does MMIO in real mode and in 32-bit
 * protected mode — mov of every width, 16- and 8-bit (AH) merges, movzx,
 * movsx, rep stos, movs in both directions, a read-modify-write, lods — and
 * the VMM answers each KVM_EXIT_MMIO; then int3 with KVM_GUESTDBG_USE_SW_BP,
 * single steps, a hardware breakpoint, an interrupt window, and an
 * instruction the core cannot emulate (KVM_INTERNAL_ERROR_EMULATION).
 * Prints "kvmexit: PASS" or "kvmexit: FAIL ..." and powers off.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <linux/kvm.h>
#include <tern/syscall.h>
#include <tern/tern.h>

#define sys(nr, a, b, c, d, e, f)	tern_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

#define RAM_SIZE	0x10000u
#define RM_GPA		0x1000u
#define PM_GPA		0x2000u
#define DEV		0xd0000000u

static int failures;
/* "no-hw-bp": the platform cannot take guest hardware breakpoints (QEMU's
 * SVM does not install the DR7 breakpoints of the VMCB at VMRUN). */
static int no_hw_bp;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			printf("kvmexit: FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			failures++;					\
		}							\
	} while (0)

__asm__(".pushsection .rodata\n"
	".code16\n"
	"rm_start:\n"
	"	mov $0xa000, %ax\n"
	"	mov %ax, %es\n"
	"	movw $0x1234, %es:4\n"
	"	movl $0x11223344, %es:8\n"
	"	movb %es:6, %al\n"
	"	out %al, $0x10\n"
	"	hlt\n"
	"rm_end:\n"
	".code32\n"
	"pm_start:\n"
	"	mov $0xd0000000, %ebx\n"
	"	movb $0x11, (%ebx)\n"
	"	movw $0x2233, 2(%ebx)\n"
	"	movl $0x44556677, 4(%ebx)\n"
	"	movzbl 0x10(%ebx), %eax\n"
	"	out %eax, $0x10\n"
	"	movsbl 0x10(%ebx), %eax\n"
	"	out %eax, $0x10\n"
	"	movswl 0x12(%ebx), %eax\n"
	"	out %eax, $0x10\n"
	"	mov $0x12345678, %eax\n"
	"	movw 0x14(%ebx), %ax\n"
	"	out %eax, $0x10\n"
	"	movb 0x16(%ebx), %ah\n"
	"	out %eax, $0x10\n"
	"	cld\n"
	"	mov $0xd0000100, %edi\n"
	"	mov $3, %ecx\n"
	"	mov $0xcafebabe, %eax\n"
	"	rep stosl\n"
	"	mov %ecx, %eax\n"
	"	out %eax, $0x10\n"
	"	mov $0x3000, %esi\n"
	"	mov $0xd0000200, %edi\n"
	"	mov $2, %ecx\n"
	"	rep movsw\n"
	"	mov $0xd0000300, %esi\n"
	"	mov $0x3100, %edi\n"
	"	movsl\n"
	"	mov 0x3100, %eax\n"
	"	out %eax, $0x10\n"
	"	orl $1, 0x20(%ebx)\n"
	"	mov $0xd0000400, %esi\n"
	"	lodsb\n"
	"	out %eax, $0x10\n"
	"	out %eax, $0x20\n"
	"pm_int3:\n"
	"	int3\n"
	"	out %eax, $0x21\n"
	"pm_step:\n"
	"	nop\n"
	"	inc %eax\n"
	"	nop\n"
	"	out %eax, $0x22\n"
	"	nop\n"
	"pm_hwbp:\n"
	"	nop\n"
	"	out %eax, $0x23\n"
	"	sti\n"
	"pm_sti:\n"
	"	nop\n"
	"pm_window:\n"
	"	nop\n"
	"	cli\n"
	"pm_bad:\n"
	"	incl (%ebx)\n"
	"	hlt\n"
	"pm_end:\n"
	".code64\n"
	".popsection\n");
extern const uint8_t rm_start[], rm_end[], pm_start[], pm_int3[], pm_step[], pm_hwbp[],
	pm_window[], pm_bad[], pm_end[];

#define PM(label)	(PM_GPA + (uint32_t)((label) - pm_start))

enum kind { MW, MR, OUT, DBG, WIN, EMUL, HALT };

struct event {
	enum kind kind;
	uint64_t a;		/* MMIO address, port, DEBUG exception */
	uint32_t len;		/* MMIO length; DEBUG: pc */
	uint64_t value;		/* write data / read answer / OUT value; DEBUG: DR6 bit */
	const char *what;
};

static const struct event rm_script[] = {
	{ MW, 0xa0004, 2, 0x1234, "real mode: 2-byte write through ES" },
	{ MW, 0xa0008, 4, 0x11223344, "real mode: 32-bit operand-size write" },
	{ MR, 0xa0006, 1, 0x99, "real mode: 1-byte read" },
	{ OUT, 0x10, 1, 0x99, "real mode: the read reached AL" },
	{ HALT, 0, 0, 0, "real mode: hlt" },
};

static const struct event pm_script[] = {
	{ MW, DEV + 0, 1, 0x11, "movb store" },
	{ MW, DEV + 2, 2, 0x2233, "movw store" },
	{ MW, DEV + 4, 4, 0x44556677, "movl store" },
	{ MR, DEV + 0x10, 1, 0x80, "movzbl read" },
	{ OUT, 0x10, 4, 0x80, "movzbl zero-extends" },
	{ MR, DEV + 0x10, 1, 0x80, "movsbl read" },
	{ OUT, 0x10, 4, 0xffffff80, "movsbl sign-extends" },
	{ MR, DEV + 0x12, 2, 0x8001, "movswl read" },
	{ OUT, 0x10, 4, 0xffff8001, "movswl sign-extends" },
	{ MR, DEV + 0x14, 2, 0xbeef, "movw load" },
	{ OUT, 0x10, 4, 0x1234beef, "a 16-bit load keeps the upper half" },
	{ MR, DEV + 0x16, 1, 0x5a, "movb load into AH" },
	{ OUT, 0x10, 4, 0x12345aef, "AH is bits 8-15" },
	{ MW, DEV + 0x100, 4, 0xcafebabe, "rep stosl element 1" },
	{ MW, DEV + 0x104, 4, 0xcafebabe, "rep stosl element 2" },
	{ MW, DEV + 0x108, 4, 0xcafebabe, "rep stosl element 3" },
	{ OUT, 0x10, 4, 0, "rep stosl counted ECX down to 0" },
	{ MW, DEV + 0x200, 2, 0x4241, "rep movsw RAM -> MMIO element 1" },
	{ MW, DEV + 0x202, 2, 0x4443, "rep movsw RAM -> MMIO element 2" },
	{ MR, DEV + 0x300, 4, 0x01020304, "movsl MMIO -> RAM: the read" },
	{ OUT, 0x10, 4, 0x01020304, "movsl stored the MMIO value in RAM" },
	{ MR, DEV + 0x20, 4, 0x40, "orl: the read" },
	{ MW, DEV + 0x20, 4, 0x41, "orl: the write of the result" },
	{ MR, DEV + 0x400, 1, 0x77, "lodsb read" },
	{ OUT, 0x10, 4, 0x01020377, "lodsb filled AL only" },
	{ OUT, 0x20, 4, 0x01020377, "(USE_SW_BP on)" },
	{ DBG, 3, 0, 0, "int3 with USE_SW_BP: KVM_EXIT_DEBUG #BP at the int3" },
	{ OUT, 0x21, 4, 0x01020377, "(SINGLESTEP on)" },
	{ DBG, 1, 1, 0x4000, "single step 1 (BS)" },
	{ DBG, 1, 2, 0x4000, "single step 2 (BS)" },
	{ DBG, 1, 3, 0x4000, "single step 3 (BS)" },
	{ OUT, 0x22, 4, 0x01020378, "(USE_HW_BP on)" },
	{ DBG, 1, 0, 0x1, "hardware breakpoint 0 (B0)" },
	{ OUT, 0x23, 4, 0x01020378, "(request_interrupt_window on)" },
	{ WIN, 0, 0, 0, "KVM_EXIT_IRQ_WINDOW_OPEN after sti's shadow" },
	{ EMUL, 0, 0, 0, "incl on MMIO: KVM_INTERNAL_ERROR_EMULATION" },
};

static void *map_pages(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

static uint64_t get_le(const uint8_t *p, unsigned int len)
{
	uint64_t v = 0;

	memcpy(&v, p, len);
	return v;
}

static int vcpu_ioctl(int vcpu, unsigned long nr, void *arg)
{
	return (int)sys(TERN_SYS_VCPU_IOCTL, vcpu, nr, arg, 0, 0, 0);
}

static void set_debug(int vcpu, uint32_t control, uint64_t dr0, uint64_t dr7)
{
	struct kvm_guest_debug g = { .control = control };

	g.arch.debugreg[0] = dr0;
	g.arch.debugreg[7] = dr7;
	CHECK(vcpu_ioctl(vcpu, KVM_SET_GUEST_DEBUG, &g) == 0);
}

/* What the VMM does after the marker OUTs. */
static void marker(int vcpu, struct kvm_run *run, uint16_t port)
{
	switch (port) {
	case 0x20:
		set_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_SW_BP, 0, 0);
		break;
	case 0x21:
		set_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP, 0, 0);
		break;
	case 0x22:
		/* L0, execute breakpoint at pm_hwbp. */
		if (!no_hw_bp)
			set_debug(vcpu, KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP, PM(pm_hwbp), 0x1);
		break;
	case 0x23:
		run->request_interrupt_window = 1;
		break;
	}
}

/* The DEBUG exit's pc for event @i (single steps count from pm_step). */
static uint64_t debug_pc(const struct event *ev)
{
	if (ev->a == 3)
		return PM(pm_int3);
	if (ev->value == 0x4000)
		return PM(pm_step) + ev->len;
	return PM(pm_hwbp);
}

static int matches(int vcpu, struct kvm_run *run, const struct event *ev)
{
	uint8_t *io = (uint8_t *)run + run->io.data_offset;
	struct kvm_regs regs;

	switch (ev->kind) {
	case MW:
		return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		       run->mmio.phys_addr == ev->a && run->mmio.len == ev->len &&
		       get_le(run->mmio.data, ev->len) == ev->value;
	case MR:
		if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.is_write ||
		    run->mmio.phys_addr != ev->a || run->mmio.len != ev->len)
			return 0;
		memcpy(run->mmio.data, &ev->value, ev->len);
		return 1;
	case OUT:
		return run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
		       run->io.port == ev->a && get_le(io, run->io.size) == (ev->value &
		       (run->io.size == 4 ? 0xffffffffu : 0xffu));
	case DBG:
		if (run->exit_reason != KVM_EXIT_DEBUG)
			return 0;
		printf("kvmexit: debug exit #%u pc %#llx dr6 %#llx dr7 %#llx\n",
		       run->debug.arch.exception, (unsigned long long)run->debug.arch.pc,
		       (unsigned long long)run->debug.arch.dr6,
		       (unsigned long long)run->debug.arch.dr7);
		if (run->debug.arch.exception != ev->a || run->debug.arch.pc != debug_pc(ev))
			return 0;
		if (ev->a == 1 && !(run->debug.arch.dr6 & ev->value))
			return 0;
		if (ev->a == 3) {
			/* The guest never sees its int3: step over it. */
			CHECK(vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) == 0);
			CHECK(regs.rip == PM(pm_int3));
			regs.rip++;
			CHECK(vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) == 0);
			set_debug(vcpu, 0, 0, 0);
		} else if (ev->value == 0x4000) {
			/* TF is the debugger's: KVM_GET_REGS does not show it. */
			CHECK(vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) == 0);
			CHECK(!(regs.rflags & 0x100));
			if (ev->len == 3)
				set_debug(vcpu, 0, 0, 0);
		} else {
			CHECK((run->debug.arch.dr7 & 0x3) == 0x1);
			set_debug(vcpu, 0, 0, 0);
		}
		return 1;
	case WIN:
		if (run->exit_reason != KVM_EXIT_IRQ_WINDOW_OPEN)
			return 0;
		CHECK(run->if_flag == 1 && run->ready_for_interrupt_injection == 1);
		CHECK(vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) == 0);
		printf("kvmexit: interrupt window at %#llx\n", (unsigned long long)regs.rip);
		CHECK(regs.rip == PM(pm_window));
		run->request_interrupt_window = 0;
		return 1;
	case EMUL:
		if (run->exit_reason != KVM_EXIT_INTERNAL_ERROR ||
		    run->emulation_failure.suberror != KVM_INTERNAL_ERROR_EMULATION)
			return 0;
		printf("kvmexit: emulation failure ndata %u flags %#llx insn_size %u bytes %02x %02x\n",
		       run->emulation_failure.ndata,
		       (unsigned long long)run->emulation_failure.flags,
		       run->emulation_failure.insn_size, run->emulation_failure.insn_bytes[0],
		       run->emulation_failure.insn_bytes[1]);
		CHECK(run->emulation_failure.flags &
		      KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES);
		CHECK(run->emulation_failure.insn_size >= 2 &&
		      run->emulation_failure.insn_bytes[0] == 0xff &&
		      run->emulation_failure.insn_bytes[1] == 0x03);
		CHECK(vcpu_ioctl(vcpu, KVM_GET_REGS, &regs) == 0);
		CHECK(regs.rip == PM(pm_bad));
		return 1;
	case HALT:
		return run->exit_reason == KVM_EXIT_HLT;
	}
	return 0;
}

static void describe(struct kvm_run *run, const char *what)
{
	printf("kvmexit: FAIL %s: exit %u", what, run->exit_reason);
	if (run->exit_reason == KVM_EXIT_MMIO)
		printf(" (mmio %s %#llx len %u data %#llx)", run->mmio.is_write ? "write" : "read",
		       (unsigned long long)run->mmio.phys_addr, run->mmio.len,
		       (unsigned long long)get_le(run->mmio.data, 8));
	else if (run->exit_reason == KVM_EXIT_IO)
		printf(" (io port %#x size %u data %#llx)", run->io.port, run->io.size,
		       (unsigned long long)get_le((uint8_t *)run + run->io.data_offset, 4));
	else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
		printf(" (suberror %u)", run->internal.suberror);
	printf("\n");
	failures++;
}

static int play(int vcpu, struct kvm_run *run, const struct event *s, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		long r;

		if (no_hw_bp && s[i].kind == DBG && s[i].value == 0x1) {
			printf("kvmexit: skipped %s (no-hw-bp)\n", s[i].what);
			continue;
		}
		r = sys(TERN_SYS_VCPU_RUN, vcpu, 0, 0, 0, 0, 0);

		if (r) {
			printf("kvmexit: FAIL %s: KVM_RUN %ld\n", s[i].what, r);
			failures++;
			return -1;
		}
		if (!matches(vcpu, run, &s[i])) {
			describe(run, s[i].what);
			return -1;
		}
		/* Every exit carries the interrupt fields. */
		if (s[i].kind == MW || s[i].kind == MR)
			CHECK(run->if_flag == 0 && run->ready_for_interrupt_injection == 0);
		if (s[i].kind == OUT)
			marker(vcpu, run, run->io.port);
		printf("kvmexit: ok %s\n", s[i].what);
	}
	return 0;
}

static void set_flat32(struct kvm_segment *sg, uint16_t sel, uint8_t type)
{
	*sg = (struct kvm_segment){ .base = 0, .limit = 0xffffffff, .selector = sel,
				    .type = type, .present = 1, .dpl = 0, .db = 1, .s = 1,
				    .g = 1 };
}

int main(int argc, char **argv)
{
	uint8_t *ram = map_pages(RAM_SIZE);
	struct kvm_sregs sregs;
	struct kvm_regs regs;
	struct kvm_run *run;
	int vm, vcpu;

	setvbuf(stdout, NULL, _IONBF, 0);
	no_hw_bp = argc > 1 && !strcmp(argv[1], "no-hw-bp");
	CHECK(ram != NULL);
	memcpy(ram + RM_GPA, rm_start, rm_end - rm_start);
	memcpy(ram + PM_GPA, pm_start, pm_end - pm_start);
	memcpy(ram + 0x3000, "ABCD", 4);
	vm = (int)sys(TERN_SYS_VM_CREATE, TERN_H_ROOT, 0, 0, 0, 0, 0);
	CHECK(vm >= 0);
	CHECK(sys(TERN_SYS_VM_MAP, vm, TERN_H_SELF, ram, 0, RAM_SIZE, 0) == 0);
	vcpu = (int)sys(TERN_SYS_VCPU_CREATE, vm, 0, 0, 0, 0, 0);
	CHECK(vcpu >= 0);
	run = (struct kvm_run *)sys(TERN_SYS_VCPU_MAP_RUN, vcpu, 0, 0, 0, 0, 0);
	CHECK((long)run > 0);
	if (failures)
		goto out;

	/* Real mode at 0:RM_GPA. */
	CHECK(vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) == 0);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	CHECK(vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) == 0);
	memset(&regs, 0, sizeof(regs));
	regs.rip = RM_GPA;
	regs.rflags = 2;
	CHECK(vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) == 0);
	if (play(vcpu, run, rm_script, sizeof(rm_script) / sizeof(rm_script[0])))
		goto out;

	/* Flat 32-bit protected mode without paging at PM_GPA. */
	CHECK(vcpu_ioctl(vcpu, KVM_GET_SREGS, &sregs) == 0);
	set_flat32(&sregs.cs, 0x8, 0xb);
	set_flat32(&sregs.ds, 0x10, 0x3);
	sregs.es = sregs.fs = sregs.gs = sregs.ss = sregs.ds;
	sregs.cr0 |= 1;
	CHECK(vcpu_ioctl(vcpu, KVM_SET_SREGS, &sregs) == 0);
	memset(&regs, 0, sizeof(regs));
	regs.rip = PM_GPA;
	regs.rsp = 0x8000;
	regs.rflags = 2;
	CHECK(vcpu_ioctl(vcpu, KVM_SET_REGS, &regs) == 0);
	play(vcpu, run, pm_script, sizeof(pm_script) / sizeof(pm_script[0]));
	CHECK(!memcmp(ram + 0x3100, "\x04\x03\x02\x01", 4));

out:
	if (failures)
		printf("kvmexit: FAIL (%d failures)\n", failures);
	else
		printf("kvmexit: PASS\n");
	tern_power_off(TERN_H_ROOT);
	return 1;
}
