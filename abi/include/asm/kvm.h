/*
 * <asm/kvm.h> of tern's UAPI header set: the x86-64 part of the KVM API
 * (API version 12). <linux/kvm.h> includes it; programs include that one.
 *
 * Written for tern from api.txt and the x86-64 ABI. Binary compatibility with
 * Linux is the point: every structure here has the size and field offsets of
 * Linux's, checked by tests/unit/test_kvm_abi.c against the host's header.
 * Explicit padding fields are part of the ABI: they keep 64-bit fields
 * naturally aligned and reserve room for later extensions, and a caller is
 * expected to zero them.
 */
#ifndef TERN_UAPI_ASM_KVM_H
#define TERN_UAPI_ASM_KVM_H

#include "../linux/types.h"
#include "../linux/ioctl.h"

/*
 * Page offsets (in units of the 4 KiB page) inside the mmap of a vcpu fd:
 * page 0 is struct kvm_run, the next holds the data of string/rep port I/O
 * exits, the one after it the coalesced MMIO ring.
 */
#define KVM_PIO_PAGE_OFFSET		1
#define KVM_COALESCED_MMIO_PAGE_OFFSET	2
#define KVM_DIRTY_LOG_PAGE_OFFSET	64

/* Architectural exception vectors, as used in kvm_vcpu_events. */
#define DE_VECTOR	0	/* divide error */
#define DB_VECTOR	1	/* debug */
#define BP_VECTOR	3	/* int3 */
#define OF_VECTOR	4	/* into */
#define BR_VECTOR	5	/* bound */
#define UD_VECTOR	6	/* invalid opcode */
#define NM_VECTOR	7	/* device not available */
#define DF_VECTOR	8	/* double fault */
#define TS_VECTOR	10	/* invalid TSS */
#define NP_VECTOR	11	/* segment not present */
#define SS_VECTOR	12	/* stack fault */
#define GP_VECTOR	13	/* general protection */
#define PF_VECTOR	14	/* page fault */
#define MF_VECTOR	16	/* x87 floating point */
#define AC_VECTOR	17	/* alignment check */
#define MC_VECTOR	18	/* machine check */
#define XM_VECTOR	19	/* SIMD floating point */
#define VE_VECTOR	20	/* virtualization exception */

/*
 * Feature switches <linux/kvm.h> tests to decide which x86 parts it
 * declares. Programs test some of them too (e.g. #ifdef __KVM_HAVE_PIT).
 */
#define __KVM_HAVE_PIT
#define __KVM_HAVE_IOAPIC
#define __KVM_HAVE_IRQ_LINE
#define __KVM_HAVE_MSI
#define __KVM_HAVE_USER_NMI
#define __KVM_HAVE_GUEST_DEBUG
#define __KVM_HAVE_MSIX
#define __KVM_HAVE_MCE
#define __KVM_HAVE_PIT_STATE2
#define __KVM_HAVE_XEN_HVM
#define __KVM_HAVE_VCPU_EVENTS
#define __KVM_HAVE_DEBUGREGS
#define __KVM_HAVE_XSAVE
#define __KVM_HAVE_XCRS
#define __KVM_HAVE_READONLY_MEM

/* Number of interrupt vectors; sizes kvm_sregs.interrupt_bitmap. */
#define KVM_NR_INTERRUPTS 256

/* One 8259A PIC, for KVM_GET_IRQCHIP/KVM_SET_IRQCHIP. */
struct kvm_pic_state {
	__u8 last_irr;		/* IRR as of the last edge check */
	__u8 irr;		/* interrupt request register */
	__u8 imr;		/* interrupt mask register */
	__u8 isr;		/* in-service register */
	__u8 priority_add;	/* rotation: the line with the highest priority */
	__u8 irq_base;		/* vector of line 0 (ICW2) */
	__u8 read_reg_select;	/* OCW3: reads return ISR rather than IRR */
	__u8 poll;
	__u8 special_mask;
	__u8 init_state;	/* which ICW the PIC expects next */
	__u8 auto_eoi;
	__u8 rotate_on_auto_eoi;
	__u8 special_fully_nested_mode;
	__u8 init4;		/* ICW4 expected */
	__u8 elcr;		/* edge/level control (chipset register) */
	__u8 elcr_mask;
};

