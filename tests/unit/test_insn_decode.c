/* unit-sources: emul/insn_decode.c hv/insn_len.c hv/pio_string.c hv/format.c */
/*
 * MMIO instruction decoding: a table of encodings (checked against GNU as
 * when written) in 16-, 32- and 64-bit code with the prefix combinations that
 * change the meaning, invalid and unsupported forms, every truncation of every
 * valid case, the 15-byte limit, effective addresses, and random bytes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "emul/insn_decode.h"
#include "hv/errno.h"

#define R INSN_MEM_READ
#define W INSN_MEM_WRITE
#define RW (INSN_MEM_READ | INSN_MEM_WRITE)
#define NONE (-1)
#define MEM(acc, sg, b, i, sc, d) \
	{ .access = acc, .seg = sg, .base = b, .index = i, .scale = sc, .disp = d }
#define RIPMEM(acc, d) \
	{ .access = acc, .seg = SEG_DS, .base = NONE, .index = NONE, .scale = 1, .disp = d, \
	  .rip_rel = true }
#define BYTES(...) .b = { __VA_ARGS__ }, .n = sizeof((uint8_t[]){ __VA_ARGS__ })

struct dcase {
	const char *name;
	enum insn_mode mode;
	uint8_t b[16];
	unsigned int n;
	struct insn want;
};

/* Shorthands for the expected description. */
#define REG(r)		.src = INSN_SRC_REG, .reg = (r)
#define HIGH8(r)	.src = INSN_SRC_REG, .reg = (r), .reg_high8 = true
#define IMM(v)		.src = INSN_SRC_IMM, .reg = NONE, .imm = (v)
#define SIZES(m, o, a)	.mem_size = (m), .op_size = (o), .addr_size = (a)
#define ONE(...)	.nr_mem = 1, .mem = { __VA_ARGS__ }

