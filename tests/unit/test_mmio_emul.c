/* unit-sources: emul/mmio_emul.c emul/insn_alu.c emul/insn_decode.c hv/insn_len.c hv/pio_string.c hv/format.c */
/*
 * Completing decoded MMIO instructions: partial-register writes, zero and
 * sign extension, store values, ALU results and flags (compared with the
 * host CPU executing the same operation), RIP and string-register updates.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "emul/mmio_emul.h"
#include "emul/insn_alu.h"
#include "hv/errno.h"

#define DEC(in, mode, ...) do { \
		static const uint8_t _b[] = { __VA_ARGS__ }; \
		assert_int_equal(insn_decode(_b, sizeof(_b), mode, &(in)), 0); \
	} while (0)

static struct vcpu_regs base_regs(void)
{
	return (struct vcpu_regs){
		.rax = 0x1122334455667788ULL, .rbx = 0x99aabbccddeeff00ULL,
		.rcx = 0x0123456789abcdefULL, .rdx = 0xfedcba9876543210ULL,
		.rsi = 0x1000, .rdi = 0x2000, .r8 = 0x8888888888888888ULL,
		.rip = 0x400000, .rflags = 0x2,
	};
}

/* Reads @val into the destination and checks the one register it changes. */
static void check_load(const struct insn *in, uint64_t val, uint64_t *(*reg)(struct vcpu_regs *),
		       uint64_t want)
{
	struct vcpu_regs r = base_regs(), before = base_regs();
	uint64_t wval = 0x5a5a;

	assert_int_equal(mmio_complete_read(in, &r, val, &wval), 0);
	assert_int_equal(*reg(&r), want);
	assert_int_equal(wval, 0x5a5a);
	/* Nothing else moved. */
	*reg(&r) = *reg(&before);
	assert_memory_equal(&r, &before, sizeof(r));
}

static uint64_t *rax_of(struct vcpu_regs *r) { return &r->rax; }
static uint64_t *rsi_of(struct vcpu_regs *r) { return &r->rsi; }
static uint64_t *r8_of(struct vcpu_regs *r) { return &r->r8; }
static uint64_t *rbx_of(struct vcpu_regs *r) { return &r->rbx; }

static void loads_partial_registers(void **state)
{
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x8a, 0x00);		/* mov al,[rax] */
	check_load(&in, 0xffffffffffffffabULL, rax_of, 0x11223344556677abULL);
	DEC(in, INSN_MODE_64, 0x8a, 0x20);		/* mov ah,[rax] */
	check_load(&in, 0xab, rax_of, 0x112233445566ab88ULL);
	DEC(in, INSN_MODE_64, 0x8a, 0x38);		/* mov bh,[rax] */
	check_load(&in, 0x12, rbx_of, 0x99aabbccddee1200ULL);
	DEC(in, INSN_MODE_64, 0x40, 0x8a, 0x30);	/* mov sil,[rax] */
	check_load(&in, 0xcd, rsi_of, 0x10cd);
	DEC(in, INSN_MODE_64, 0x66, 0x8b, 0x00);	/* mov ax,[rax] */
	check_load(&in, 0xabcd, rax_of, 0x112233445566abcdULL);
	DEC(in, INSN_MODE_64, 0x8b, 0x00);		/* mov eax,[rax]: zero-extends */
	check_load(&in, 0xdeadbeef, rax_of, 0xdeadbeefULL);
	DEC(in, INSN_MODE_64, 0x48, 0x8b, 0x00);	/* mov rax,[rax] */
	check_load(&in, 0x0102030405060708ULL, rax_of, 0x0102030405060708ULL);
	DEC(in, INSN_MODE_64, 0x44, 0x8b, 0x00);	/* mov r8d,[rax] */
	check_load(&in, 0x80000000, r8_of, 0x80000000ULL);
	DEC(in, INSN_MODE_64, 0xa0, 0, 0, 0, 0, 0, 0, 0, 0);	/* mov al,[moffs] */
	check_load(&in, 0x11, rax_of, 0x1122334455667711ULL);
	DEC(in, INSN_MODE_16, 0x8b, 0x07);		/* 16-bit mov ax,[bx] */
	check_load(&in, 0x4321, rax_of, 0x1122334455664321ULL);
	DEC(in, INSN_MODE_64, 0x66, 0xad);		/* lodsw */
	check_load(&in, 0x7777, rax_of, 0x1122334455667777ULL);
}