#define KVM_IOAPIC_NUM_PINS 24

/* The IOAPIC, for KVM_GET_IRQCHIP/KVM_SET_IRQCHIP. */
struct kvm_ioapic_state {
	__u64 base_address;
	__u32 ioregsel;
	__u32 id;
	__u32 irr;
	__u32 pad;
	/*
	 * Redirection entries in their register format. The bit-fields rely
	 * on GCC's x86-64 layout (allocated from bit 0 up within a byte);
	 * `bits` is the portable view.
	 */
	union {
		__u64 bits;
		struct {
			__u8 vector;
			__u8 delivery_mode:3;
			__u8 dest_mode:1;
			__u8 delivery_status:1;
			__u8 polarity:1;
			__u8 remote_irr:1;
			__u8 trig_mode:1;
			__u8 mask:1;
			__u8 reserve:7;
			__u8 reserved[4];
			__u8 dest_id;
		} fields;
	} redirtbl[KVM_IOAPIC_NUM_PINS];
};

/* kvm_irqchip.chip_id */
#define KVM_IRQCHIP_PIC_MASTER	0
#define KVM_IRQCHIP_PIC_SLAVE	1
#define KVM_IRQCHIP_IOAPIC	2
#define KVM_NR_IRQCHIPS		3

/* kvm_run.flags on x86 */
#define KVM_RUN_X86_SMM		(1 << 0)	/* the vcpu is in SMM */
#define KVM_RUN_X86_BUS_LOCK	(1 << 1)	/* a bus lock was detected */

/* KVM_GET_REGS / KVM_SET_REGS: the general registers. */
struct kvm_regs {
	__u64 rax, rbx, rcx, rdx;
	__u64 rsi, rdi, rsp, rbp;
	__u64 r8, r9, r10, r11;
	__u64 r12, r13, r14, r15;
	__u64 rip, rflags;
};

/* KVM_GET_LAPIC / KVM_SET_LAPIC: the local APIC's 1 KiB register page. */
#define KVM_APIC_REG_SIZE 0x400
struct kvm_lapic_state {
	char regs[KVM_APIC_REG_SIZE];
};

/*
 * A segment register with its hidden part unpacked: one byte per attribute
 * rather than the descriptor's packed access-rights format.
 */
struct kvm_segment {
	__u64 base;
	__u32 limit;		/* in bytes, already scaled by g */
	__u16 selector;
	__u8 type;
	__u8 present, dpl, db, s, l, g, avl;
	__u8 unusable;		/* the register holds a null selector */
	__u8 padding;
};

/* GDTR/IDTR */
struct kvm_dtable {
	__u64 base;
	__u16 limit;
	__u16 padding[3];
};

/* KVM_GET_SREGS / KVM_SET_SREGS: segment, control and system registers. */
struct kvm_sregs {
	struct kvm_segment cs, ds, es, fs, gs, ss;
	struct kvm_segment tr, ldt;
	struct kvm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	/*
	 * One bit per vector: at most one bit set, the interrupt that is
	 * injected but not yet delivered (KVM_GET_VCPU_EVENTS is the better
	 * interface for this).
	 */
	__u64 interrupt_bitmap[(KVM_NR_INTERRUPTS + 63) / 64];
};

/*
 * KVM_GET_SREGS2 / KVM_SET_SREGS2: like kvm_sregs but without the interrupt
 * bitmap and with the PAE page-directory pointers, valid when flags has
 * KVM_SREGS2_FLAGS_PDPTRS_VALID.
 */
