/*
 * The AMD Virtual Machine Control Block (AMD64 APM vol. 2, appendix B):
 * control area at 0x000, state-save area at 0x400. Every field the backend
 * touches is pinned to its architectural offset by _Static_assert, so a typo
 * in a reserved-gap size cannot silently shift the layout.
 */
#ifndef ARCH_X86_SVM_VMCB_H
#define ARCH_X86_SVM_VMCB_H

#include "hv/types.h"

struct vmcb_seg {
	uint16_t selector;
	uint16_t attrib;	/* descriptor bits 47:40 in 7:0, bits 55:52 in 11:8 */
	uint32_t limit;		/* byte granular */
	uint64_t base;
} __packed;
_Static_assert(sizeof(struct vmcb_seg) == 16, "VMCB segment layout");

struct vmcb_control {
	uint32_t intercept_cr;		/* 0x000: reads 15:0, writes 31:16 */
	uint32_t intercept_dr;		/* 0x004 */
	uint32_t intercept_exceptions;	/* 0x008 */
	uint32_t intercept_misc1;	/* 0x00c: SVM_INTERCEPT1_* */
	uint32_t intercept_misc2;	/* 0x010: SVM_INTERCEPT2_* */
	uint32_t intercept_misc3;	/* 0x014 */
	uint8_t reserved_018[0x03c - 0x018];
	uint16_t pause_filter_threshold;	/* 0x03c */
	uint16_t pause_filter_count;	/* 0x03e */
	uint64_t iopm_base_pa;		/* 0x040 */
	uint64_t msrpm_base_pa;		/* 0x048 */
	uint64_t tsc_offset;		/* 0x050 */
	uint32_t asid;			/* 0x058 */
	uint8_t tlb_control;		/* 0x05c */
	uint8_t reserved_05d[3];
	uint64_t int_ctl;		/* 0x060: V_TPR, V_IRQ, V_INTR_* */
	uint64_t int_state;		/* 0x068: INTERRUPT_SHADOW */
	uint64_t exit_code;		/* 0x070 */
	uint64_t exit_info1;		/* 0x078 */
	uint64_t exit_info2;		/* 0x080 */
	uint64_t exit_int_info;		/* 0x088 */
	uint64_t np_control;		/* 0x090: NP_ENABLE */
	uint64_t avic_apic_bar;		/* 0x098 */
	uint64_t ghcb_pa;		/* 0x0a0 */
	uint64_t event_inj;		/* 0x0a8 */
	uint64_t n_cr3;			/* 0x0b0 */
	uint64_t virt_ext;		/* 0x0b8: LBR virtualization, virtual VMLOAD/VMSAVE */
	uint32_t clean_bits;		/* 0x0c0 */
	uint32_t reserved_0c4;
	uint64_t next_rip;		/* 0x0c8: only with CPUID 8000000A EDX.NRIPS */
	uint8_t insn_bytes_fetched;	/* 0x0d0: only with decode assists */
	uint8_t insn_bytes[15];		/* 0x0d1 */
	uint8_t reserved_0e0[0x400 - 0x0e0];
} __packed;

struct vmcb_save {
	struct vmcb_seg es;		/* 0x400 */
	struct vmcb_seg cs;		/* 0x410 */
	struct vmcb_seg ss;		/* 0x420 */
	struct vmcb_seg ds;		/* 0x430 */
	struct vmcb_seg fs;		/* 0x440 */
	struct vmcb_seg gs;		/* 0x450 */
	struct vmcb_seg gdtr;		/* 0x460 */
	struct vmcb_seg ldtr;		/* 0x470 */
	struct vmcb_seg idtr;		/* 0x480 */
	struct vmcb_seg tr;		/* 0x490 */
	uint8_t reserved_4a0[0x4cb - 0x4a0];
	uint8_t cpl;			/* 0x4cb */
	uint32_t reserved_4cc;
	uint64_t efer;			/* 0x4d0 */
	uint8_t reserved_4d8[0x548 - 0x4d8];
	uint64_t cr4;			/* 0x548 */
	uint64_t cr3;			/* 0x550 */
	uint64_t cr0;			/* 0x558 */
	uint64_t dr7;			/* 0x560 */
	uint64_t dr6;			/* 0x568 */
	uint64_t rflags;		/* 0x570 */
	uint64_t rip;			/* 0x578 */
	uint8_t reserved_580[0x5d8 - 0x580];
	uint64_t rsp;			/* 0x5d8 */
	uint64_t s_cet;			/* 0x5e0 */
	uint64_t ssp;			/* 0x5e8 */
	uint64_t isst_addr;		/* 0x5f0 */
	uint64_t rax;			/* 0x5f8 */
	uint64_t star;			/* 0x600 */
	uint64_t lstar;			/* 0x608 */
	uint64_t cstar;			/* 0x610 */
	uint64_t sfmask;		/* 0x618 */
	uint64_t kernel_gs_base;	/* 0x620 */
	uint64_t sysenter_cs;		/* 0x628 */
	uint64_t sysenter_esp;		/* 0x630 */
	uint64_t sysenter_eip;		/* 0x638 */
	uint64_t cr2;			/* 0x640 */
	uint8_t reserved_648[0x668 - 0x648];
	uint64_t g_pat;			/* 0x668 */
	uint64_t dbgctl;		/* 0x670 */
	uint64_t br_from;		/* 0x678 */
	uint64_t br_to;			/* 0x680 */
	uint64_t last_excp_from;	/* 0x688 */
	uint64_t last_excp_to;		/* 0x690 */
	uint8_t reserved_698[0x1000 - 0x698];
} __packed;