static void loads_extend(void **state)
{
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x0f, 0xb6, 0x00);	/* movzx eax,byte */
	check_load(&in, 0xf0f0f0f0f0f0f080ULL, rax_of, 0x80);
	DEC(in, INSN_MODE_64, 0x66, 0x0f, 0xb6, 0x00);	/* movzx ax,byte: merges */
	check_load(&in, 0x80, rax_of, 0x1122334455660080ULL);
	DEC(in, INSN_MODE_64, 0x48, 0x0f, 0xb7, 0x00);	/* movzx rax,word */
	check_load(&in, 0x12348000, rax_of, 0x8000);
	DEC(in, INSN_MODE_64, 0x0f, 0xbe, 0x00);	/* movsx eax,byte */
	check_load(&in, 0x80, rax_of, 0xffffff80ULL);
	DEC(in, INSN_MODE_64, 0x66, 0x0f, 0xbe, 0x00);	/* movsx ax,byte: merges */
	check_load(&in, 0x80, rax_of, 0x112233445566ff80ULL);
	DEC(in, INSN_MODE_64, 0x48, 0x0f, 0xbf, 0x00);	/* movsx rax,word */
	check_load(&in, 0x8000, rax_of, 0xffffffffffff8000ULL);
	DEC(in, INSN_MODE_64, 0x48, 0x0f, 0xbe, 0x00);	/* movsx rax,byte positive */
	check_load(&in, 0x7f, rax_of, 0x7f);
	DEC(in, INSN_MODE_64, 0x48, 0x63, 0x00);	/* movsxd rax,dword */
	check_load(&in, 0x80000000, rax_of, 0xffffffff80000000ULL);
	DEC(in, INSN_MODE_64, 0x63, 0x00);		/* movsxd eax,dword: a 32-bit move */
	check_load(&in, 0x80000000, rax_of, 0x80000000ULL);
	DEC(in, INSN_MODE_32, 0x0f, 0xbf, 0x03);	/* 32-bit movsx eax,word [ebx] */
	check_load(&in, 0xfffe, rax_of, 0xfffffffeULL);
}

static void store_values(void **state)
{
	struct vcpu_regs r = base_regs();
	struct insn in;
	uint64_t v;

	(void)state;
	DEC(in, INSN_MODE_64, 0x88, 0x20);		/* mov [rax],ah */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0x77);
	DEC(in, INSN_MODE_64, 0x89, 0x18);		/* mov [rax],ebx */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0xddeeff00);
	DEC(in, INSN_MODE_64, 0x4c, 0x89, 0x00);	/* mov [rax],r8 */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0x8888888888888888ULL);
	DEC(in, INSN_MODE_64, 0x66, 0x89, 0x08);	/* mov [rax],cx */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0xcdef);
	DEC(in, INSN_MODE_64, 0x48, 0xc7, 0x00, 0xfe, 0xff, 0xff, 0xff);	/* mov qword [rax],-2 */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0xfffffffffffffffeULL);
	DEC(in, INSN_MODE_64, 0xaa);			/* stosb */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0x88);
	DEC(in, INSN_MODE_64, 0x48, 0xab);		/* stosq */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0x1122334455667788ULL);
	DEC(in, INSN_MODE_64, 0xa3, 0, 0, 0, 0, 0, 0, 0, 0);	/* mov [moffs],eax */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0x55667788);
	DEC(in, INSN_MODE_64, 0x0f, 0xc3, 0x18);	/* movnti [rax],ebx */
	assert_int_equal(mmio_store_value(&in, &r, &v), 0);
	assert_int_equal(v, 0xddeeff00);

	/* The stored value of these comes from a read. */
	DEC(in, INSN_MODE_64, 0xa4);			/* movsb */
	assert_int_equal(mmio_store_value(&in, &r, &v), -EINVAL);
	DEC(in, INSN_MODE_64, 0x83, 0x08, 0x01);	/* or dword [rax],1 */
	assert_int_equal(mmio_store_value(&in, &r, &v), -EINVAL);
	DEC(in, INSN_MODE_64, 0x8b, 0x00);		/* a load */
	assert_int_equal(mmio_store_value(&in, &r, &v), -EINVAL);
	/* And a store has nothing to complete from a read. */
	DEC(in, INSN_MODE_64, 0x89, 0x18);
	assert_int_equal(mmio_complete_read(&in, &r, 0, &v), -EINVAL);
	DEC(in, INSN_MODE_64, 0xaa);
	assert_int_equal(mmio_complete_read(&in, &r, 0, &v), -EINVAL);
}