struct kvm_sregs2 {
	struct kvm_segment cs, ds, es, fs, gs, ss;
	struct kvm_segment tr, ldt;
	struct kvm_dtable gdt, idt;
	__u64 cr0, cr2, cr3, cr4, cr8;
	__u64 efer;
	__u64 apic_base;
	__u64 flags;
	__u64 pdptrs[4];
};
#define KVM_SREGS2_FLAGS_PDPTRS_VALID 1

/* KVM_GET_FPU / KVM_SET_FPU: x87 and SSE state, fields in FXSAVE order. */
struct kvm_fpu {
	__u8 fpr[8][16];	/* st0-st7, 80 bits each in 16-byte slots */
	__u16 fcw;
	__u16 fsw;
	__u8 ftwx;		/* abridged tag word, as FXSAVE stores it */
	__u8 pad1;
	__u16 last_opcode;
	__u64 last_ip;
	__u64 last_dp;
	__u8 xmm[16][16];
	__u32 mxcsr;
	__u32 pad2;
};

struct kvm_msr_entry {
	__u32 index;
	__u32 reserved;
	__u64 data;
};

/* KVM_GET_MSRS / KVM_SET_MSRS: a header followed by nmsrs entries. */
struct kvm_msrs {
	__u32 nmsrs;
	__u32 pad;
	struct kvm_msr_entry entries[];
};

/*
 * KVM_GET_MSR_INDEX_LIST / KVM_GET_MSR_FEATURE_INDEX_LIST: the caller sets
 * nmsrs to the room it has; the kernel sets it to the real count (E2BIG if
 * the room was too small).
 */
struct kvm_msr_list {
	__u32 nmsrs;
	__u32 indices[];
};

/* KVM_SET_CPUID (the old interface, no subleaf index). */
struct kvm_cpuid_entry {
	__u32 function;
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 padding;
};

struct kvm_cpuid {
	__u32 nent;
	__u32 padding;
	struct kvm_cpuid_entry entries[];
};

/* One CPUID leaf (function) and subleaf (index) with its four outputs. */
struct kvm_cpuid_entry2 {
	__u32 function;
	__u32 index;
	__u32 flags;		/* KVM_CPUID_FLAG_* */
	__u32 eax;
	__u32 ebx;
	__u32 ecx;
	__u32 edx;
	__u32 padding[3];
};

/* index is meaningful: the leaf has subleaves selected by ECX. */
#define KVM_CPUID_FLAG_SIGNIFCANT_INDEX	(1 << 0)	/* sic, Linux's spelling */
#define KVM_CPUID_FLAG_STATEFUL_FUNC	(1 << 1)	/* obsolete */
#define KVM_CPUID_FLAG_STATE_READ_NEXT	(1 << 2)	/* obsolete */

/* KVM_SET_CPUID2, KVM_GET_CPUID2, KVM_GET_SUPPORTED/EMULATED_CPUID. */
struct kvm_cpuid2 {
	__u32 nent;
	__u32 padding;
	struct kvm_cpuid_entry2 entries[];
};

/* One 8254 PIT channel, for KVM_GET_PIT/KVM_SET_PIT(2). */
struct kvm_pit_channel_state {
	__u32 count;		/* 0 is loaded as 65536 */
	__u16 latched_count;
	__u8 count_latched;
	__u8 status_latched;
	__u8 status;
	__u8 read_state;
	__u8 write_state;
	__u8 write_latch;
	__u8 rw_mode;
	__u8 mode;
	__u8 bcd;
	__u8 gate;
	__s64 count_load_time;	/* host ns when count was loaded */
};

/* kvm_run.debug.arch: what caused a KVM_EXIT_DEBUG. */
struct kvm_debug_exit_arch {
	__u32 exception;	/* DB_VECTOR or BP_VECTOR */
	__u32 pad;
	__u64 pc;
	__u64 dr6;
	__u64 dr7;
};