static const struct dcase good[] = {
	/* 64-bit code: every MOV form. */
	{ "mov [rax],ebx", INSN_MODE_64, BYTES(0x89, 0x18), { .len = 2, .kind = INSN_MOV,
	  SIZES(4, 4, 8), ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "mov r9b,[rip+0x10]", INSN_MODE_64, BYTES(0x44, 0x8a, 0x0d, 0x10, 0, 0, 0),
	  { .len = 7, .kind = INSN_MOV, SIZES(1, 1, 8), ONE(RIPMEM(R, 0x10)), REG(GPR_R9) } },
	{ "mov ah,[rbx+rcx*4+8]", INSN_MODE_64, BYTES(0x8a, 0x64, 0x8b, 0x08),
	  { .len = 4, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(R, SEG_DS, GPR_RBX, GPR_RCX, 4, 8)), HIGH8(GPR_RAX) } },
	{ "movabs al,[moffs64]", INSN_MODE_64,
	  BYTES(0xa0, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11),
	  { .len = 9, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x1122334455667788)), REG(GPR_RAX) } },
	{ "mov gs:[moffs64],rax", INSN_MODE_64,
	  BYTES(0x65, 0x48, 0xa3, 0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
	  { .len = 11, .kind = INSN_MOV, SIZES(8, 8, 8),
	    ONE(MEM(W, SEG_GS, NONE, NONE, 1, (int64_t)0xfffffffffffffff0)), REG(GPR_RAX) } },
	{ "mov eax,[moffs32] (67)", INSN_MODE_64, BYTES(0x67, 0xa1, 0x00, 0x00, 0x00, 0x80),
	  { .len = 6, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x80000000)), REG(GPR_RAX) } },
	{ "mov dword [r12],imm32", INSN_MODE_64,
	  BYTES(0x41, 0xc7, 0x04, 0x24, 0x78, 0x56, 0x34, 0x12),
	  { .len = 8, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(W, SEG_DS, GPR_R12, NONE, 1, 0)), IMM(0x12345678) } },
	{ "mov qword [r13+rax*2+0],-5", INSN_MODE_64,
	  BYTES(0x49, 0xc7, 0x44, 0x45, 0x00, 0xfb, 0xff, 0xff, 0xff),
	  { .len = 9, .kind = INSN_MOV, SIZES(8, 8, 8),
	    ONE(MEM(W, SEG_DS, GPR_R13, GPR_RAX, 2, 0)), IMM(0xfffffffffffffffbULL) } },
	{ "mov word [rax],imm16", INSN_MODE_64, BYTES(0x66, 0xc7, 0x00, 0x34, 0x12),
	  { .len = 5, .kind = INSN_MOV, SIZES(2, 2, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0x1234) } },
	{ "mov byte [rax],imm8", INSN_MODE_64, BYTES(0xc6, 0x00, 0xff),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0xff) } },
	{ "66+REX.W: W wins", INSN_MODE_64,
	  BYTES(0x66, 0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80),
	  { .len = 8, .kind = INSN_MOV, SIZES(8, 8, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0xffffffff80000000ULL) } },
	{ "mov sil,[rdi] (REX 40)", INSN_MODE_64, BYTES(0x40, 0x8a, 0x37),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(R, SEG_DS, GPR_RDI, NONE, 1, 0)), REG(GPR_RSI) } },
	{ "mov [rax],spl (REX 40)", INSN_MODE_64, BYTES(0x40, 0x88, 0x20),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RSP) } },
	{ "mov [rax],ah", INSN_MODE_64, BYTES(0x88, 0x20),
	  { .len = 2, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), HIGH8(GPR_RAX) } },
	{ "mov [rax],r12b", INSN_MODE_64, BYTES(0x44, 0x88, 0x20),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_R12) } },
	{ "REX then 66: REX ignored", INSN_MODE_64, BYTES(0x49, 0x66, 0x89, 0x18),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "two REX: the last counts", INSN_MODE_64, BYTES(0x4c, 0x41, 0x89, 0x18),
	  { .len = 4, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(W, SEG_DS, GPR_R8, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "mov ax,fs:[eax]", INSN_MODE_64, BYTES(0x64, 0x67, 0x66, 0x8b, 0x00),
	  { .len = 5, .kind = INSN_MOV, SIZES(2, 2, 4),
	    ONE(MEM(R, SEG_FS, GPR_RAX, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "mov [rsp+8],cx: SS", INSN_MODE_64, BYTES(0x66, 0x89, 0x4c, 0x24, 0x08),
	  { .len = 5, .kind = INSN_MOV, SIZES(2, 2, 8),
	    ONE(MEM(W, SEG_SS, GPR_RSP, NONE, 1, 8)), REG(GPR_RCX) } },
	{ "mov r13,[rsp]", INSN_MODE_64, BYTES(0x4c, 0x8b, 0x2c, 0x24),
	  { .len = 4, .kind = INSN_MOV, SIZES(8, 8, 8),
	    ONE(MEM(R, SEG_SS, GPR_RSP, NONE, 1, 0)), REG(GPR_R13) } },
	{ "mov eax,[r12*1+0x1000]: REX.X index 4", INSN_MODE_64,
	  BYTES(0x42, 0x8b, 0x04, 0x25, 0x00, 0x10, 0x00, 0x00),
	  { .len = 8, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, NONE, GPR_R12, 1, 0x1000)), REG(GPR_RAX) } },
	{ "mov eax,[r13+0]: DS, not SS", INSN_MODE_64, BYTES(0x41, 0x8b, 0x45, 0x00),
	  { .len = 4, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_R13, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "mov eax,[rbp+0]: SS", INSN_MODE_64, BYTES(0x8b, 0x45, 0x00),
	  { .len = 3, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_SS, GPR_RBP, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "mov eax,[r12]", INSN_MODE_64, BYTES(0x41, 0x8b, 0x04, 0x24),
	  { .len = 4, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_R12, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "mov eax,[disp32] via SIB", INSN_MODE_64,
	  BYTES(0x8b, 0x04, 0x25, 0x00, 0x00, 0x00, 0x80),
	  { .len = 7, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, (int64_t)0xffffffff80000000ULL)),
	    REG(GPR_RAX) } },
	{ "mov eax,[eip+0x10]", INSN_MODE_64, BYTES(0x67, 0x8b, 0x05, 0x10, 0, 0, 0),
	  { .len = 7, .kind = INSN_MOV, SIZES(4, 4, 4), ONE(RIPMEM(R, 0x10)), REG(GPR_RAX) } },
	{ "mov [rbp+r9*8-0x80],r15d disp8", INSN_MODE_64, BYTES(0x46, 0x89, 0x7c, 0xcd, 0x80),
	  { .len = 5, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(W, SEG_SS, GPR_RBP, GPR_R9, 8, -0x80)), REG(GPR_R15) } },
	{ "es ds override: last wins", INSN_MODE_64, BYTES(0x26, 0x3e, 0x8b, 0x00),
	  { .len = 4, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "xrelease mov [rax],ebx (F3 ignored)", INSN_MODE_64, BYTES(0xf3, 0x89, 0x18),
	  { .len = 3, .kind = INSN_MOV, SIZES(4, 4, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "movnti [rax],rbx", INSN_MODE_64, BYTES(0x48, 0x0f, 0xc3, 0x18),
	  { .len = 4, .kind = INSN_MOV, SIZES(8, 8, 8),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },

	/* MOVZX/MOVSX/MOVSXD. */
	{ "movzx eax,byte [rsi]", INSN_MODE_64, BYTES(0x0f, 0xb6, 0x06),
	  { .len = 3, .kind = INSN_MOVZX, SIZES(1, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_RSI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "movzx eax,word [rsi+rcx*2]", INSN_MODE_64, BYTES(0x0f, 0xb7, 0x04, 0x4e),
	  { .len = 4, .kind = INSN_MOVZX, SIZES(2, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_RSI, GPR_RCX, 2, 0)), REG(GPR_RAX) } },
	{ "movsx r10,word [rbp-4]", INSN_MODE_64, BYTES(0x4c, 0x0f, 0xbf, 0x55, 0xfc),
	  { .len = 5, .kind = INSN_MOVSX, SIZES(2, 8, 8), .sign_extend = true,
	    ONE(MEM(R, SEG_SS, GPR_RBP, NONE, 1, -4)), REG(GPR_R10) } },
	{ "movsx ax,byte [rax]", INSN_MODE_64, BYTES(0x66, 0x0f, 0xbe, 0x00),
	  { .len = 4, .kind = INSN_MOVSX, SIZES(1, 2, 8), .sign_extend = true,
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "movsxd rax,[rdx]", INSN_MODE_64, BYTES(0x48, 0x63, 0x02),
	  { .len = 3, .kind = INSN_MOVSX, SIZES(4, 8, 8), .sign_extend = true,
	    ONE(MEM(R, SEG_DS, GPR_RDX, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "movsxd eax,[rax] (no W)", INSN_MODE_64, BYTES(0x63, 0x00),
	  { .len = 2, .kind = INSN_MOVSX, SIZES(4, 4, 8), .sign_extend = true,
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RAX) } },

	/* String forms. */
	{ "rep stosq", INSN_MODE_64, BYTES(0xf3, 0x48, 0xab),
	  { .len = 3, .kind = INSN_STOS, SIZES(8, 8, 8), .rep = true,
	    ONE(MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "repne stosd acts as rep", INSN_MODE_64, BYTES(0xf2, 0xab),
	  { .len = 2, .kind = INSN_STOS, SIZES(4, 4, 8), .rep = true,
	    ONE(MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "fs stosb: override ignored", INSN_MODE_64, BYTES(0x64, 0xaa),
	  { .len = 2, .kind = INSN_STOS, SIZES(1, 1, 8),
	    ONE(MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "rep movsb", INSN_MODE_64, BYTES(0xf3, 0xa4),
	  { .len = 2, .kind = INSN_MOVS, SIZES(1, 1, 8), .rep = true, .reg = NONE,
	    .nr_mem = 2, .mem = { MEM(R, SEG_DS, GPR_RSI, NONE, 1, 0),
				  MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0) } } },
	{ "gs movsq with 67", INSN_MODE_64, BYTES(0x65, 0x67, 0x48, 0xa5),
	  { .len = 4, .kind = INSN_MOVS, SIZES(8, 8, 4), .reg = NONE,
	    .nr_mem = 2, .mem = { MEM(R, SEG_GS, GPR_RSI, NONE, 1, 0),
				  MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0) } } },
	{ "lodsw", INSN_MODE_64, BYTES(0x66, 0xad),
	  { .len = 2, .kind = INSN_LODS, SIZES(2, 2, 8),
	    ONE(MEM(R, SEG_DS, GPR_RSI, NONE, 1, 0)), REG(GPR_RAX) } },

	/* ALU forms. */
	{ "lock or dword [rax],1", INSN_MODE_64, BYTES(0xf0, 0x83, 0x08, 0x01),
	  { .len = 4, .kind = INSN_ALU, .alu = ALU_OR, SIZES(4, 4, 8), .lock = true,
	    .mem_first = true, ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(1) } },
	{ "add dword [rax],-1 (83)", INSN_MODE_64, BYTES(0x83, 0x00, 0xff),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_ADD, SIZES(4, 4, 8), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0xffffffff) } },
	{ "add qword [rax],-1 (83)", INSN_MODE_64, BYTES(0x48, 0x83, 0x00, 0xff),
	  { .len = 4, .kind = INSN_ALU, .alu = ALU_ADD, SIZES(8, 8, 8), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(~0ULL) } },
	{ "sub qword [rax],imm32 (81)", INSN_MODE_64,
	  BYTES(0x48, 0x81, 0x28, 0x00, 0x00, 0x00, 0x80),
	  { .len = 7, .kind = INSN_ALU, .alu = ALU_SUB, SIZES(8, 8, 8), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0xffffffff80000000ULL) } },
	{ "and word [rax],imm16 (81)", INSN_MODE_64, BYTES(0x66, 0x81, 0x20, 0x34, 0x12),
	  { .len = 5, .kind = INSN_ALU, .alu = ALU_AND, SIZES(2, 2, 8), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0x1234) } },
	{ "cmp byte [rbx],0x80", INSN_MODE_64, BYTES(0x80, 0x3b, 0x80),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_CMP, SIZES(1, 1, 8), .mem_first = true,
	    ONE(MEM(R, SEG_DS, GPR_RBX, NONE, 1, 0)), IMM(0x80) } },
	{ "test dword [rax],0x100", INSN_MODE_64, BYTES(0xf7, 0x00, 0x00, 0x01, 0x00, 0x00),
	  { .len = 6, .kind = INSN_ALU, .alu = ALU_TEST, SIZES(4, 4, 8), .mem_first = true,
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0x100) } },
	{ "test byte [rax],0x7f (/1 alias)", INSN_MODE_64, BYTES(0xf6, 0x08, 0x7f),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_TEST, SIZES(1, 1, 8), .mem_first = true,
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), IMM(0x7f) } },
	{ "test [rax],bl", INSN_MODE_64, BYTES(0x84, 0x18),
	  { .len = 2, .kind = INSN_ALU, .alu = ALU_TEST, SIZES(1, 1, 8), .mem_first = true,
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "add ecx,[rax]", INSN_MODE_64, BYTES(0x03, 0x08),
	  { .len = 2, .kind = INSN_ALU, .alu = ALU_ADD, SIZES(4, 4, 8),
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RCX) } },
	{ "xor [rax],ah", INSN_MODE_64, BYTES(0x30, 0x20),
	  { .len = 2, .kind = INSN_ALU, .alu = ALU_XOR, SIZES(1, 1, 8), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), HIGH8(GPR_RAX) } },
	{ "cmp dl,[rax]", INSN_MODE_64, BYTES(0x3a, 0x10),
	  { .len = 2, .kind = INSN_ALU, .alu = ALU_CMP, SIZES(1, 1, 8),
	    ONE(MEM(R, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RDX) } },
	{ "lock adc [rax],r8", INSN_MODE_64, BYTES(0xf0, 0x4c, 0x11, 0x00),
	  { .len = 4, .kind = INSN_ALU, .alu = ALU_ADC, SIZES(8, 8, 8), .mem_first = true,
	    .lock = true, ONE(MEM(RW, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_R8) } },

	/* 32-bit code. */
	{ "32: mov [eax],ebx", INSN_MODE_32, BYTES(0x89, 0x18),
	  { .len = 2, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(W, SEG_DS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "32: mov ebx,[0x1000] (no RIP-relative)", INSN_MODE_32,
	  BYTES(0x8b, 0x1d, 0x00, 0x10, 0x00, 0x00),
	  { .len = 6, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x1000)), REG(GPR_RBX) } },
	{ "32: mov [ebp+8],dx", INSN_MODE_32, BYTES(0x66, 0x89, 0x55, 0x08),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 4),
	    ONE(MEM(W, SEG_SS, GPR_RBP, NONE, 1, 8)), REG(GPR_RDX) } },
	{ "32: mov ax,[bx+si] (67 66)", INSN_MODE_32, BYTES(0x67, 0x66, 0x8b, 0x00),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(R, SEG_DS, GPR_RBX, GPR_RSI, 1, 0)), REG(GPR_RAX) } },
	{ "32: mov eax,[moffs32]", INSN_MODE_32, BYTES(0xa1, 0x78, 0x56, 0x34, 0x12),
	  { .len = 5, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x12345678)), REG(GPR_RAX) } },
	{ "32: mov [moffs16],al (67)", INSN_MODE_32, BYTES(0x67, 0xa2, 0x34, 0x12),
	  { .len = 4, .kind = INSN_MOV, SIZES(1, 1, 2),
	    ONE(MEM(W, SEG_DS, NONE, NONE, 1, 0x1234)), REG(GPR_RAX) } },
	{ "32: sub [ecx],eax", INSN_MODE_32, BYTES(0x29, 0x01),
	  { .len = 2, .kind = INSN_ALU, .alu = ALU_SUB, SIZES(4, 4, 4), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RCX, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "32: sbb edx,[esp]", INSN_MODE_32, BYTES(0x1b, 0x14, 0x24),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_SBB, SIZES(4, 4, 4),
	    ONE(MEM(R, SEG_SS, GPR_RSP, NONE, 1, 0)), REG(GPR_RDX) } },
	{ "32: add byte [ebx],0x7f via 82", INSN_MODE_32, BYTES(0x82, 0x03, 0x7f),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_ADD, SIZES(1, 1, 4), .mem_first = true,
	    ONE(MEM(RW, SEG_DS, GPR_RBX, NONE, 1, 0)), IMM(0x7f) } },
	{ "32: ss cmp [eax],bl", INSN_MODE_32, BYTES(0x36, 0x38, 0x18),
	  { .len = 3, .kind = INSN_ALU, .alu = ALU_CMP, SIZES(1, 1, 4), .mem_first = true,
	    ONE(MEM(R, SEG_SS, GPR_RAX, NONE, 1, 0)), REG(GPR_RBX) } },
	{ "32: mov [eax*4+0x100],esi", INSN_MODE_32,
	  BYTES(0x89, 0x34, 0x85, 0x00, 0x01, 0x00, 0x00),
	  { .len = 7, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(W, SEG_DS, NONE, GPR_RAX, 4, 0x100)), REG(GPR_RSI) } },
	{ "32: rep movsd", INSN_MODE_32, BYTES(0xf3, 0xa5),
	  { .len = 2, .kind = INSN_MOVS, SIZES(4, 4, 4), .rep = true, .reg = NONE,
	    .nr_mem = 2, .mem = { MEM(R, SEG_DS, GPR_RSI, NONE, 1, 0),
				  MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0) } } },

	/* 16-bit code (real mode, vm86, 16-bit protected mode). */
	{ "16: mov [bx+si],al", INSN_MODE_16, BYTES(0x88, 0x00),
	  { .len = 2, .kind = INSN_MOV, SIZES(1, 1, 2),
	    ONE(MEM(W, SEG_DS, GPR_RBX, GPR_RSI, 1, 0)), REG(GPR_RAX) } },
	{ "16: mov ax,[bp+di+0x12]", INSN_MODE_16, BYTES(0x8b, 0x43, 0x12),
	  { .len = 3, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(R, SEG_SS, GPR_RBP, GPR_RDI, 1, 0x12)), REG(GPR_RAX) } },
	{ "16: mov cx,[0x1234]", INSN_MODE_16, BYTES(0x8b, 0x0e, 0x34, 0x12),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x1234)), REG(GPR_RCX) } },
	{ "16: mov eax,[ebx+ecx*2]", INSN_MODE_16, BYTES(0x67, 0x66, 0x8b, 0x04, 0x4b),
	  { .len = 5, .kind = INSN_MOV, SIZES(4, 4, 4),
	    ONE(MEM(R, SEG_DS, GPR_RBX, GPR_RCX, 2, 0)), REG(GPR_RAX) } },
	{ "16: mov byte [bp+0],5", INSN_MODE_16, BYTES(0xc6, 0x46, 0x00, 0x05),
	  { .len = 4, .kind = INSN_MOV, SIZES(1, 1, 2),
	    ONE(MEM(W, SEG_SS, GPR_RBP, NONE, 1, 0)), IMM(5) } },
	{ "16: mov word [bx],imm16", INSN_MODE_16, BYTES(0xc7, 0x07, 0xcd, 0xab),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(W, SEG_DS, GPR_RBX, NONE, 1, 0)), IMM(0xabcd) } },
	{ "16: mov al,es:[si]", INSN_MODE_16, BYTES(0x26, 0x8a, 0x04),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 2),
	    ONE(MEM(R, SEG_ES, GPR_RSI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "16: mov ax,[moffs16]", INSN_MODE_16, BYTES(0xa1, 0x78, 0x56),
	  { .len = 3, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(R, SEG_DS, NONE, NONE, 1, 0x5678)), REG(GPR_RAX) } },
	{ "16: mov [bp+si-2],bh", INSN_MODE_16, BYTES(0x88, 0x7a, 0xfe),
	  { .len = 3, .kind = INSN_MOV, SIZES(1, 1, 2),
	    ONE(MEM(W, SEG_SS, GPR_RBP, GPR_RSI, 1, -2)), HIGH8(GPR_RBX) } },
	{ "16: mov dx,[bp+0x1234] disp16", INSN_MODE_16, BYTES(0x8b, 0x96, 0x34, 0x12),
	  { .len = 4, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(R, SEG_SS, GPR_RBP, NONE, 1, 0x1234)), REG(GPR_RDX) } },
	{ "16: movzx eax,byte [di-1]", INSN_MODE_16, BYTES(0x66, 0x0f, 0xb6, 0x45, 0xff),
	  { .len = 5, .kind = INSN_MOVZX, SIZES(1, 4, 2),
	    ONE(MEM(R, SEG_DS, GPR_RDI, NONE, 1, -1)), REG(GPR_RAX) } },
	{ "16: rep movsw", INSN_MODE_16, BYTES(0xf3, 0xa5),
	  { .len = 2, .kind = INSN_MOVS, SIZES(2, 2, 2), .rep = true, .reg = NONE,
	    .nr_mem = 2, .mem = { MEM(R, SEG_DS, GPR_RSI, NONE, 1, 0),
				  MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0) } } },
	{ "16: cs stosb", INSN_MODE_16, BYTES(0x2e, 0xaa),
	  { .len = 2, .kind = INSN_STOS, SIZES(1, 1, 2),
	    ONE(MEM(W, SEG_ES, GPR_RDI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "16: cs lodsb", INSN_MODE_16, BYTES(0x2e, 0xac),
	  { .len = 2, .kind = INSN_LODS, SIZES(1, 1, 2),
	    ONE(MEM(R, SEG_CS, GPR_RSI, NONE, 1, 0)), REG(GPR_RAX) } },
	{ "16: 13 prefixes + mov = 15 bytes", INSN_MODE_16,
	  BYTES(0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e, 0x3e,
		0x89, 0x18),
	  { .len = 15, .kind = INSN_MOV, SIZES(2, 2, 2),
	    ONE(MEM(W, SEG_DS, GPR_RBX, GPR_RSI, 1, 0)), REG(GPR_RBX) } },
};

struct bad_case {
	const char *name;
	enum insn_mode mode;
	uint8_t b[16];
	unsigned int n;
	int err;
};

static const struct bad_case bad[] = {
	{ "lock mov", INSN_MODE_64, BYTES(0xf0, 0x89, 0x18), -EINVAL },
	{ "lock cmp", INSN_MODE_64, BYTES(0xf0, 0x38, 0x18), -EINVAL },
	{ "lock test", INSN_MODE_64, BYTES(0xf0, 0x84, 0x18), -EINVAL },
	{ "lock add reg,mem", INSN_MODE_64, BYTES(0xf0, 0x03, 0x08), -EINVAL },
	{ "lock stos", INSN_MODE_64, BYTES(0xf0, 0xaa), -EINVAL },
	{ "C6 /1", INSN_MODE_64, BYTES(0xc6, 0x08, 0x05), -EINVAL },
	{ "C7 /7 with memory", INSN_MODE_64, BYTES(0xc7, 0x38, 0, 0, 0, 0), -EINVAL },
	{ "82 in 64-bit mode", INSN_MODE_64, BYTES(0x82, 0x00, 0x01), -EINVAL },
	{ "66 0F C3", INSN_MODE_64, BYTES(0x66, 0x0f, 0xc3, 0x00), -EINVAL },
	{ "16 bytes", INSN_MODE_64,
	  BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x89, 0x18), -EINVAL },
	{ "15 prefixes", INSN_MODE_64,
	  BYTES(0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e,
		0x2e, 0x2e), -EINVAL },
	{ "immediate past 15 bytes", INSN_MODE_64,
	  BYTES(0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x48, 0xc7, 0x00, 0x01,
		0x02, 0x03), -EINVAL },
	{ "mov ebx,eax (register only)", INSN_MODE_64, BYTES(0x89, 0xc3), -EOPNOTSUPP },
	{ "add ecx,eax (register only)", INSN_MODE_64, BYTES(0x01, 0xc1), -EOPNOTSUPP },
	{ "movzx eax,cl (register only)", INSN_MODE_64, BYTES(0x0f, 0xb6, 0xc1), -EOPNOTSUPP },
	{ "not [rax]", INSN_MODE_64, BYTES(0xf7, 0x10), -EOPNOTSUPP },
	{ "xchg [rax],ebx", INSN_MODE_64, BYTES(0x87, 0x18), -EOPNOTSUPP },
	{ "cmpsb", INSN_MODE_64, BYTES(0xa6), -EOPNOTSUPP },
	{ "mov [rax],es (8C)", INSN_MODE_64, BYTES(0x8c, 0x00), -EOPNOTSUPP },
	{ "mov ds,[rax] (8E)", INSN_MODE_64, BYTES(0x8e, 0x18), -EOPNOTSUPP },
	{ "movaps [rax],xmm0", INSN_MODE_64, BYTES(0x0f, 0x29, 0x00), -EOPNOTSUPP },
	{ "ud2", INSN_MODE_64, BYTES(0x0f, 0x0b), -EOPNOTSUPP },
	{ "nop", INSN_MODE_64, BYTES(0x90), -EOPNOTSUPP },
	{ "add al,imm8 (no memory)", INSN_MODE_64, BYTES(0x04, 0x01), -EOPNOTSUPP },
	{ "arpl outside 64-bit mode", INSN_MODE_32, BYTES(0x63, 0x00), -EOPNOTSUPP },
	{ "48 is DEC EAX in 32-bit code", INSN_MODE_32, BYTES(0x48, 0x89, 0x18), -EOPNOTSUPP },
	{ "empty", INSN_MODE_64, { 0 }, 0, -EFAULT },
	{ "only a REX", INSN_MODE_64, BYTES(0x48), -EFAULT },
	{ "only 0F", INSN_MODE_32, BYTES(0x0f), -EFAULT },
};

static void check_mem(const char *name, const struct insn_mem *got, const struct insn_mem *want)
{
	if (got->access != want->access || got->seg != want->seg || got->base != want->base ||
	    got->index != want->index || got->scale != want->scale || got->disp != want->disp ||
	    got->rip_rel != want->rip_rel) {
		print_error("%s: mem access %u/%u seg %d/%d base %d/%d index %d/%d scale %u/%u "
			    "disp %lld/%lld rip %d/%d\n", name, got->access, want->access,
			    got->seg, want->seg, got->base, want->base, got->index, want->index,
			    got->scale, want->scale, (long long)got->disp, (long long)want->disp,
			    got->rip_rel, want->rip_rel);
		fail();
	}
}

static void check_insn(const char *name, const struct insn *got, const struct insn *want)
{
	if (got->len != want->len || got->kind != want->kind || got->alu != want->alu ||
	    got->mem_size != want->mem_size || got->op_size != want->op_size ||
	    got->addr_size != want->addr_size || got->nr_mem != want->nr_mem ||
	    got->src != want->src || got->reg != want->reg || got->reg_high8 != want->reg_high8 ||
	    got->sign_extend != want->sign_extend || got->mem_first != want->mem_first ||
	    got->rep != want->rep || got->lock != want->lock || got->imm != want->imm) {
		print_error("%s: len %u/%u kind %u/%u alu %u/%u sizes %u,%u,%u/%u,%u,%u nr_mem %u/%u "
			    "src %u/%u reg %d/%d high8 %d/%d sx %d/%d first %d/%d rep %d/%d "
			    "lock %d/%d imm %#llx/%#llx\n", name, got->len, want->len, got->kind,
			    want->kind, got->alu, want->alu, got->mem_size, got->op_size,
			    got->addr_size, want->mem_size, want->op_size, want->addr_size,
			    got->nr_mem, want->nr_mem, got->src, want->src, got->reg, want->reg,
			    got->reg_high8, want->reg_high8, got->sign_extend, want->sign_extend,
			    got->mem_first, want->mem_first, got->rep, want->rep, got->lock,
			    want->lock, (unsigned long long)got->imm,
			    (unsigned long long)want->imm);
		fail();
	}
	for (unsigned int i = 0; i < want->nr_mem; i++)
		check_mem(name, &got->mem[i], &want->mem[i]);
}

static void good_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct dcase *c = &good[i];
		struct insn in;
		int ret = insn_decode(c->b, c->n, c->mode, &in);

		if (ret) {
			print_error("%s: error %d\n", c->name, ret);
			fail();
		}
		check_insn(c->name, &in, &c->want);
		assert_int_equal(in.mode, c->mode);
	}
}