static void alu_completion(void **state)
{
	struct vcpu_regs r;
	struct insn in;
	uint64_t w;

	(void)state;
	/* or dword [rax],1: read-modify-write, the result goes back to memory */
	r = base_regs();
	DEC(in, INSN_MODE_64, 0x83, 0x08, 0x01);
	assert_int_equal(mmio_complete_read(&in, &r, 0x10, &w), 1);
	assert_int_equal(w, 0x11);
	assert_int_equal(r.rflags & X86_EFLAGS_STATUS, X86_EFLAGS_PF);	/* 0x11: two ones */
	assert_int_equal(r.rax, base_regs().rax);

	/* add ecx,[rax]: the register takes the result, zero-extended */
	r = base_regs();
	r.rcx = 0xaaaaaaaaffffffffULL;
	DEC(in, INSN_MODE_64, 0x03, 0x08);
	assert_int_equal(mmio_complete_read(&in, &r, 1, &w), 0);
	assert_int_equal(r.rcx, 0);
	assert_int_equal(r.rflags & X86_EFLAGS_STATUS,
			 X86_EFLAGS_CF | X86_EFLAGS_ZF | X86_EFLAGS_PF | X86_EFLAGS_AF);

	/* cmp dl,[rax]: register minus memory, flags only */
	r = base_regs();
	DEC(in, INSN_MODE_64, 0x3a, 0x10);		/* dl = 0x10 */
	assert_int_equal(mmio_complete_read(&in, &r, 0x20, &w), 0);
	assert_int_equal(r.rdx, base_regs().rdx);
	assert_true(r.rflags & X86_EFLAGS_CF);
	assert_true(r.rflags & X86_EFLAGS_SF);
	assert_false(r.rflags & X86_EFLAGS_ZF);

	/* cmp byte [rbx],0x80: memory minus immediate */
	r = base_regs();
	DEC(in, INSN_MODE_64, 0x80, 0x3b, 0x80);
	assert_int_equal(mmio_complete_read(&in, &r, 0x80, &w), 0);
	assert_true(r.rflags & X86_EFLAGS_ZF);
	assert_false(r.rflags & X86_EFLAGS_CF);

	/* sub [rcx],eax: memory minus register, written back */
	r = base_regs();
	r.rax = 7;
	DEC(in, INSN_MODE_64, 0x29, 0x01);
	assert_int_equal(mmio_complete_read(&in, &r, 5, &w), 1);
	assert_int_equal(w, 0xfffffffe);
	assert_true(r.rflags & X86_EFLAGS_CF);
	assert_true(r.rflags & X86_EFLAGS_SF);

	/* xor [rax],ah */
	r = base_regs();
	DEC(in, INSN_MODE_64, 0x30, 0x20);
	assert_int_equal(mmio_complete_read(&in, &r, 0xff, &w), 1);
	assert_int_equal(w, 0x88);

	/* test dword [rax],0x100 */
	r = base_regs();
	r.rflags |= X86_EFLAGS_CF | X86_EFLAGS_OF;
	DEC(in, INSN_MODE_64, 0xf7, 0x00, 0x00, 0x01, 0x00, 0x00);
	assert_int_equal(mmio_complete_read(&in, &r, 0x0ff, &w), 0);
	assert_true(r.rflags & X86_EFLAGS_ZF);
	assert_false(r.rflags & (X86_EFLAGS_CF | X86_EFLAGS_OF));

	/* adc [rax],bl uses CF */
	r = base_regs();				/* bl = 0 */
	r.rflags |= X86_EFLAGS_CF;
	DEC(in, INSN_MODE_64, 0x10, 0x18);
	assert_int_equal(mmio_complete_read(&in, &r, 0xff, &w), 1);
	assert_int_equal(w, 0);
	assert_true(r.rflags & X86_EFLAGS_CF);
	assert_true(r.rflags & X86_EFLAGS_ZF);

	/* movs: the element read is the element to write */
	r = base_regs();
	DEC(in, INSN_MODE_64, 0x66, 0xa5);
	assert_int_equal(mmio_complete_read(&in, &r, 0xdead1234, &w), 1);
	assert_int_equal(w, 0x1234);
}

/*
 * The host CPU computing the same operation, from the same flags. Below the
 * stack pointer lies the red zone, which pushf/popf would clobber: skip it.
 */