/* kvm_guest_debug.control, x86 bits (the generic ones are in linux/kvm.h) */
#define KVM_GUESTDBG_USE_SW_BP	0x00010000
#define KVM_GUESTDBG_USE_HW_BP	0x00020000
#define KVM_GUESTDBG_INJECT_DB	0x00040000
#define KVM_GUESTDBG_INJECT_BP	0x00080000
#define KVM_GUESTDBG_BLOCKIRQ	0x00100000

/* KVM_SET_GUEST_DEBUG: DR0-DR7 as the debugger wants them. */
struct kvm_guest_debug_arch {
	__u64 debugreg[8];
};

struct kvm_pit_state {
	struct kvm_pit_channel_state channels[3];
};

/* kvm_pit_state2.flags */
#define KVM_PIT_FLAGS_HPET_LEGACY	0x00000001	/* HPET drives IRQ0 and 8 */
#define KVM_PIT_FLAGS_SPEAKER_DATA_ON	0x00000002	/* port 0x61 bit 1 */

struct kvm_pit_state2 {
	struct kvm_pit_channel_state channels[3];
	__u32 flags;
	__u32 reserved[9];
};

/* KVM_REINJECT_CONTROL */
struct kvm_reinject_control {
	__u8 pit_reinject;
	__u8 reserved[31];
};

/* kvm_vcpu_events.flags: which optional parts KVM_SET_VCPU_EVENTS applies */
#define KVM_VCPUEVENT_VALID_NMI_PENDING		0x00000001
#define KVM_VCPUEVENT_VALID_SIPI_VECTOR		0x00000002
#define KVM_VCPUEVENT_VALID_SHADOW		0x00000004
#define KVM_VCPUEVENT_VALID_SMM			0x00000008
#define KVM_VCPUEVENT_VALID_PAYLOAD		0x00000010
#define KVM_VCPUEVENT_VALID_TRIPLE_FAULT	0x00000020

/* kvm_vcpu_events.interrupt.shadow */
#define KVM_X86_SHADOW_INT_MOV_SS	0x01
#define KVM_X86_SHADOW_INT_STI		0x02

/*
 * KVM_GET_VCPU_EVENTS / KVM_SET_VCPU_EVENTS: the event state that is not in
 * any register: pending or injected exception, interrupt and NMI, interrupt
 * shadow, SIPI vector, SMM. 64 bytes; reserved must be zero.
 */
struct kvm_vcpu_events {
	struct {
		__u8 injected;
		__u8 nr;
		__u8 has_error_code;
		__u8 pending;	/* with KVM_CAP_EXCEPTION_PAYLOAD enabled */
		__u32 error_code;
	} exception;
	struct {
		__u8 injected;
		__u8 nr;
		__u8 soft;
		__u8 shadow;	/* KVM_X86_SHADOW_INT_* */
	} interrupt;
	struct {
		__u8 injected;
		__u8 pending;
		__u8 masked;
		__u8 pad;
	} nmi;
	__u32 sipi_vector;
	__u32 flags;		/* KVM_VCPUEVENT_VALID_* */
	struct {
		__u8 smm;
		__u8 pending;
		__u8 smm_inside_nmi;
		__u8 latched_init;
	} smi;
	struct {
		__u8 pending;
	} triple_fault;
	__u8 reserved[26];
	__u8 exception_has_payload;
	__u64 exception_payload;	/* CR2 or DR6 value of the exception */
};

/* KVM_GET_DEBUGREGS / KVM_SET_DEBUGREGS */
struct kvm_debugregs {
	__u64 db[4];
	__u64 dr6;
	__u64 dr7;
	__u64 flags;
	__u64 reserved[9];
};

/*
 * KVM_GET_XSAVE / KVM_SET_XSAVE: an XSAVE image (legacy area, header and
 * extended components at their CPUID-given offsets). With KVM_CAP_XSAVE2 the
 * buffer may be larger than 4 KiB; `extra` names the part beyond region.
 */
struct kvm_xsave {
	__u32 region[1024];
	__u32 extra[];
};

#define KVM_MAX_XCRS 16

struct kvm_xcr {
	__u32 xcr;		/* XCR number, 0 for XCR0 */
	__u32 reserved;
	__u64 value;
};