/* Trailing bytes belong to the next instruction and change nothing. */
static void trailing_bytes_ignored(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct dcase *c = &good[i];
		uint8_t buf[32];
		struct insn in;

		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf, c->b, c->n);
		assert_int_equal(insn_decode(buf, sizeof(buf), c->mode, &in), 0);
		check_insn(c->name, &in, &c->want);
	}
}

/* Every strict prefix of a valid instruction asks for more bytes, and the
 * decoder never reads past what it was given (ASan: exact-size copies). */
static void truncations(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		const struct dcase *c = &good[i];

		for (unsigned int k = 0; k < c->n; k++) {
			uint8_t *copy = malloc(k ? k : 1);
			struct insn in;
			int ret;

			memcpy(copy, c->b, k);
			ret = insn_decode(copy, k, c->mode, &in);
			free(copy);
			if (ret != -EFAULT) {
				print_error("%s cut to %u bytes: %d\n", c->name, k, ret);
				fail();
			}
		}
	}
}

static void refused_encodings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_case *c = &bad[i];
		struct insn in;
		int ret = insn_decode(c->b, c->n, c->mode, &in);

		if (ret != c->err) {
			print_error("%s: got %d, want %d\n", c->name, ret, c->err);
			fail();
		}
	}
}

static struct insn decode_ok(enum insn_mode mode, const uint8_t *b, unsigned int n)
{
	struct insn in;

