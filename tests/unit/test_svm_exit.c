/* unit-sources: arch/x86/svm/svm_exit.c arch/x86/svm/svm_seg.c hv/format.c */
/* SVM exit decoding and VMCB segment attribute conversion, from hand-built VMCBs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/svm/svm.h"

static struct vmcb vmcb;
static struct vcpu_regs regs;

static void decode(uint64_t code, uint64_t info1, uint64_t info2, bool nrips, struct vcpu_exit *e)
{
	vmcb.control.exit_code = code;
	vmcb.control.exit_info1 = info1;
	vmcb.control.exit_info2 = info2;
	memset(e, 0xa5, sizeof(*e));
	svm_decode_exit(&vmcb, &regs, nrips, e);
	assert_int_equal(e->hw_reason, code);
	assert_int_equal(e->hw_qual, info1);
}

static void ioio(void **state)
{
	struct vcpu_exit e;

	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.rip = 0x1000;
	/* out dx, ax to 0x3f8 (SZ16, A16) with the next RIP 1 byte on. */
	decode(SVM_EXIT_IOIO, (0x3f8ull << 16) | (1 << 5) | (1 << 7), 0x1001, false, &e);
	assert_int_equal(e.reason, EXIT_IO);
	assert_int_equal(e.io.port, 0x3f8);
	assert_int_equal(e.io.size, 2);
	assert_false(e.io.in);
	assert_false(e.io.string);
	assert_int_equal(e.insn_len, 1);
	assert_int_equal(e.io.seg, -1);
	assert_int_equal(e.io.count, 1);
	/* rep insd, 64-bit addressing, port 0x1f0, with a REX/prefix: len 3. */
	decode(SVM_EXIT_IOIO, (0x1f0ull << 16) | 1 | 4 | 8 | (1 << 6) | (1 << 9), 0x1003, false, &e);
	assert_int_equal(e.reason, EXIT_IO);
	assert_true(e.io.in);
	assert_true(e.io.string);
	assert_true(e.io.rep);
	assert_int_equal(e.io.size, 4);
	assert_int_equal(e.io.addr_size, 8);
	assert_int_equal(e.insn_len, 3);
	/* 32-bit addressing, byte. */
	decode(SVM_EXIT_IOIO, (0x80ull << 16) | (1 << 4) | (1 << 8), 0x1002, false, &e);
	assert_int_equal(e.io.size, 1);
	assert_int_equal(e.io.addr_size, 4);
}

static void instructions(void **state)
{
	struct vcpu_exit e;

	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	vmcb.save.rip = 0x2000;
	decode(SVM_EXIT_CPUID, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_CPUID);
	assert_int_equal(e.insn_len, 2);
	decode(SVM_EXIT_HLT, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_HLT);
	assert_int_equal(e.insn_len, 1);
	decode(SVM_EXIT_VMMCALL, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_HYPERCALL);
	assert_int_equal(e.insn_len, 3);
	regs.rcx = 0xffffffffc0000080ull;
	decode(SVM_EXIT_MSR, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_RDMSR);
	assert_int_equal(e.msr.index, 0xc0000080u);
	assert_int_equal(e.insn_len, 2);
	decode(SVM_EXIT_MSR, 1, 0, false, &e);
	assert_int_equal(e.reason, EXIT_WRMSR);
	/* With NRIP save the length comes from the VMCB (prefixed CPUID). */
	vmcb.control.next_rip = 0x2003;
	decode(SVM_EXIT_CPUID, 0, 0, true, &e);
	assert_int_equal(e.insn_len, 3);
	for (uint64_t c = SVM_EXIT_VMRUN; c <= SVM_EXIT_SKINIT; c++) {
		if (c == SVM_EXIT_VMMCALL)
			continue;
		decode(c, 0, 0, false, &e);
		assert_int_equal(e.reason, EXIT_VIRT_INSN);
		assert_int_equal(e.insn_len, 3);
	}
	decode(SVM_EXIT_INVLPGA, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_VIRT_INSN);
}