/* KVM_GET_XCRS / KVM_SET_XCRS */
struct kvm_xcrs {
	__u32 nr_xcrs;
	__u32 flags;
	struct kvm_xcr xcrs[KVM_MAX_XCRS];
	__u64 padding[16];
};

/* kvm_run.kvm_valid_regs / kvm_dirty_regs bits on x86 */
#define KVM_SYNC_X86_REGS	(1UL << 0)
#define KVM_SYNC_X86_SREGS	(1UL << 1)
#define KVM_SYNC_X86_EVENTS	(1UL << 2)

#define KVM_SYNC_X86_VALID_FIELDS \
	(KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS | KVM_SYNC_X86_EVENTS)

/*
 * Register state mirrored in kvm_run.s.regs so that a VMM can read and
 * change it around KVM_RUN without extra ioctls (KVM_CAP_SYNC_REGS).
 */
struct kvm_sync_regs {
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	struct kvm_vcpu_events events;
};

/* KVM_CAP_DISABLE_QUIRKS(2) bits */
#define KVM_X86_QUIRK_LINT0_REENABLED		(1 << 0)
#define KVM_X86_QUIRK_CD_NW_CLEARED		(1 << 1)
#define KVM_X86_QUIRK_LAPIC_MMIO_HOLE		(1 << 2)
#define KVM_X86_QUIRK_OUT_7E_INC_RIP		(1 << 3)
#define KVM_X86_QUIRK_MISC_ENABLE_NO_MWAIT	(1 << 4)
#define KVM_X86_QUIRK_FIX_HYPERCALL_INSN	(1 << 5)
#define KVM_X86_QUIRK_MWAIT_NEVER_UD_FAULTS	(1 << 6)

/* The vcpu device-attribute group of the TSC offset (KVM_CAP_VCPU_ATTRIBUTES). */
#define KVM_VCPU_TSC_CTRL	0
#define KVM_VCPU_TSC_OFFSET	0

/*
 * Compile-time layout checks, usable at file scope in C99 and later (where
 * __extension__ keeps -pedantic quiet about the C11 keyword) and in C++.
 */
#ifdef __cplusplus
#define __TERN_KVM_ASSERT(expr, msg)	static_assert(expr, msg)
#else
#define __TERN_KVM_ASSERT(expr, msg)	__extension__ _Static_assert(expr, msg)
#endif
#define __TERN_KVM_SIZE(type, bytes) \
	__TERN_KVM_ASSERT(sizeof(type) == (bytes), #type " has the wrong size")

/* The x86 structures whose size the ABI fixes. */

__TERN_KVM_SIZE(struct kvm_regs, 144);
__TERN_KVM_SIZE(struct kvm_segment, 24);
__TERN_KVM_SIZE(struct kvm_dtable, 16);
__TERN_KVM_SIZE(struct kvm_sregs, 312);
__TERN_KVM_SIZE(struct kvm_sregs2, 320);
__TERN_KVM_SIZE(struct kvm_fpu, 416);
__TERN_KVM_SIZE(struct kvm_msr_entry, 16);
__TERN_KVM_SIZE(struct kvm_cpuid_entry2, 40);
__TERN_KVM_SIZE(struct kvm_ioapic_state, 216);
__TERN_KVM_SIZE(struct kvm_pit_channel_state, 24);
__TERN_KVM_SIZE(struct kvm_pit_state2, 112);
__TERN_KVM_SIZE(struct kvm_vcpu_events, 64);
__TERN_KVM_SIZE(struct kvm_debugregs, 128);
__TERN_KVM_SIZE(struct kvm_xsave, 4096);
__TERN_KVM_SIZE(struct kvm_xcrs, 392);
__TERN_KVM_SIZE(struct kvm_debug_exit_arch, 32);
__TERN_KVM_SIZE(struct kvm_guest_debug_arch, 64);

#endif /* TERN_UAPI_ASM_KVM_H */