	assert_int_equal(insn_decode(b, n, mode, &in), 0);
	return in;
}

static void effective_addresses(void **state)
{
	struct vcpu_regs r = { .rbx = 0x1000, .rcx = 3, .rip = 0xffffffff80001000ULL,
			       .rbp = 0xfff0, .rdi = 0x30, .rsi = 0x5 };
	struct insn in;

	(void)state;
	/* [rbx+rcx*4+8] */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x8a, 0x64, 0x8b, 0x08 }, 4);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x1014);
	/* [rip+0x10]: from the end of the 7-byte instruction */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x44, 0x8a, 0x0d, 0x10, 0, 0, 0 }, 7);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0xffffffff80001017ULL);
	/* [eip+0x10]: 32-bit wrap of the RIP-relative sum */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x67, 0x8b, 0x05, 0x10, 0, 0, 0 }, 7);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x80001017ULL);
	/* 16-bit [bp+di+0x12] wraps at 64 KiB: 0xfff0 + 0x30 + 0x12 */
	in = decode_ok(INSN_MODE_16, (uint8_t[]){ 0x8b, 0x43, 0x12 }, 3);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x32);
	/* Real-mode style linear address: segment base + offset */
	assert_int_equal(insn_mem_linear(&in, 0, &r, 0xb8000), 0xb8032);
	/* 32-bit mode: the linear address wraps at 4 GiB */
	r.rax = 0xfffffff0;
	in = decode_ok(INSN_MODE_32, (uint8_t[]){ 0x89, 0x18 }, 2);
	assert_int_equal(insn_mem_linear(&in, 0, &r, 0x100), 0xf0);
	/* 64-bit mode: no wrap, FS base added by the caller */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x64, 0x89, 0x18 }, 3);
	assert_int_equal(insn_mem_linear(&in, 0, &r, 0x7f0000000000ULL), 0x7f00fffffff0ULL);
	/* [disp32] sign-extends in 64-bit mode */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x8b, 0x04, 0x25, 0, 0, 0, 0x80 }, 7);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0xffffffff80000000ULL);
	/* MOVS: source [rsi], destination [rdi] */
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0xa4 }, 1);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x5);
	assert_int_equal(insn_mem_offset(&in, 1, &r), 0x30);
	/* [r12*1+0x1000] and [rbp+r9*8-0x80] */
	r.r12 = 0x20;
	r.r9 = 2;
	r.rbp = 0x100;
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x42, 0x8b, 0x04, 0x25, 0x00, 0x10, 0, 0 }, 8);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x1020);
	in = decode_ok(INSN_MODE_64, (uint8_t[]){ 0x46, 0x89, 0x7c, 0xcd, 0x80 }, 5);
	assert_int_equal(insn_mem_offset(&in, 0, &r), 0x90);
}