static void events_and_faults(void **state)
{
	struct vcpu_exit e;

	(void)state;
	memset(&vmcb, 0, sizeof(vmcb));
	decode(SVM_EXIT_INTR, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_EXTINT);
	assert_int_equal(e.insn_len, 0);
	decode(SVM_EXIT_NMI, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_EXTINT);
	decode(SVM_EXIT_VINTR, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_INTR_WINDOW);
	decode(SVM_EXIT_IRET, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_NMI_WINDOW);
	decode(SVM_EXIT_SHUTDOWN, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_SHUTDOWN);

	decode(SVM_EXIT_EXCP_BASE + 14, 0x6, 0xdead000, false, &e);
	assert_int_equal(e.reason, EXIT_EXCEPTION);
	assert_int_equal(e.exception.vector, 14);
	assert_true(e.exception.has_error_code);
	assert_int_equal(e.exception.error_code, 6);
	assert_int_equal(e.exception.cr2, 0xdead000);
	decode(SVM_EXIT_EXCP_BASE + 6, 0, 0, false, &e);
	assert_int_equal(e.exception.vector, 6);
	assert_false(e.exception.has_error_code);
	assert_int_equal(e.exception.error_code, 0);

	/* #NPF: not present -> MMIO; present -> protection. */
	decode(SVM_EXIT_NPF, (1ull << 32) | 2, 0xfee00030, false, &e);
	assert_int_equal(e.reason, EXIT_MMIO);
	assert_int_equal(e.mmio.gpa, 0xfee00030);
	assert_true(e.mmio.write);
	assert_false(e.mmio.fetch);
	assert_false(e.mmio.gva_valid);
	decode(SVM_EXIT_NPF, (1ull << 32) | 0x11, 0x5000, false, &e);
	assert_int_equal(e.reason, EXIT_NPF_PROTECTION);
	assert_true(e.mmio.fetch);
	assert_false(e.mmio.write);

	decode(SVM_EXIT_INVALID, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_ENTRY_FAILED);
	assert_non_null(e.fail.why);
	/* Not expected: the core reports it instead of guessing. */
	decode(0x8e, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_UNHANDLED);
	decode(0x401, 0, 0, false, &e);
	assert_int_equal(e.reason, EXIT_UNHANDLED);
	decode(0x00, 0, 0, false, &e);	/* CR0 read: never intercepted */
	assert_int_equal(e.reason, EXIT_UNHANDLED);
}

static void segments(void **state)
{
	struct vmcb_seg in = { .selector = 0x10, .attrib = 0xc93, .limit = 0xffffffff, .base = 0 };
	struct vmcb_seg back;
	struct vcpu_segment s;

	(void)state;
	svm_seg_get(&in, &s);
	assert_int_equal(s.type, 3);
	assert_int_equal(s.s, 1);
	assert_int_equal(s.dpl, 0);
	assert_int_equal(s.present, 1);
	assert_int_equal(s.db, 1);
	assert_int_equal(s.g, 1);
	assert_int_equal(s.l, 0);
	assert_int_equal(s.unusable, 0);
	assert_int_equal(s.limit, 0xffffffff);
	svm_seg_set(&back, &s);
	assert_memory_equal(&back, &in, sizeof(in));

	/* 64-bit user code: L, DPL 3. */
	in.attrib = 0x2fb;
	svm_seg_get(&in, &s);
	assert_int_equal(s.l, 1);
	assert_int_equal(s.dpl, 3);
	assert_int_equal(s.type, 0xb);
	svm_seg_set(&back, &s);
	assert_int_equal(back.attrib, 0x2fb);

	/* Not present <-> unusable; DPL survives (SS.DPL is the CPL). */
	in.attrib = 0x0f3 & ~SVM_ATTR_P;
	svm_seg_get(&in, &s);
	assert_int_equal(s.unusable, 1);
	s.g = 1;
	svm_seg_set(&back, &s);
	assert_int_equal(back.attrib & SVM_ATTR_P, 0);
	assert_int_equal(back.attrib & SVM_ATTR_G, 0);
	assert_int_equal((back.attrib >> SVM_ATTR_DPL_SHIFT) & 3, 3);

	struct vcpu_dtable dt = { .base = 0xffff800000001000ull, .limit = 0xfff };
	struct vcpu_dtable dt2;

	svm_dtable_set(&back, &dt);
	svm_dtable_get(&back, &dt2);
	assert_int_equal(dt2.base, dt.base);
	assert_int_equal(dt2.limit, dt.limit);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ioio),
		cmocka_unit_test(instructions),
		cmocka_unit_test(events_and_faults),
		cmocka_unit_test(segments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