#define HOST_OP(mnemonic, cons)							\
	__asm__ volatile("sub $128, %%rsp\n\tpush %[f]\n\tpopfq\n\t"		\
			 mnemonic " %[y], %[x]\n\t"				\
			 "pushfq\n\tpop %[f]\n\tadd $128, %%rsp"		\
			 : [x] "+" cons(x), [f] "+r"(f) : [y] cons(y) : "cc", "memory")

#define HOST_ALU_FN(name, sfx, type, cons)					\
static uint64_t name(unsigned int alu, uint64_t a, uint64_t b, uint64_t *fl)	\
{										\
	type x = a, y = b;							\
	uint64_t f = *fl;							\
										\
	switch (alu) {								\
	case ALU_ADD: HOST_OP("add" sfx, cons); break;				\
	case ALU_OR: HOST_OP("or" sfx, cons); break;				\
	case ALU_ADC: HOST_OP("adc" sfx, cons); break;				\
	case ALU_SBB: HOST_OP("sbb" sfx, cons); break;				\
	case ALU_AND: HOST_OP("and" sfx, cons); break;				\
	case ALU_SUB: HOST_OP("sub" sfx, cons); break;				\
	case ALU_XOR: HOST_OP("xor" sfx, cons); break;				\
	case ALU_CMP: HOST_OP("cmp" sfx, cons); break;				\
	default: HOST_OP("test" sfx, cons); break;				\
	}									\
	*fl = f;								\
	/* CMP and TEST leave x alone; the emulator returns SUB's/AND's. */	\
	if (alu == ALU_CMP)							\
		return (type)(a - b);						\
	if (alu == ALU_TEST)							\
		return (type)(a & b);						\
	return x;								\
}

HOST_ALU_FN(host_alu8, "b", uint8_t, "q")
HOST_ALU_FN(host_alu16, "w", uint16_t, "r")
HOST_ALU_FN(host_alu32, "l", uint32_t, "r")
HOST_ALU_FN(host_alu64, "q", uint64_t, "r")

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Operands near the edges (0, 1, sign boundaries, all ones) find carry bugs. */
static uint64_t operand(void)
{
	static const uint64_t edges[] = { 0, 1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff,
					  0x7fffffff, 0x80000000, 0xffffffff,
					  0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL };
	uint64_t x = rng();

	return x & 3 ? x : edges[(x >> 2) % (sizeof(edges) / sizeof(edges[0]))];
}

static void alu_matches_host_cpu(void **state)
{
	static const unsigned int sizes[] = { 1, 2, 4, 8 };

	(void)state;
	for (unsigned int iter = 0; iter < 200000; iter++) {
		unsigned int alu = iter % 9, size = sizes[(iter / 9) % 4];
		uint64_t a = operand(), b = operand();
		/* Random status flags in (CF feeds ADC/SBB), never DF or TF. */
		uint64_t in_flags = 0x202 | (rng() & X86_EFLAGS_STATUS);
		uint64_t host_fl = in_flags, emu_fl = in_flags, host, emu, mask;

		switch (size) {
		case 1: host = host_alu8(alu, a, b, &host_fl); break;
		case 2: host = host_alu16(alu, a, b, &host_fl); break;
		case 4: host = host_alu32(alu, a, b, &host_fl); break;
		default: host = host_alu64(alu, a, b, &host_fl); break;
		}
		emu = insn_alu_compute(alu, a, b, size, &emu_fl);
		mask = X86_EFLAGS_STATUS;
		if (alu == ALU_OR || alu == ALU_AND || alu == ALU_XOR || alu == ALU_TEST)
			mask &= ~X86_EFLAGS_AF;	/* undefined on the CPU */
		if (emu != host || ((emu_fl ^ host_fl) & mask) ||
		    (emu_fl & ~X86_EFLAGS_STATUS) != (in_flags & ~X86_EFLAGS_STATUS)) {
			print_error("alu %u size %u a %#llx b %#llx flags %#llx: emu %#llx/%#llx "
				    "host %#llx/%#llx\n", alu, size, (unsigned long long)a,
				    (unsigned long long)b, (unsigned long long)in_flags,
				    (unsigned long long)emu, (unsigned long long)emu_fl,
				    (unsigned long long)host, (unsigned long long)host_fl);
			fail();
		}
	}
}