static void mode_of_sregs(void **state)
{
	struct vcpu_sregs s = { 0 };

	(void)state;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_16);	/* real mode */
	s.cs.db = 1;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_16);	/* still real mode */
	s.cr0 = 1;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_32);
	assert_int_equal(insn_mode_of(&s, 1UL << 17), INSN_MODE_16);	/* vm86 */
	s.cs.db = 0;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_16);
	s.efer = 1UL << 10;	/* LMA */
	s.cs.l = 1;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_64);
	s.cs.l = 0;
	s.cs.db = 1;
	assert_int_equal(insn_mode_of(&s, 0), INSN_MODE_32);	/* compatibility mode */
}

/* xorshift64: reproducible random bytes. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void check_sane(const struct insn *in, unsigned int n)
{
	assert_true(in->len >= 1 && in->len <= n && in->len <= 15);
	assert_true(in->mem_size == 1 || in->mem_size == 2 || in->mem_size == 4 ||
		    in->mem_size == 8);
	assert_true(in->op_size == 1 || in->op_size == 2 || in->op_size == 4 || in->op_size == 8);
	assert_true(in->addr_size == 2 || in->addr_size == 4 || in->addr_size == 8);
	assert_true(in->nr_mem == 1 || (in->nr_mem == 2 && in->kind == INSN_MOVS));
	assert_true(in->reg >= -1 && in->reg <= 15);
	assert_true(!in->reg_high8 || (in->reg >= 0 && in->reg <= 3 && in->op_size == 1));
	assert_true(in->src != INSN_SRC_REG || in->reg >= 0);
	for (unsigned int i = 0; i < in->nr_mem; i++) {
		const struct insn_mem *m = &in->mem[i];

		assert_true(m->access != 0);
		assert_true(m->seg >= SEG_ES && m->seg <= SEG_GS);
		assert_true(m->base >= -1 && m->base <= 15 && m->index >= -1 && m->index <= 15);
		assert_true(m->scale == 1 || m->scale == 2 || m->scale == 4 || m->scale == 8);
	}
}

/* Random bytes in every mode: no crash, only the documented errors, and an
 * accepted instruction decodes the same from exactly its own bytes. */
