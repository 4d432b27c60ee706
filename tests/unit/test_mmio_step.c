/* unit-sources: emul/mmio_step.c emul/mmio_emul.c emul/insn_alu.c emul/insn_decode.c hv/insn_len.c hv/pio_string.c hv/format.c */
/*
 * MMIO instructions as device accesses (emul/mmio_step.c): which exits a
 * guest's MMIO instruction produces, when RIP moves (write: at the exit; read:
 * when the data comes), what the data does to the registers (also after the
 * registers were changed between the exit and the completion), RAM on the
 * other side of MOVS or a read-only slot, REP one element per exit, faults
 * and page-crossing accesses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emul/mmio_step.h"
#include "hv/errno.h"

/* Guest memory: RAM at [0, RAM_SIZE), the page at ROM_GPA read-only, the rest
 * is a device. No paging: linear = physical, except FAULT_LIN. */
#define RAM_SIZE	0x10000u
#define ROM_GPA		0x8000u
#define DEV		0xd0000000ULL
#define FAULT_LIN	0xe0000000ULL

struct fake {
	uint8_t ram[RAM_SIZE];
	uint64_t ds_base;
	int translations, faults;
};

static uint64_t fake_seg(void *ctx, int seg)
{
	struct fake *f = ctx;

	return seg == SEG_DS ? f->ds_base : 0;
}

static int fake_translate(void *ctx, uint64_t lin, bool write, uint64_t *gpa)
{
	struct fake *f = ctx;

	(void)write;
	f->translations++;
	if ((lin & ~0xfffULL) == FAULT_LIN) {
		f->faults++;
		return 1;
	}
	*gpa = lin;
	return 0;
}

static int fake_read(void *ctx, uint64_t gpa, void *buf, unsigned int len)
{
	struct fake *f = ctx;

	if (gpa + len > RAM_SIZE)
		return -EFAULT;
	memcpy(buf, f->ram + gpa, len);
	return 0;
}

static int fake_write(void *ctx, uint64_t gpa, const void *buf, unsigned int len)
{
	struct fake *f = ctx;

	if (gpa + len > RAM_SIZE || (gpa & ~0xfffULL) == ROM_GPA)
		return -EFAULT;
	memcpy(f->ram + gpa, buf, len);
	return 0;
}

static struct fake mem;
static const struct mmio_env env = {
	.ctx = &mem, .seg_base = fake_seg, .translate = fake_translate,
	.ram_read = fake_read, .ram_write = fake_write,
};

#define DEC(in, mode, ...) do { \
		static const uint8_t _b[] = { __VA_ARGS__ }; \
		assert_int_equal(insn_decode(_b, sizeof(_b), mode, &(in)), 0); \
	} while (0)

static int setup(void **state)
{
	(void)state;
	memset(&mem, 0, sizeof(mem));
	return 0;
}

static struct vcpu_regs regs(void)
{
	return (struct vcpu_regs){ .rax = 0x1122334455667788ULL, .rbx = DEV,
				   .rcx = 3, .rsi = 0x1000, .rdi = DEV, .rip = 0x400000,
				   .rflags = 0x2 };
}

static void write_exits_with_rip_advanced(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x89, 0x43, 0x08);	/* mov [rbx+8],eax */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_true(req.write);
	assert_int_equal(req.gpa, DEV + 8);
	assert_int_equal(req.len, 4);
	assert_int_equal(req.data, 0x55667788);
	assert_false(st.pending);
	assert_int_equal(r.rip, 0x400003);

	DEC(in, INSN_MODE_64, 0x48, 0xc7, 0x03, 0xff, 0xff, 0xff, 0xff); /* movq [rbx],-1 */
	r = regs();
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(req.len, 8);
	assert_int_equal(req.data, ~0ULL);
}

static void read_completes_on_current_registers(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x0f, 0xbe, 0x43, 0x10);	/* movsx eax,byte [rbx+16] */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_false(req.write);
	assert_int_equal(req.gpa, DEV + 16);
	assert_int_equal(req.len, 1);
	assert_true(st.pending);
	assert_int_equal(r.rip, 0x400000);	/* not before the data comes */

	/* KVM_SET_REGS between the exit and the next KVM_RUN. */
	r.rax = 0xffffffffffffffffULL;
	r.rbx = 0;
	r.rip = 0x500000;
	assert_int_equal(mmio_step_finish(&st, &r, 0x80, &env, &req), MMIO_STEP_RESUME);
	assert_false(st.pending);
	assert_int_equal(r.rax, 0xffffff80ULL);	/* 32-bit write zero-extends */
	assert_int_equal(r.rip, 0x500004);
	assert_int_equal(mmio_step_finish(&st, &r, 0, &env, &req), -EINVAL);

	DEC(in, INSN_MODE_64, 0x66, 0x0f, 0xb6, 0x03);	/* movzx ax,byte [rbx] */
	r = regs();
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(mmio_step_finish(&st, &r, 0xfe, &env, &req), MMIO_STEP_RESUME);
	assert_int_equal(r.rax, 0x11223344556600feULL);
}

static void second_start_while_pending_is_refused(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x8b, 0x03);		/* mov eax,[rbx] */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), -EINVAL);
}