static void retire_plain(void **state)
{
	struct vcpu_regs r = base_regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0x44, 0x8a, 0x0d, 0x10, 0, 0, 0);
	r.rflags |= X86_EFLAGS_RF;
	mmio_retire(&in, &r);
	assert_int_equal(r.rip, 0x400007);
	assert_false(r.rflags & X86_EFLAGS_RF);
	/* EIP wraps at 4 GiB outside 64-bit mode */
	DEC(in, INSN_MODE_32, 0x89, 0x18);
	r.rip = 0xfffffffe;
	mmio_retire(&in, &r);
	assert_int_equal(r.rip, 0);
	assert_int_equal(mmio_rep_count(&in, &r), 1);
}

static void retire_rep_stos(void **state)
{
	struct vcpu_regs r = base_regs();
	struct insn in;

	(void)state;
	DEC(in, INSN_MODE_64, 0xf3, 0xaa);		/* rep stosb */
	r.rcx = 3;
	for (int left = 2; left >= 0; left--) {
		assert_int_equal(mmio_rep_count(&in, &r), (uint64_t)left + 1);
		mmio_retire(&in, &r);
		assert_int_equal(r.rcx, left);
		/* RIP stays on the instruction until the last element */
		assert_int_equal(r.rip, left ? 0x400000 : 0x400002);
	}
	assert_int_equal(r.rdi, 0x2003);
	assert_int_equal(r.rsi, 0x1000);

	/* RCX = 0: nothing moves, the instruction just retires */
	r = base_regs();
	r.rcx = 0;
	assert_int_equal(mmio_rep_count(&in, &r), 0);
	mmio_retire(&in, &r);
	assert_int_equal(r.rip, 0x400002);
	assert_int_equal(r.rdi, 0x2000);
	assert_int_equal(r.rcx, 0);

	/* 67: ECX counts; RCX = 1 << 32 is zero elements */
	DEC(in, INSN_MODE_64, 0x67, 0xf3, 0xaa);
	r = base_regs();
	r.rcx = 1ULL << 32;
	assert_int_equal(mmio_rep_count(&in, &r), 0);

	/* Without REP: one element, RCX untouched */
	DEC(in, INSN_MODE_64, 0x48, 0xab);
	r = base_regs();
	mmio_retire(&in, &r);
	assert_int_equal(r.rdi, 0x2008);
	assert_int_equal(r.rcx, base_regs().rcx);
	assert_int_equal(r.rip, 0x400002);
}

static void retire_movs_df_and_wrap(void **state)
{
	struct vcpu_regs r = base_regs();
	struct insn in;

	(void)state;
	/* 32-bit rep movsd with DF: down by 4, 32-bit index writes */
	DEC(in, INSN_MODE_32, 0xf3, 0xa5);
	r.rflags |= X86_EFLAGS_DF;
	r.rcx = 2;
	r.rsi = 0x2;			/* wraps below zero at 32 bits */
	r.rdi = 0x100;
	mmio_retire(&in, &r);
	assert_int_equal(r.rsi, 0xfffffffeULL);
	assert_int_equal(r.rdi, 0xfc);
	assert_int_equal(r.rcx, 1);
	assert_int_equal(r.rip, 0x400000);
	mmio_retire(&in, &r);
	assert_int_equal(r.rcx, 0);
	assert_int_equal(r.rip, 0x400002);

	/* 16-bit rep movsw: SI/DI/CX wrap at 16 bits, upper bits stay */
	DEC(in, INSN_MODE_16, 0xf3, 0xa5);
	r = base_regs();
	r.rsi = 0x12340000ffffULL;
	r.rdi = 0xabcd0000fffeULL;
	r.rcx = 0xabcd0001ULL;
	assert_int_equal(mmio_rep_count(&in, &r), 1);
	mmio_retire(&in, &r);
	assert_int_equal(r.rsi, 0x123400000001ULL);
	assert_int_equal(r.rdi, 0xabcd00000000ULL);
	assert_int_equal(r.rcx, 0xabcd0000ULL);
	assert_int_equal(r.rip, 0x400002);

	/* lodsb moves only rSI */
	DEC(in, INSN_MODE_64, 0xac);
	r = base_regs();
	mmio_retire(&in, &r);
	assert_int_equal(r.rsi, 0x1001);
	assert_int_equal(r.rdi, 0x2000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(loads_partial_registers),
		cmocka_unit_test(loads_extend),
		cmocka_unit_test(store_values),
		cmocka_unit_test(alu_completion),
		cmocka_unit_test(alu_matches_host_cpu),
		cmocka_unit_test(retire_plain),
		cmocka_unit_test(retire_rep_stos),
		cmocka_unit_test(retire_movs_df_and_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