static void random_bytes(void **state)
{
	static const enum insn_mode modes[] = { INSN_MODE_16, INSN_MODE_32, INSN_MODE_64 };
	unsigned int accepted = 0;

	(void)state;
	for (unsigned int iter = 0; iter < 300000; iter++) {
		enum insn_mode mode = modes[iter % 3];
		unsigned int n = rng() % 16;
		uint8_t *b = malloc(n ? n : 1);
		struct insn in, again;
		int ret;

		for (unsigned int i = 0; i < n; i++) {
			/* Bias towards prefixes and the opcodes the decoder knows. */
			static const uint8_t interesting[] = { 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26,
				0x2e, 0x36, 0x3e, 0x64, 0x65, 0x40, 0x48, 0x4f, 0x0f, 0x88, 0x89,
				0x8a, 0x8b, 0xc6, 0xc7, 0xa0, 0xa3, 0xa4, 0xa5, 0xaa, 0xab, 0x63,
				0xb6, 0xbf, 0x80, 0x81, 0x83, 0xf6, 0xf7, 0x04, 0x05, 0x44, 0x24 };
			uint64_t x = rng();

			b[i] = x & 1 ? interesting[(x >> 8) % sizeof(interesting)] : x >> 16;
		}
		ret = insn_decode(b, n, mode, &in);
		assert_true(ret == 0 || ret == -EFAULT || ret == -EINVAL || ret == -EOPNOTSUPP);
		if (ret == 0) {
			accepted++;
			check_sane(&in, n);
			assert_int_equal(insn_decode(b, in.len, mode, &again), 0);
			assert_int_equal(again.len, in.len);
			assert_int_equal(again.kind, in.kind);
		}
		free(b);
	}
	/* The bias must actually reach the decoder's accepting paths. */
	assert_true(accepted > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(good_encodings),
		cmocka_unit_test(trailing_bytes_ignored),
		cmocka_unit_test(truncations),
		cmocka_unit_test(refused_encodings),
		cmocka_unit_test(effective_addresses),
		cmocka_unit_test(mode_of_sregs),
		cmocka_unit_test(random_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