static void rmw_reads_then_writes(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x83, 0x0b, 0x01);	/* or dword [rbx],1 */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_false(req.write);
	assert_int_equal(mmio_step_finish(&st, &r, 0x40, &env, &req), MMIO_STEP_EXIT);
	assert_true(req.write);
	assert_int_equal(req.gpa, DEV);
	assert_int_equal(req.data, 0x41);
	assert_int_equal(r.rip, 0x400003);

	/* cmp: a read and flags, no write */
	DEC(in, INSN_MODE_64, 0x39, 0x03);		/* cmp [rbx],eax */
	r = regs();
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(mmio_step_finish(&st, &r, 0x55667788, &env, &req), MMIO_STEP_RESUME);
	assert_true(r.rflags & (1 << 6));		/* ZF */
	assert_int_equal(r.rip, 0x400002);
}

static void readonly_slot_rmw_reads_ram(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	mem.ram[ROM_GPA + 4] = 0x10;
	r.rbx = ROM_GPA;
	DEC(in, INSN_MODE_64, 0x80, 0x43, 0x04, 0x05);	/* add byte [rbx+4],5 */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_true(req.write);
	assert_int_equal(req.gpa, ROM_GPA + 4);
	assert_int_equal(req.data, 0x15);
	assert_int_equal(mem.ram[ROM_GPA + 4], 0x10);
	assert_false(st.pending);
}

static void movs_between_ram_and_device(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	memcpy(mem.ram + 0x1000, "\x01\x02\x03\x04\x05\x06", 6);
	/* rep movsw RAM -> device: one element per exit, RIP kept until the last */
	DEC(in, INSN_MODE_64, 0xf3, 0x66, 0xa5);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
		assert_true(req.write);
		assert_int_equal(req.gpa, DEV + 2 * i);
		assert_int_equal(req.len, 2);
		assert_int_equal(req.data, (uint64_t)(2 * i + 1) | (uint64_t)(2 * i + 2) << 8);
		assert_int_equal(r.rcx, 2 - i);
		assert_int_equal(r.rip, i == 2 ? 0x400003 : 0x400000);
	}
	assert_int_equal(r.rsi, 0x1006);
	assert_int_equal(r.rdi, DEV + 6);

	/* movsb device -> RAM: a read exit, then the store to RAM */
	DEC(in, INSN_MODE_64, 0xa4);
	r = regs();
	r.rsi = DEV + 0x20;
	r.rdi = 0x2000;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_false(req.write);
	assert_int_equal(req.gpa, DEV + 0x20);
	assert_int_equal(mmio_step_finish(&st, &r, 0x7e, &env, &req), MMIO_STEP_RESUME);
	assert_int_equal(mem.ram[0x2000], 0x7e);
	assert_int_equal(r.rsi, DEV + 0x21);
	assert_int_equal(r.rdi, 0x2001);
	assert_int_equal(r.rip, 0x400001);

	/* movsd device -> device: read exit, then write exit */
	DEC(in, INSN_MODE_64, 0xa5);
	r = regs();
	r.rsi = DEV + 0x40;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(mmio_step_finish(&st, &r, 0xcafef00d, &env, &req), MMIO_STEP_EXIT);
	assert_true(req.write);
	assert_int_equal(req.gpa, DEV);
	assert_int_equal(req.data, 0xcafef00d);
}

static void stos_with_df_and_zero_count(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0xf3, 0xaa);		/* rep stosb, DF=1 */
	r.rdi = DEV + 0x10;
	r.rflags |= 1 << 10;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(req.gpa, DEV + 0x10);
	assert_int_equal(req.data, 0x88);
	assert_int_equal(r.rdi, DEV + 0xf);
	assert_int_equal(r.rcx, 2);

	r = regs();
	r.rcx = 0;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_RESUME);
	assert_int_equal(r.rip, 0x400002);
	assert_int_equal(r.rdi, DEV);
}

static void real_mode_segments(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = { .rbx = 0x0010, .rax = 0xabcd, .rip = 0x100 };
	struct insn in;

	(void)state;
	mem.ds_base = 0xd0000000ULL;
	DEC(in, INSN_MODE_16, 0x89, 0x07);		/* mov [bx],ax */
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_EXIT);
	assert_int_equal(req.gpa, DEV + 0x10);
	assert_int_equal(req.len, 2);
	assert_int_equal(req.data, 0xabcd);
	assert_int_equal(r.rip, 0x102);
}

static void faults_and_page_crossing(void **state)
{
	struct mmio_state st = { 0 };
	struct mmio_request req;
	struct vcpu_regs r = regs();
	struct insn in;

	(void)state;
	/* The guest's own #PF: nothing done, RIP kept. */
	DEC(in, INSN_MODE_64, 0x8b, 0x03);		/* mov eax,[rbx] */
	r.rbx = FAULT_LIN;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), MMIO_STEP_RESUME);
	assert_int_equal(mem.faults, 1);
	assert_int_equal(r.rip, 0x400000);
	assert_false(st.pending);

	/* Four bytes at a page's last two: refused, nothing moves. */
	r = regs();
	r.rbx = DEV + 0xffe;
	assert_int_equal(mmio_step_start(&st, &in, &r, &env, &req), -EOPNOTSUPP);
	assert_int_equal(r.rip, 0x400000);
	assert_false(st.pending);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(write_exits_with_rip_advanced, setup),
		cmocka_unit_test_setup(read_completes_on_current_registers, setup),
		cmocka_unit_test_setup(second_start_while_pending_is_refused, setup),
		cmocka_unit_test_setup(rmw_reads_then_writes, setup),
		cmocka_unit_test_setup(readonly_slot_rmw_reads_ram, setup),
		cmocka_unit_test_setup(movs_between_ram_and_device, setup),
		cmocka_unit_test_setup(stos_with_df_and_zero_count, setup),
		cmocka_unit_test_setup(real_mode_segments, setup),
		cmocka_unit_test_setup(faults_and_page_crossing, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