struct vmcb {
	struct vmcb_control control;
	struct vmcb_save save;
} __packed;

#define VMCB_CHECK(field, off) \
	_Static_assert(offsetof(struct vmcb, field) == (off), "VMCB offset of " #field)
VMCB_CHECK(control.intercept_exceptions, 0x008);
VMCB_CHECK(control.intercept_misc1, 0x00c);
VMCB_CHECK(control.intercept_misc2, 0x010);
VMCB_CHECK(control.pause_filter_count, 0x03e);
VMCB_CHECK(control.iopm_base_pa, 0x040);
VMCB_CHECK(control.msrpm_base_pa, 0x048);
VMCB_CHECK(control.tsc_offset, 0x050);
VMCB_CHECK(control.asid, 0x058);
VMCB_CHECK(control.tlb_control, 0x05c);
VMCB_CHECK(control.int_ctl, 0x060);
VMCB_CHECK(control.int_state, 0x068);
VMCB_CHECK(control.exit_code, 0x070);
VMCB_CHECK(control.exit_info1, 0x078);
VMCB_CHECK(control.exit_info2, 0x080);
VMCB_CHECK(control.exit_int_info, 0x088);
VMCB_CHECK(control.np_control, 0x090);
VMCB_CHECK(control.event_inj, 0x0a8);
VMCB_CHECK(control.n_cr3, 0x0b0);
VMCB_CHECK(control.clean_bits, 0x0c0);
VMCB_CHECK(control.next_rip, 0x0c8);
VMCB_CHECK(control.insn_bytes, 0x0d1);
VMCB_CHECK(save.es, 0x400);
VMCB_CHECK(save.cs, 0x410);
VMCB_CHECK(save.gdtr, 0x460);
VMCB_CHECK(save.tr, 0x490);
VMCB_CHECK(save.cpl, 0x4cb);
VMCB_CHECK(save.efer, 0x4d0);
VMCB_CHECK(save.cr4, 0x548);
VMCB_CHECK(save.cr0, 0x558);
VMCB_CHECK(save.dr6, 0x568);
VMCB_CHECK(save.rip, 0x578);
VMCB_CHECK(save.rsp, 0x5d8);
VMCB_CHECK(save.rax, 0x5f8);
VMCB_CHECK(save.star, 0x600);
VMCB_CHECK(save.kernel_gs_base, 0x620);
VMCB_CHECK(save.sysenter_eip, 0x638);
VMCB_CHECK(save.cr2, 0x640);
VMCB_CHECK(save.g_pat, 0x668);
VMCB_CHECK(save.last_excp_to, 0x690);
_Static_assert(sizeof(struct vmcb) == 4096, "VMCB is one page");

/* intercept_misc1 (offset 0x00c) */
#define SVM_INTERCEPT1_INTR		(1u << 0)
#define SVM_INTERCEPT1_NMI		(1u << 1)
#define SVM_INTERCEPT1_SMI		(1u << 2)
#define SVM_INTERCEPT1_INIT		(1u << 3)
#define SVM_INTERCEPT1_VINTR		(1u << 4)
#define SVM_INTERCEPT1_IRET		(1u << 20)
#define SVM_INTERCEPT1_INTN		(1u << 21)
#define SVM_INTERCEPT1_INVD		(1u << 22)
#define SVM_INTERCEPT1_HLT		(1u << 24)
#define SVM_INTERCEPT1_INVLPGA		(1u << 26)
#define SVM_INTERCEPT1_IOIO		(1u << 27)
#define SVM_INTERCEPT1_MSR		(1u << 28)
#define SVM_INTERCEPT1_TASK_SWITCH	(1u << 29)
#define SVM_INTERCEPT1_SHUTDOWN		(1u << 31)
#define SVM_INTERCEPT1_CPUID		(1u << 18)

/* intercept_misc2 (offset 0x010) */
#define SVM_INTERCEPT2_VMRUN		(1u << 0)
#define SVM_INTERCEPT2_VMMCALL		(1u << 1)
#define SVM_INTERCEPT2_VMLOAD		(1u << 2)
#define SVM_INTERCEPT2_VMSAVE		(1u << 3)
#define SVM_INTERCEPT2_STGI		(1u << 4)
#define SVM_INTERCEPT2_CLGI		(1u << 5)
#define SVM_INTERCEPT2_SKINIT		(1u << 6)

/* int_ctl (offset 0x060) */
#define SVM_INT_CTL_V_TPR_MASK		0xfull
#define SVM_INT_CTL_V_IRQ		(1ull << 8)
#define SVM_INT_CTL_V_INTR_PRIO_SHIFT	16
#define SVM_INT_CTL_V_IGN_TPR		(1ull << 20)
#define SVM_INT_CTL_V_INTR_MASKING	(1ull << 24)

/* int_state (offset 0x068) */
#define SVM_INT_STATE_SHADOW		(1ull << 0)

/* np_control (offset 0x090) */
#define SVM_NP_ENABLE			(1ull << 0)

/* tlb_control */
#define SVM_TLB_CONTROL_NONE		0
#define SVM_TLB_CONTROL_FLUSH_ALL	1
#define SVM_TLB_CONTROL_FLUSH_ASID	3

/* EVENTINJ and EXITINTINFO share one format. */
#define SVM_EVENT_VECTOR_MASK		0xffull
#define SVM_EVENT_TYPE_SHIFT		8
#define SVM_EVENT_TYPE_MASK		(7ull << SVM_EVENT_TYPE_SHIFT)
#define SVM_EVENT_TYPE_INTR		0
#define SVM_EVENT_TYPE_NMI		2
#define SVM_EVENT_TYPE_EXCEPTION	3
#define SVM_EVENT_TYPE_SOFT_INT		4
#define SVM_EVENT_ERROR_VALID		(1ull << 11)
#define SVM_EVENT_VALID			(1ull << 31)
#define SVM_EVENT_ERROR_SHIFT		32

/* EXITINFO1 of an IOIO exit. */
#define SVM_IOIO_IN			(1ull << 0)
#define SVM_IOIO_STR			(1ull << 2)
#define SVM_IOIO_REP			(1ull << 3)
#define SVM_IOIO_SZ_SHIFT		4	/* SZ8, SZ16, SZ32: one-hot */
#define SVM_IOIO_A_SHIFT		7	/* A16, A32, A64: one-hot */
#define SVM_IOIO_SEG_SHIFT		10	/* decode assists only */
#define SVM_IOIO_PORT_SHIFT		16

/* EXITINFO1 of a #NPF exit (a #PF-style error code). */
#define SVM_NPF_PRESENT			(1ull << 0)
#define SVM_NPF_WRITE			(1ull << 1)
#define SVM_NPF_FETCH			(1ull << 4)

/* Exit codes. */
#define SVM_EXIT_WRITE_CR0		0x010
#define SVM_EXIT_WRITE_CR4		0x014
#define SVM_EXIT_EXCP_BASE		0x040
#define SVM_EXIT_INTR			0x060
#define SVM_EXIT_NMI			0x061
#define SVM_EXIT_SMI			0x062
#define SVM_EXIT_INIT			0x063
#define SVM_EXIT_VINTR			0x064
#define SVM_EXIT_CPUID			0x072
#define SVM_EXIT_IRET			0x074
#define SVM_EXIT_SWINT			0x075
#define SVM_EXIT_INVD			0x076
#define SVM_EXIT_HLT			0x078
#define SVM_EXIT_INVLPGA		0x07a
#define SVM_EXIT_IOIO			0x07b
#define SVM_EXIT_MSR			0x07c
#define SVM_EXIT_TASK_SWITCH		0x07d
#define SVM_EXIT_SHUTDOWN		0x07f
#define SVM_EXIT_VMRUN			0x080
#define SVM_EXIT_VMMCALL		0x081
#define SVM_EXIT_VMLOAD			0x082
#define SVM_EXIT_VMSAVE			0x083
#define SVM_EXIT_STGI			0x084
#define SVM_EXIT_CLGI			0x085
#define SVM_EXIT_SKINIT			0x086
#define SVM_EXIT_TABLE_SIZE		0x090	/* codes below this go through the table */
#define SVM_EXIT_NPF			0x400
#define SVM_EXIT_INVALID		((uint64_t)-1)

/* Segment attribute bits (VMCB format). */
#define SVM_ATTR_TYPE_MASK		0x00f
#define SVM_ATTR_S			(1u << 4)
#define SVM_ATTR_DPL_SHIFT		5
#define SVM_ATTR_P			(1u << 7)
#define SVM_ATTR_AVL			(1u << 8)
#define SVM_ATTR_L			(1u << 9)
#define SVM_ATTR_DB			(1u << 10)
#define SVM_ATTR_G			(1u << 11)

#endif
