/*
 * <linux/kvm.h> of tern's UAPI header set: the KVM API, version 12, as a VMM
 * on x86-64 uses it.
 *
 * Written for tern from api.txt and the x86-64 ABI; it is layout-identical to
 * Linux's header (every size, field offset, constant and ioctl number), which
 * tests/unit/test_kvm_abi.c checks against the host's <linux/kvm.h>. A VMM
 * written for Linux /dev/kvm therefore builds against tern's SDK unchanged,
 * and the service domain and the core decode exactly the bytes it sends.
 *
 * Only x86 is described. Parts of Linux's header for other architectures
 * (s390, PowerPC, ARM, MIPS, RISC-V), for Xen and Hyper-V emulation,
 * confidential guests, the dirty ring, binary statistics and a few legacy
 * ioctls are deliberately absent; test_kvm_abi.c lists them by name.
 *
 * Usable without a C library: it includes only its companions in this set.
 */
#ifndef TERN_UAPI_LINUX_KVM_H
#define TERN_UAPI_LINUX_KVM_H

#include "types.h"
#include "ioctl.h"
#include "../asm/kvm.h"

#define KVM_API_VERSION 12

/* ---- Memory slots ---------------------------------------------------- */

/*
 * KVM_SET_USER_MEMORY_REGION: map memory_size bytes of the VMM's address
 * space at userspace_addr into guest-physical memory at guest_phys_addr as
 * slot `slot`. Size 0 deletes the slot. Addresses and size must be page
 * aligned. On x86 the upper 16 bits of slot select the address space (0 =
 * normal, 1 = SMM, with KVM_CAP_MULTI_ADDRESS_SPACE).
 */
struct kvm_userspace_memory_region {
	__u32 slot;
	__u32 flags;		/* KVM_MEM_* */
	__u64 guest_phys_addr;
	__u64 memory_size;	/* bytes */
	__u64 userspace_addr;	/* start of the VMM's memory */
};

#define KVM_MEM_LOG_DIRTY_PAGES	(1UL << 0)	/* track writes for KVM_GET_DIRTY_LOG */
#define KVM_MEM_READONLY	(1UL << 1)	/* guest writes exit as KVM_EXIT_MMIO */

/* ---- Interrupt controller -------------------------------------------- */

/* KVM_IRQ_LINE / KVM_IRQ_LINE_STATUS: drive a GSI of the in-kernel irqchip. */
struct kvm_irq_level {
	/*
	 * In: the GSI. Out of KVM_IRQ_LINE_STATUS: > 0 delivered (to that
	 * many vcpus), 0 merged with the same interrupt still pending, < 0
	 * dropped (e.g. masked).
	 */
	__extension__ union {
		__u32 irq;
		__s32 status;
	};
	__u32 level;
};

/* KVM_GET_IRQCHIP / KVM_SET_IRQCHIP: state of one of the KVM_NR_IRQCHIPS. */
struct kvm_irqchip {
	__u32 chip_id;		/* KVM_IRQCHIP_* */
	__u32 pad;
	union {
		char dummy[512];	/* fixes the union's size */
		struct kvm_pic_state pic;
		struct kvm_ioapic_state ioapic;
	} chip;
};

/* KVM_CREATE_PIT2 */
struct kvm_pit_config {
	__u32 flags;
	__u32 pad[15];
};

#define KVM_PIT_SPEAKER_DUMMY 1	/* claim port 0x61 too and ignore it */

/* ---- kvm_run: why KVM_RUN returned ------------------------------------ */

#define KVM_EXIT_UNKNOWN		0
#define KVM_EXIT_EXCEPTION		1
#define KVM_EXIT_IO			2
#define KVM_EXIT_HYPERCALL		3
#define KVM_EXIT_DEBUG			4
#define KVM_EXIT_HLT			5
#define KVM_EXIT_MMIO			6
#define KVM_EXIT_IRQ_WINDOW_OPEN	7
#define KVM_EXIT_SHUTDOWN		8
#define KVM_EXIT_FAIL_ENTRY		9
#define KVM_EXIT_INTR			10
#define KVM_EXIT_SET_TPR		11
#define KVM_EXIT_TPR_ACCESS		12
#define KVM_EXIT_S390_SIEIC		13
#define KVM_EXIT_S390_RESET		14
#define KVM_EXIT_DCR			15	/* no longer used */
#define KVM_EXIT_NMI			16
#define KVM_EXIT_INTERNAL_ERROR		17
#define KVM_EXIT_OSI			18
#define KVM_EXIT_PAPR_HCALL		19
#define KVM_EXIT_S390_UCONTROL		20
#define KVM_EXIT_WATCHDOG		21
#define KVM_EXIT_S390_TSCH		22
#define KVM_EXIT_EPR			23
#define KVM_EXIT_SYSTEM_EVENT		24
#define KVM_EXIT_S390_STSI		25
#define KVM_EXIT_IOAPIC_EOI		26
#define KVM_EXIT_HYPERV			27
#define KVM_EXIT_ARM_NISV		28
#define KVM_EXIT_X86_RDMSR		29
#define KVM_EXIT_X86_WRMSR		30
#define KVM_EXIT_DIRTY_RING_FULL	31
#define KVM_EXIT_AP_RESET_HOLD		32
#define KVM_EXIT_X86_BUS_LOCK		33
#define KVM_EXIT_XEN			34
#define KVM_EXIT_RISCV_SBI		35
#define KVM_EXIT_RISCV_CSR		36
#define KVM_EXIT_NOTIFY			37

/* kvm_run.internal.suberror for KVM_EXIT_INTERNAL_ERROR */
#define KVM_INTERNAL_ERROR_EMULATION		1	/* an instruction could not be emulated */
#define KVM_INTERNAL_ERROR_SIMUL_EX		2	/* exception while delivering an exception */
#define KVM_INTERNAL_ERROR_DELIVERY_EV		3	/* exit during event delivery */
#define KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON 4	/* hardware exit the kernel cannot handle */

/* kvm_run.emulation_failure.flags */
#define KVM_INTERNAL_ERROR_EMULATION_FLAG_INSTRUCTION_BYTES (1ULL << 0)

/*
 * struct kvm_run: the page a VMM gets from mmap() of a vcpu fd at offset 0
 * (its size is KVM_GET_VCPU_MMAP_SIZE). Input fields are read by KVM_RUN on
 * entry; the exit fields describe why it returned.
 *
 * Layout: a 32-byte header; the union of exit descriptions, fixed at 256
 * bytes by its padding member; then the sync-regs area at offset 288, whose
 * 2048-byte padding keeps room for every architecture's register set.
 */
struct kvm_run {
	/* in */
	__u8 request_interrupt_window;	/* exit as soon as an interrupt can be injected */
	__u8 immediate_exit;		/* return EINTR before entering the guest */
	__u8 padding1[6];

	/* out */
	__u32 exit_reason;		/* KVM_EXIT_* */
	__u8 ready_for_interrupt_injection;
	__u8 if_flag;			/* guest RFLAGS.IF */
	__u16 flags;			/* KVM_RUN_X86_* */

	/* in before KVM_RUN, out after it */
	__u64 cr8;
	__u64 apic_base;

	__extension__ union {
		/* KVM_EXIT_UNKNOWN: the hardware's exit code */
		struct {
			__u64 hardware_exit_reason;
		} hw;
		/* KVM_EXIT_FAIL_ENTRY: VM entry failed (VMX/SVM reason) */
		struct {
			__u64 hardware_entry_failure_reason;
			__u32 cpu;
		} fail_entry;
		/* KVM_EXIT_EXCEPTION */
		struct {
			__u32 exception;
			__u32 error_code;
		} ex;
		/*
		 * KVM_EXIT_IO: count accesses of size bytes each. The data
		 * (count * size bytes, for string and rep forms too) is at
		 * data_offset from the start of this structure, i.e. in
		 * the PIO page right after it. For an IN the VMM writes the
		 * data there and the next KVM_RUN completes the instruction.
		 */
		struct {
#define KVM_EXIT_IO_IN	0
#define KVM_EXIT_IO_OUT	1
			__u8 direction;
			__u8 size;
			__u16 port;
			__u32 count;
			__u64 data_offset;
		} io;
		/* KVM_EXIT_DEBUG */
		struct {
			struct kvm_debug_exit_arch arch;
		} debug;
		/*
		 * KVM_EXIT_MMIO: an access of len (1..8) bytes to
		 * phys_addr. A read is completed by the VMM writing data
		 * before the next KVM_RUN.
		 */
		struct {
			__u64 phys_addr;
			__u8 data[8];
			__u32 len;
			__u8 is_write;
		} mmio;
		/* KVM_EXIT_HYPERCALL (with KVM_CAP_EXIT_HYPERCALL) */
		struct {
			__u64 nr;
			__u64 args[6];
			__u64 ret;
			__u32 longmode;
			__u32 pad;
		} hypercall;
		/* KVM_EXIT_TPR_ACCESS */
		struct {
			__u64 rip;
			__u32 is_write;
			__u32 pad;
		} tpr_access;
		/* KVM_EXIT_INTERNAL_ERROR: suberror KVM_INTERNAL_ERROR_* */
		struct {
			__u32 suberror;
			__u32 ndata;		/* valid entries of data */
			__u64 data[16];
		} internal;
		/*
		 * KVM_EXIT_INTERNAL_ERROR with suberror EMULATION, when
		 * KVM_CAP_EXIT_ON_EMULATION_FAILURE is on: the same first
		 * two fields as `internal`, then the failed instruction.
		 */
		struct {
			__u32 suberror;
			__u32 ndata;
			__u64 flags;	/* KVM_INTERNAL_ERROR_EMULATION_FLAG_* */
			__extension__ union {
				struct {
					__u8 insn_size;
					__u8 insn_bytes[15];
				};
			};
		} emulation_failure;
		/* KVM_EXIT_SYSTEM_EVENT: the guest asked for a power action */
		struct {
#define KVM_SYSTEM_EVENT_SHUTDOWN	1
#define KVM_SYSTEM_EVENT_RESET		2
#define KVM_SYSTEM_EVENT_CRASH		3
#define KVM_SYSTEM_EVENT_WAKEUP		4
#define KVM_SYSTEM_EVENT_SUSPEND	5
#define KVM_SYSTEM_EVENT_SEV_TERM	6
			__u32 type;
			__u32 ndata;
			/*
			 * Before KVM_CAP_SYSTEM_EVENT_DATA this was a single
			 * `flags` field; data[0] occupies the same bytes.
			 */
			__extension__ union {
				__u64 flags;
				__u64 data[16];
			};
		} system_event;
		/* KVM_EXIT_IOAPIC_EOI (split irqchip) */
		struct {
			__u8 vector;
		} eoi;
		/* KVM_EXIT_X86_RDMSR / KVM_EXIT_X86_WRMSR (user-space MSRs) */
		struct {
			__u8 error;	/* set by the VMM: inject #GP */
			__u8 pad[7];
#define KVM_MSR_EXIT_REASON_INVAL	(1 << 0)
#define KVM_MSR_EXIT_REASON_UNKNOWN	(1 << 1)
#define KVM_MSR_EXIT_REASON_FILTER	(1 << 2)
			__u32 reason;	/* KVM_MSR_EXIT_REASON_* */
			__u32 index;	/* the MSR */
			__u64 data;	/* WRMSR value, or the RDMSR result */
		} msr;
		/* KVM_EXIT_NOTIFY: the guest stayed in a non-exiting window */
		struct {
#define KVM_NOTIFY_CONTEXT_INVALID	(1 << 0)
			__u32 flags;
		} notify;
		/* Fixes the union at 256 bytes whatever members are added. */
		char padding[256];
	};

	/*
	 * Sync regs (KVM_CAP_SYNC_REGS): kvm_valid_regs says which parts of
	 * s.regs KVM_RUN filled on exit, kvm_dirty_regs which parts the VMM
	 * changed and KVM_RUN must load (KVM_SYNC_X86_* bits).
	 */
#define SYNC_REGS_SIZE_BYTES 2048
	__u64 kvm_valid_regs;
	__u64 kvm_dirty_regs;
	union {
		struct kvm_sync_regs regs;
		char padding[SYNC_REGS_SIZE_BYTES];
	} s;
};

/* ---- Coalesced MMIO ---------------------------------------------------- */

/*
 * KVM_(UN)REGISTER_COALESCED_MMIO: writes to this range are queued in the
 * ring instead of exiting. pio = 1 makes it a port range (KVM_CAP_COALESCED_PIO).
 */
struct kvm_coalesced_mmio_zone {
	__u64 addr;
	__u32 size;
	__extension__ union {
		__u32 pad;
		__u32 pio;
	};
};

/* One queued write. */
struct kvm_coalesced_mmio {
	__u64 phys_addr;
	__u32 len;
	__extension__ union {
		__u32 pad;
		__u32 pio;
	};
	__u8 data[8];
};

/*
 * The ring, one page of the vcpu mmap at KVM_COALESCED_MMIO_PAGE_OFFSET. The
 * kernel appends at `last`, the VMM consumes from `first`.
 */
struct kvm_coalesced_mmio_ring {
	__u32 first, last;
	struct kvm_coalesced_mmio coalesced_mmio[];
};

/* Entries that fit in the ring's page (x86-64 pages are 4 KiB). */
#define KVM_COALESCED_MMIO_MAX \
	((4096 - sizeof(struct kvm_coalesced_mmio_ring)) / sizeof(struct kvm_coalesced_mmio))

/* ---- vcpu state and control ------------------------------------------- */

/* KVM_TRANSLATE: walk the guest's page tables for linear_address. */
struct kvm_translation {
	/* in */
	__u64 linear_address;

	/* out */
	__u64 physical_address;
	__u8 valid;
	__u8 writeable;
	__u8 usermode;
	__u8 pad[5];
};

/* KVM_INTERRUPT: queue an external interrupt vector (no in-kernel irqchip). */
struct kvm_interrupt {
	__u32 irq;
};

/*
 * KVM_GET_DIRTY_LOG: a bitmap with one bit per page of the slot, set for
 * pages written since the last call. The pointer is padded to 64 bits so the
 * layout does not depend on the pointer size.
 */
struct kvm_dirty_log {
	__u32 slot;
	__u32 padding1;
	__extension__ union {
		void *dirty_bitmap;
		__u64 padding2;
	};
};

/* KVM_ENABLE_CAP(KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2) argument bits */
#define KVM_DIRTY_LOG_MANUAL_PROTECT_ENABLE	(1 << 0)	/* GET_DIRTY_LOG does not re-protect */
#define KVM_DIRTY_LOG_INITIALLY_SET		(1 << 1)	/* new slots start all dirty */

/* KVM_CLEAR_DIRTY_LOG: re-protect the pages whose bits are set. */
struct kvm_clear_dirty_log {
	__u32 slot;
	__u32 num_pages;
	__u64 first_page;
	__extension__ union {
		void *dirty_bitmap;
		__u64 padding2;
	};
};

/* KVM_SET_SIGNAL_MASK: the signals blocked while the guest runs. */
struct kvm_signal_mask {
	__u32 len;		/* bytes of sigset; 8 on x86-64 */
	__u8 sigset[];
};

/* KVM_TPR_ACCESS_REPORTING */
struct kvm_tpr_access_ctl {
	__u32 enabled;
	__u32 flags;
	__u32 reserved[8];
};

/* KVM_SET_VAPIC_ADDR */
struct kvm_vapic_addr {
	__u64 vapic_addr;
};

/* KVM_GET_MP_STATE / KVM_SET_MP_STATE */
#define KVM_MP_STATE_RUNNABLE		0
#define KVM_MP_STATE_UNINITIALIZED	1	/* AP waiting for INIT */
#define KVM_MP_STATE_INIT_RECEIVED	2	/* AP waiting for SIPI */
#define KVM_MP_STATE_HALTED		3
#define KVM_MP_STATE_SIPI_RECEIVED	4
#define KVM_MP_STATE_STOPPED		5
#define KVM_MP_STATE_CHECK_STOP		6
#define KVM_MP_STATE_OPERATING		7
#define KVM_MP_STATE_LOAD		8
#define KVM_MP_STATE_AP_RESET_HOLD	9
#define KVM_MP_STATE_SUSPENDED		10

struct kvm_mp_state {
	__u32 mp_state;
};

/* kvm_guest_debug.control, generic bits (x86 ones are in asm/kvm.h) */
#define KVM_GUESTDBG_ENABLE		0x00000001
#define KVM_GUESTDBG_SINGLESTEP		0x00000002

/* KVM_SET_GUEST_DEBUG */
struct kvm_guest_debug {
	__u32 control;
	__u32 pad;
	struct kvm_guest_debug_arch arch;
};

/* KVM_X86_SET_MCE: inject a machine check into a bank. */
struct kvm_x86_mce {
	__u64 status;
	__u64 addr;
	__u64 misc;
	__u64 mcg_status;
	__u8 bank;
	__u8 pad1[7];
	__u64 pad2[3];
};

/* ---- eventfds ------------------------------------------------------ */

/* kvm_ioeventfd.flags, by bit number */
enum {
	kvm_ioeventfd_flag_nr_datamatch,
	kvm_ioeventfd_flag_nr_pio,
	kvm_ioeventfd_flag_nr_deassign,
	kvm_ioeventfd_flag_nr_virtio_ccw_notify,
	kvm_ioeventfd_flag_nr_fast_mmio,
	kvm_ioeventfd_flag_nr_max,
};

#define KVM_IOEVENTFD_FLAG_DATAMATCH	(1 << kvm_ioeventfd_flag_nr_datamatch)
#define KVM_IOEVENTFD_FLAG_PIO		(1 << kvm_ioeventfd_flag_nr_pio)
#define KVM_IOEVENTFD_FLAG_DEASSIGN	(1 << kvm_ioeventfd_flag_nr_deassign)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY \
	(1 << kvm_ioeventfd_flag_nr_virtio_ccw_notify)
#define KVM_IOEVENTFD_VALID_FLAG_MASK	((1 << kvm_ioeventfd_flag_nr_max) - 1)

/*
 * KVM_IOEVENTFD: a guest write of len bytes (0 = any length) to addr (a port
 * with KVM_IOEVENTFD_FLAG_PIO) signals eventfd fd instead of exiting; with
 * KVM_IOEVENTFD_FLAG_DATAMATCH only when the value equals datamatch.
 */
struct kvm_ioeventfd {
	__u64 datamatch;
	__u64 addr;
	__u32 len;
	__s32 fd;
	__u32 flags;
	__u8 pad[36];
};

/* kvm_irqfd.flags */
#define KVM_IRQFD_FLAG_DEASSIGN	(1 << 0)
#define KVM_IRQFD_FLAG_RESAMPLE	(1 << 1)	/* level-triggered: resamplefd on EOI */

/* KVM_IRQFD: signalling eventfd fd raises GSI gsi. */
struct kvm_irqfd {
	__u32 fd;
	__u32 gsi;
	__u32 flags;
	__u32 resamplefd;
	__u8 pad[16];
};

/* ---- MSI and GSI routing ---------------------------------------------- */

#define KVM_MSI_VALID_DEVID (1U << 0)

/* KVM_SIGNAL_MSI: deliver one message-signalled interrupt. */
struct kvm_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	__u32 flags;
	__u32 devid;
	__u8 pad[12];
};

struct kvm_irq_routing_irqchip {
	__u32 irqchip;
	__u32 pin;
};

struct kvm_irq_routing_msi {
	__u32 address_lo;
	__u32 address_hi;
	__u32 data;
	__extension__ union {
		__u32 pad;
		__u32 devid;
	};
};

/* kvm_irq_routing_entry.type */
#define KVM_IRQ_ROUTING_IRQCHIP		1
#define KVM_IRQ_ROUTING_MSI		2
#define KVM_IRQ_ROUTING_S390_ADAPTER	3
#define KVM_IRQ_ROUTING_HV_SINT		4
#define KVM_IRQ_ROUTING_XEN_EVTCHN	5

/*
 * One GSI route. Linux's union also has s390, Hyper-V and Xen members; all
 * fit in the 32-byte pad, so leaving them out changes no offset. The s390
 * one holds 64-bit fields, though, which makes the union (and so the entry
 * and struct kvm_irq_routing) 8-byte aligned: the attribute keeps that.
 */
struct kvm_irq_routing_entry {
	__u32 gsi;
	__u32 type;		/* KVM_IRQ_ROUTING_* */
	__u32 flags;
	__u32 pad;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		__u32 pad[8];
	} __attribute__((aligned(8))) u;
};

/* KVM_SET_GSI_ROUTING: replaces the whole table. */
struct kvm_irq_routing {
	__u32 nr;
	__u32 flags;
	struct kvm_irq_routing_entry entries[];
};

/* ---- Capabilities ------------------------------------------------------ */

/* KVM_ENABLE_CAP (vcpu and VM): turn on capability cap with arguments. */
struct kvm_enable_cap {
	__u32 cap;
	__u32 flags;
	__u64 args[4];
	__u8 pad[64];
};

/* KVM_ENABLE_CAP(KVM_CAP_X86_DISABLE_EXITS): exits the VM no longer takes */
#define KVM_X86_DISABLE_EXITS_MWAIT	(1 << 0)
#define KVM_X86_DISABLE_EXITS_HLT	(1 << 1)
#define KVM_X86_DISABLE_EXITS_PAUSE	(1 << 2)
#define KVM_X86_DISABLE_EXITS_CSTATE	(1 << 3)
#define KVM_X86_DISABLE_VALID_EXITS	(KVM_X86_DISABLE_EXITS_MWAIT | \
					 KVM_X86_DISABLE_EXITS_HLT | \
					 KVM_X86_DISABLE_EXITS_PAUSE | \
					 KVM_X86_DISABLE_EXITS_CSTATE)

/*
 * KVM_CHECK_EXTENSION arguments. The numbers are stable ABI; numbers that
 * other architectures use are listed too so that a portable VMM compiles
 * (tern answers 0 for them).
 */
#define KVM_CAP_IRQCHIP				0
#define KVM_CAP_HLT				1
#define KVM_CAP_MMU_SHADOW_CACHE_CONTROL	2
#define KVM_CAP_USER_MEMORY			3
#define KVM_CAP_SET_TSS_ADDR			4
#define KVM_CAP_VAPIC				6
#define KVM_CAP_EXT_CPUID			7
#define KVM_CAP_CLOCKSOURCE			8
#define KVM_CAP_NR_VCPUS			9	/* recommended vcpus per VM */
#define KVM_CAP_NR_MEMSLOTS			10
#define KVM_CAP_PIT				11
#define KVM_CAP_NOP_IO_DELAY			12
#define KVM_CAP_PV_MMU				13
#define KVM_CAP_MP_STATE			14
#define KVM_CAP_COALESCED_MMIO			15	/* answer: page offset of the ring */
#define KVM_CAP_SYNC_MMU			16
#define KVM_CAP_IOMMU				18
#define KVM_CAP_DESTROY_MEMORY_REGION_WORKS	21
#define KVM_CAP_USER_NMI			22
#define KVM_CAP_SET_GUEST_DEBUG			23
#define KVM_CAP_REINJECT_CONTROL		24
#define KVM_CAP_IRQ_ROUTING			25
#define KVM_CAP_IRQ_INJECT_STATUS		26
#define KVM_CAP_ASSIGN_DEV_IRQ			29
#define KVM_CAP_JOIN_MEMORY_REGIONS_WORKS	30
#define KVM_CAP_MCE				31
#define KVM_CAP_IRQFD				32
#define KVM_CAP_PIT2				33
#define KVM_CAP_SET_BOOT_CPU_ID			34
#define KVM_CAP_PIT_STATE2			35
#define KVM_CAP_IOEVENTFD			36
#define KVM_CAP_SET_IDENTITY_MAP_ADDR		37
#define KVM_CAP_XEN_HVM				38
#define KVM_CAP_ADJUST_CLOCK			39
#define KVM_CAP_INTERNAL_ERROR_DATA		40
#define KVM_CAP_VCPU_EVENTS			41
#define KVM_CAP_S390_PSW			42
#define KVM_CAP_PPC_SEGSTATE			43
#define KVM_CAP_HYPERV				44
#define KVM_CAP_HYPERV_VAPIC			45
#define KVM_CAP_HYPERV_SPIN			46
#define KVM_CAP_PCI_SEGMENT			47
#define KVM_CAP_PPC_PAIRED_SINGLES		48
#define KVM_CAP_INTR_SHADOW			49
#define KVM_CAP_DEBUGREGS			50
#define KVM_CAP_X86_ROBUST_SINGLESTEP		51
#define KVM_CAP_PPC_OSI				52
#define KVM_CAP_PPC_UNSET_IRQ			53
#define KVM_CAP_ENABLE_CAP			54
#define KVM_CAP_XSAVE				55
#define KVM_CAP_XCRS				56
#define KVM_CAP_PPC_GET_PVINFO			57
#define KVM_CAP_PPC_IRQ_LEVEL			58
#define KVM_CAP_ASYNC_PF			59
#define KVM_CAP_TSC_CONTROL			60
#define KVM_CAP_GET_TSC_KHZ			61
#define KVM_CAP_PPC_BOOKE_SREGS			62
#define KVM_CAP_SPAPR_TCE			63
#define KVM_CAP_PPC_SMT				64
#define KVM_CAP_PPC_RMA				65
#define KVM_CAP_MAX_VCPUS			66	/* hard limit of vcpus per VM */
#define KVM_CAP_PPC_HIOR			67
#define KVM_CAP_PPC_PAPR			68
#define KVM_CAP_SW_TLB				69
#define KVM_CAP_ONE_REG				70
#define KVM_CAP_S390_GMAP			71
#define KVM_CAP_TSC_DEADLINE_TIMER		72
#define KVM_CAP_S390_UCONTROL			73
#define KVM_CAP_SYNC_REGS			74
#define KVM_CAP_PCI_2_3				75
#define KVM_CAP_KVMCLOCK_CTRL			76
#define KVM_CAP_SIGNAL_MSI			77
#define KVM_CAP_PPC_GET_SMMU_INFO		78
#define KVM_CAP_S390_COW			79
#define KVM_CAP_PPC_ALLOC_HTAB			80
#define KVM_CAP_READONLY_MEM			81
#define KVM_CAP_IRQFD_RESAMPLE			82
#define KVM_CAP_PPC_BOOKE_WATCHDOG		83
#define KVM_CAP_PPC_HTAB_FD			84
#define KVM_CAP_S390_CSS_SUPPORT		85
#define KVM_CAP_PPC_EPR				86
#define KVM_CAP_ARM_PSCI			87
#define KVM_CAP_ARM_SET_DEVICE_ADDR		88
#define KVM_CAP_DEVICE_CTRL			89
#define KVM_CAP_IRQ_MPIC			90
#define KVM_CAP_PPC_RTAS			91
#define KVM_CAP_IRQ_XICS			92
#define KVM_CAP_ARM_EL1_32BIT			93
#define KVM_CAP_SPAPR_MULTITCE			94
#define KVM_CAP_EXT_EMUL_CPUID			95
#define KVM_CAP_HYPERV_TIME			96
#define KVM_CAP_IOAPIC_POLARITY_IGNORED		97
#define KVM_CAP_ENABLE_CAP_VM			98
#define KVM_CAP_S390_IRQCHIP			99
#define KVM_CAP_IOEVENTFD_NO_LENGTH		100
#define KVM_CAP_VM_ATTRIBUTES			101
#define KVM_CAP_ARM_PSCI_0_2			102
#define KVM_CAP_PPC_FIXUP_HCALL			103
#define KVM_CAP_PPC_ENABLE_HCALL		104
#define KVM_CAP_CHECK_EXTENSION_VM		105
#define KVM_CAP_S390_USER_SIGP			106
#define KVM_CAP_S390_VECTOR_REGISTERS		107
#define KVM_CAP_S390_MEM_OP			108
#define KVM_CAP_S390_USER_STSI			109
#define KVM_CAP_S390_SKEYS			110
#define KVM_CAP_MIPS_FPU			111
#define KVM_CAP_MIPS_MSA			112
#define KVM_CAP_S390_INJECT_IRQ			113
#define KVM_CAP_S390_IRQ_STATE			114
#define KVM_CAP_PPC_HWRNG			115
#define KVM_CAP_DISABLE_QUIRKS			116
#define KVM_CAP_X86_SMM				117
#define KVM_CAP_MULTI_ADDRESS_SPACE		118
#define KVM_CAP_GUEST_DEBUG_HW_BPS		119
#define KVM_CAP_GUEST_DEBUG_HW_WPS		120
#define KVM_CAP_SPLIT_IRQCHIP			121
#define KVM_CAP_IOEVENTFD_ANY_LENGTH		122
#define KVM_CAP_HYPERV_SYNIC			123
#define KVM_CAP_S390_RI				124
#define KVM_CAP_SPAPR_TCE_64			125
#define KVM_CAP_ARM_PMU_V3			126
#define KVM_CAP_VCPU_ATTRIBUTES			127
#define KVM_CAP_MAX_VCPU_ID			128
#define KVM_CAP_X2APIC_API			129
#define KVM_CAP_S390_USER_INSTR0		130
#define KVM_CAP_MSI_DEVID			131
#define KVM_CAP_PPC_HTM				132
#define KVM_CAP_SPAPR_RESIZE_HPT		133
#define KVM_CAP_PPC_MMU_RADIX			134
#define KVM_CAP_PPC_MMU_HASH_V3			135
#define KVM_CAP_IMMEDIATE_EXIT			136
#define KVM_CAP_MIPS_VZ				137
#define KVM_CAP_MIPS_TE				138
#define KVM_CAP_MIPS_64BIT			139
#define KVM_CAP_S390_GS				140
#define KVM_CAP_S390_AIS			141
#define KVM_CAP_SPAPR_TCE_VFIO			142
#define KVM_CAP_X86_DISABLE_EXITS		143
#define KVM_CAP_ARM_USER_IRQ			144
#define KVM_CAP_S390_CMMA_MIGRATION		145
#define KVM_CAP_PPC_FWNMI			146
#define KVM_CAP_PPC_SMT_POSSIBLE		147
#define KVM_CAP_HYPERV_SYNIC2			148
#define KVM_CAP_HYPERV_VP_INDEX			149
#define KVM_CAP_S390_AIS_MIGRATION		150
#define KVM_CAP_PPC_GET_CPU_CHAR		151
#define KVM_CAP_S390_BPB			152
#define KVM_CAP_GET_MSR_FEATURES		153
#define KVM_CAP_HYPERV_EVENTFD			154
#define KVM_CAP_HYPERV_TLBFLUSH			155
#define KVM_CAP_S390_HPAGE_1M			156
#define KVM_CAP_NESTED_STATE			157
#define KVM_CAP_ARM_INJECT_SERROR_ESR		158
#define KVM_CAP_MSR_PLATFORM_INFO		159
#define KVM_CAP_PPC_NESTED_HV			160
#define KVM_CAP_HYPERV_SEND_IPI			161
#define KVM_CAP_COALESCED_PIO			162
#define KVM_CAP_HYPERV_ENLIGHTENED_VMCS		163
#define KVM_CAP_EXCEPTION_PAYLOAD		164
#define KVM_CAP_ARM_VM_IPA_SIZE			165
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT	166	/* obsolete: use ..._PROTECT2 */
#define KVM_CAP_HYPERV_CPUID			167
#define KVM_CAP_MANUAL_DIRTY_LOG_PROTECT2	168
#define KVM_CAP_PPC_IRQ_XIVE			169
#define KVM_CAP_ARM_SVE				170
#define KVM_CAP_ARM_PTRAUTH_ADDRESS		171
#define KVM_CAP_ARM_PTRAUTH_GENERIC		172
#define KVM_CAP_PMU_EVENT_FILTER		173
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2		174
#define KVM_CAP_HYPERV_DIRECT_TLBFLUSH		175
#define KVM_CAP_PPC_GUEST_DEBUG_SSTEP		176
#define KVM_CAP_ARM_NISV_TO_USER		177
#define KVM_CAP_ARM_INJECT_EXT_DABT		178
#define KVM_CAP_S390_VCPU_RESETS		179
#define KVM_CAP_S390_PROTECTED			180
#define KVM_CAP_PPC_SECURE_GUEST		181
#define KVM_CAP_HALT_POLL			182
#define KVM_CAP_ASYNC_PF_INT			183
#define KVM_CAP_LAST_CPU			184
#define KVM_CAP_SMALLER_MAXPHYADDR		185
#define KVM_CAP_S390_DIAG318			186
#define KVM_CAP_STEAL_TIME			187
#define KVM_CAP_X86_USER_SPACE_MSR		188
#define KVM_CAP_X86_MSR_FILTER			189
#define KVM_CAP_ENFORCE_PV_FEATURE_CPUID	190
#define KVM_CAP_SYS_HYPERV_CPUID		191
#define KVM_CAP_DIRTY_LOG_RING			192
#define KVM_CAP_X86_BUS_LOCK_EXIT		193
#define KVM_CAP_PPC_DAWR1			194
#define KVM_CAP_SET_GUEST_DEBUG2		195
#define KVM_CAP_SGX_ATTRIBUTE			196
#define KVM_CAP_VM_COPY_ENC_CONTEXT_FROM	197
#define KVM_CAP_PTP_KVM				198
#define KVM_CAP_HYPERV_ENFORCE_CPUID		199
#define KVM_CAP_SREGS2				200
#define KVM_CAP_EXIT_HYPERCALL			201
#define KVM_CAP_PPC_RPT_INVALIDATE		202
#define KVM_CAP_BINARY_STATS_FD			203
#define KVM_CAP_EXIT_ON_EMULATION_FAILURE	204
#define KVM_CAP_ARM_MTE				205
#define KVM_CAP_VM_MOVE_ENC_CONTEXT_FROM	206
#define KVM_CAP_VM_GPA_BITS			207
#define KVM_CAP_XSAVE2				208	/* answer: bytes of KVM_GET_XSAVE2 */
#define KVM_CAP_SYS_ATTRIBUTES			209
#define KVM_CAP_PPC_AIL_MODE_3			210
#define KVM_CAP_S390_MEM_OP_EXTENSION		211
#define KVM_CAP_PMU_CAPABILITY			212
#define KVM_CAP_DISABLE_QUIRKS2			213
#define KVM_CAP_VM_TSC_CONTROL			214
#define KVM_CAP_SYSTEM_EVENT_DATA		215
#define KVM_CAP_ARM_SYSTEM_SUSPEND		216
#define KVM_CAP_S390_PROTECTED_DUMP		217
#define KVM_CAP_X86_TRIPLE_FAULT_EVENT		218
#define KVM_CAP_X86_NOTIFY_VMEXIT		219
#define KVM_CAP_VM_DISABLE_NX_HUGE_PAGES	220
#define KVM_CAP_S390_ZPCI_OP			221
#define KVM_CAP_S390_CPU_TOPOLOGY		222
#define KVM_CAP_DIRTY_LOG_RING_ACQ_REL		223

/* ---- ONE_REG ------------------------------------------------------------ */

/*
 * KVM_GET_ONE_REG / KVM_SET_ONE_REG: id names a register (architecture in
 * bits 63..56, log2 of its size in bytes in bits 55..52, the rest chosen by
 * the architecture); addr points to a buffer of that size.
 */
struct kvm_one_reg {
	__u64 id;
	__u64 addr;
};

/* KVM_GET_REG_LIST */
struct kvm_reg_list {
	__u64 n;		/* in: room; out: number of registers */
	__u64 reg[];
};

#define KVM_REG_ARCH_MASK	0xff00000000000000ULL
#define KVM_REG_GENERIC		0x0000000000000000ULL
#define KVM_REG_PPC		0x1000000000000000ULL
#define KVM_REG_X86		0x2000000000000000ULL
#define KVM_REG_IA64		0x3000000000000000ULL
#define KVM_REG_ARM		0x4000000000000000ULL
#define KVM_REG_S390		0x5000000000000000ULL
#define KVM_REG_ARM64		0x6000000000000000ULL
#define KVM_REG_MIPS		0x7000000000000000ULL
#define KVM_REG_RISCV		0x8000000000000000ULL

#define KVM_REG_SIZE_SHIFT	52
#define KVM_REG_SIZE_MASK	0x00f0000000000000ULL
#define KVM_REG_SIZE_U8		0x0000000000000000ULL
#define KVM_REG_SIZE_U16	0x0010000000000000ULL
#define KVM_REG_SIZE_U32	0x0020000000000000ULL
#define KVM_REG_SIZE_U64	0x0030000000000000ULL
#define KVM_REG_SIZE_U128	0x0040000000000000ULL
#define KVM_REG_SIZE_U256	0x0050000000000000ULL
#define KVM_REG_SIZE_U512	0x0060000000000000ULL
#define KVM_REG_SIZE_U1024	0x0070000000000000ULL
#define KVM_REG_SIZE_U2048	0x0080000000000000ULL

/* ---- Devices ------------------------------------------------------------ */

/* KVM_CREATE_DEVICE: type in, fd out. */
struct kvm_create_device {
	__u32 type;
	__u32 fd;
	__u32 flags;		/* KVM_CREATE_DEVICE_TEST: only check the type */
};

#define KVM_CREATE_DEVICE_TEST 1

/* KVM_SET/GET/HAS_DEVICE_ATTR on device, VM, vcpu and /dev/kvm fds */
struct kvm_device_attr {
	__u32 flags;
	__u32 group;
	__u64 attr;
	__u64 addr;		/* user address of the value */
};

/* ---- Clock ---------------------------------------------------------- */

/* kvm_clock_data.flags */
#define KVM_CLOCK_TSC_STABLE	2	/* clock is the same on every vcpu */
#define KVM_CLOCK_REALTIME	(1 << 2)	/* realtime is valid */
#define KVM_CLOCK_HOST_TSC	(1 << 3)	/* host_tsc is valid */

/* KVM_GET_CLOCK / KVM_SET_CLOCK: the guest's kvmclock, in ns. */
struct kvm_clock_data {
	__u64 clock;
	__u32 flags;
	__u32 pad0;
	__u64 realtime;
	__u64 host_tsc;
	__u32 pad[4];
};

/* ---- ioctl numbers ---------------------------------------------------- */

#define KVMIO 0xAE

/* On /dev/kvm */
#define KVM_GET_API_VERSION		_IO(KVMIO, 0x00)
#define KVM_CREATE_VM			_IO(KVMIO, 0x01)	/* arg: machine type, 0 */
#define KVM_GET_MSR_INDEX_LIST		_IOWR(KVMIO, 0x02, struct kvm_msr_list)
#define KVM_CHECK_EXTENSION		_IO(KVMIO, 0x03)	/* also on VM fds */
#define KVM_GET_VCPU_MMAP_SIZE		_IO(KVMIO, 0x04)
#define KVM_GET_SUPPORTED_CPUID		_IOWR(KVMIO, 0x05, struct kvm_cpuid2)
#define KVM_GET_EMULATED_CPUID		_IOWR(KVMIO, 0x09, struct kvm_cpuid2)
#define KVM_GET_MSR_FEATURE_INDEX_LIST	_IOWR(KVMIO, 0x0a, struct kvm_msr_list)

/* On a VM fd */
#define KVM_CREATE_VCPU			_IO(KVMIO, 0x41)	/* arg: vcpu id */
#define KVM_GET_DIRTY_LOG		_IOW(KVMIO, 0x42, struct kvm_dirty_log)
#define KVM_SET_NR_MMU_PAGES		_IO(KVMIO, 0x44)
#define KVM_GET_NR_MMU_PAGES		_IO(KVMIO, 0x45)
#define KVM_SET_USER_MEMORY_REGION	_IOW(KVMIO, 0x46, struct kvm_userspace_memory_region)
#define KVM_SET_TSS_ADDR		_IO(KVMIO, 0x47)	/* arg: guest address, 3 pages */
#define KVM_SET_IDENTITY_MAP_ADDR	_IOW(KVMIO, 0x48, __u64)

#define KVM_CREATE_IRQCHIP		_IO(KVMIO, 0x60)
#define KVM_IRQ_LINE			_IOW(KVMIO, 0x61, struct kvm_irq_level)
#define KVM_GET_IRQCHIP			_IOWR(KVMIO, 0x62, struct kvm_irqchip)
/* _IOR although the kernel reads the argument: a historical mistake, kept. */
#define KVM_SET_IRQCHIP			_IOR(KVMIO, 0x63, struct kvm_irqchip)
#define KVM_CREATE_PIT			_IO(KVMIO, 0x64)
#define KVM_GET_PIT			_IOWR(KVMIO, 0x65, struct kvm_pit_state)
#define KVM_SET_PIT			_IOR(KVMIO, 0x66, struct kvm_pit_state)
#define KVM_IRQ_LINE_STATUS		_IOWR(KVMIO, 0x67, struct kvm_irq_level)
/* Same command number as KVM_IRQ_LINE_STATUS; the direction tells them apart. */
#define KVM_REGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x67, struct kvm_coalesced_mmio_zone)
#define KVM_UNREGISTER_COALESCED_MMIO	_IOW(KVMIO, 0x68, struct kvm_coalesced_mmio_zone)
#define KVM_SET_GSI_ROUTING		_IOW(KVMIO, 0x6a, struct kvm_irq_routing)
#define KVM_REINJECT_CONTROL		_IO(KVMIO, 0x71)
#define KVM_IRQFD			_IOW(KVMIO, 0x76, struct kvm_irqfd)
#define KVM_CREATE_PIT2			_IOW(KVMIO, 0x77, struct kvm_pit_config)
#define KVM_SET_BOOT_CPU_ID		_IO(KVMIO, 0x78)
#define KVM_IOEVENTFD			_IOW(KVMIO, 0x79, struct kvm_ioeventfd)
#define KVM_SET_CLOCK			_IOW(KVMIO, 0x7b, struct kvm_clock_data)
#define KVM_GET_CLOCK			_IOR(KVMIO, 0x7c, struct kvm_clock_data)
#define KVM_GET_PIT2			_IOR(KVMIO, 0x9f, struct kvm_pit_state2)
#define KVM_SET_PIT2			_IOW(KVMIO, 0xa0, struct kvm_pit_state2)
#define KVM_SET_TSC_KHZ			_IO(KVMIO, 0xa2)	/* also on vcpu fds */
#define KVM_GET_TSC_KHZ			_IO(KVMIO, 0xa3)	/* also on vcpu fds */
#define KVM_SIGNAL_MSI			_IOW(KVMIO, 0xa5, struct kvm_msi)
#define KVM_CLEAR_DIRTY_LOG		_IOWR(KVMIO, 0xc0, struct kvm_clear_dirty_log)

#define KVM_CREATE_DEVICE		_IOWR(KVMIO, 0xe0, struct kvm_create_device)
#define KVM_SET_DEVICE_ATTR		_IOW(KVMIO, 0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR		_IOW(KVMIO, 0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR		_IOW(KVMIO, 0xe3, struct kvm_device_attr)

/* On a vcpu fd */
#define KVM_RUN				_IO(KVMIO, 0x80)
#define KVM_GET_REGS			_IOR(KVMIO, 0x81, struct kvm_regs)
#define KVM_SET_REGS			_IOW(KVMIO, 0x82, struct kvm_regs)
#define KVM_GET_SREGS			_IOR(KVMIO, 0x83, struct kvm_sregs)
#define KVM_SET_SREGS			_IOW(KVMIO, 0x84, struct kvm_sregs)
#define KVM_TRANSLATE			_IOWR(KVMIO, 0x85, struct kvm_translation)
#define KVM_INTERRUPT			_IOW(KVMIO, 0x86, struct kvm_interrupt)
#define KVM_GET_MSRS			_IOWR(KVMIO, 0x88, struct kvm_msrs)
#define KVM_SET_MSRS			_IOW(KVMIO, 0x89, struct kvm_msrs)
#define KVM_SET_CPUID			_IOW(KVMIO, 0x8a, struct kvm_cpuid)
#define KVM_SET_SIGNAL_MASK		_IOW(KVMIO, 0x8b, struct kvm_signal_mask)
#define KVM_GET_FPU			_IOR(KVMIO, 0x8c, struct kvm_fpu)
#define KVM_SET_FPU			_IOW(KVMIO, 0x8d, struct kvm_fpu)
#define KVM_GET_LAPIC			_IOR(KVMIO, 0x8e, struct kvm_lapic_state)
#define KVM_SET_LAPIC			_IOW(KVMIO, 0x8f, struct kvm_lapic_state)
#define KVM_SET_CPUID2			_IOW(KVMIO, 0x90, struct kvm_cpuid2)
#define KVM_GET_CPUID2			_IOWR(KVMIO, 0x91, struct kvm_cpuid2)
#define KVM_TPR_ACCESS_REPORTING	_IOWR(KVMIO, 0x92, struct kvm_tpr_access_ctl)
#define KVM_SET_VAPIC_ADDR		_IOW(KVMIO, 0x93, struct kvm_vapic_addr)
#define KVM_GET_MP_STATE		_IOR(KVMIO, 0x98, struct kvm_mp_state)
#define KVM_SET_MP_STATE		_IOW(KVMIO, 0x99, struct kvm_mp_state)
#define KVM_NMI				_IO(KVMIO, 0x9a)
#define KVM_SET_GUEST_DEBUG		_IOW(KVMIO, 0x9b, struct kvm_guest_debug)
#define KVM_X86_SETUP_MCE		_IOW(KVMIO, 0x9c, __u64)
#define KVM_X86_GET_MCE_CAP_SUPPORTED	_IOR(KVMIO, 0x9d, __u64)
#define KVM_X86_SET_MCE			_IOW(KVMIO, 0x9e, struct kvm_x86_mce)
/* 0x9f/0xa0 are reused with other types on VM fds (KVM_GET/SET_PIT2). */
#define KVM_GET_VCPU_EVENTS		_IOR(KVMIO, 0x9f, struct kvm_vcpu_events)
#define KVM_SET_VCPU_EVENTS		_IOW(KVMIO, 0xa0, struct kvm_vcpu_events)
#define KVM_GET_DEBUGREGS		_IOR(KVMIO, 0xa1, struct kvm_debugregs)
#define KVM_SET_DEBUGREGS		_IOW(KVMIO, 0xa2, struct kvm_debugregs)
#define KVM_ENABLE_CAP			_IOW(KVMIO, 0xa3, struct kvm_enable_cap)
#define KVM_GET_XSAVE			_IOR(KVMIO, 0xa4, struct kvm_xsave)
#define KVM_SET_XSAVE			_IOW(KVMIO, 0xa5, struct kvm_xsave)
#define KVM_GET_XCRS			_IOR(KVMIO, 0xa6, struct kvm_xcrs)
#define KVM_SET_XCRS			_IOW(KVMIO, 0xa7, struct kvm_xcrs)
#define KVM_GET_ONE_REG			_IOW(KVMIO, 0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG			_IOW(KVMIO, 0xac, struct kvm_one_reg)
#define KVM_KVMCLOCK_CTRL		_IO(KVMIO, 0xad)
#define KVM_GET_REG_LIST		_IOWR(KVMIO, 0xb0, struct kvm_reg_list)
#define KVM_SMI				_IO(KVMIO, 0xb7)
#define KVM_GET_SREGS2			_IOR(KVMIO, 0xcc, struct kvm_sregs2)
#define KVM_SET_SREGS2			_IOW(KVMIO, 0xcd, struct kvm_sregs2)
/* Like KVM_GET_XSAVE, but the buffer is KVM_CHECK_EXTENSION(KVM_CAP_XSAVE2) bytes. */
#define KVM_GET_XSAVE2			_IOR(KVMIO, 0xcf, struct kvm_xsave)

/* ---- Layout checks ------------------------------------------------------ */

#define __TERN_KVM_OFFSET(type, field, bytes)				\
	__TERN_KVM_ASSERT(__builtin_offsetof(type, field) == (bytes),	\
			  #type "." #field " is at the wrong offset")

/* The exit union is 256 bytes at offset 32; sync regs follow it. */
__TERN_KVM_OFFSET(struct kvm_run, hw, 32);
__TERN_KVM_OFFSET(struct kvm_run, kvm_valid_regs, 288);
__TERN_KVM_OFFSET(struct kvm_run, s, 304);
__TERN_KVM_SIZE(struct kvm_run, 304 + SYNC_REGS_SIZE_BYTES);
__TERN_KVM_ASSERT(sizeof(struct kvm_sync_regs) <= SYNC_REGS_SIZE_BYTES,
		  "kvm_sync_regs does not fit its padding");
__TERN_KVM_OFFSET(struct kvm_run, io.data_offset, 40);
__TERN_KVM_OFFSET(struct kvm_run, mmio.is_write, 52);
__TERN_KVM_SIZE(struct kvm_userspace_memory_region, 32);
__TERN_KVM_SIZE(struct kvm_irqchip, 520);
__TERN_KVM_SIZE(struct kvm_coalesced_mmio, 24);
__TERN_KVM_SIZE(struct kvm_dirty_log, 16);
__TERN_KVM_SIZE(struct kvm_guest_debug, 72);
__TERN_KVM_SIZE(struct kvm_ioeventfd, 64);
__TERN_KVM_SIZE(struct kvm_irqfd, 32);
__TERN_KVM_SIZE(struct kvm_msi, 32);
__TERN_KVM_SIZE(struct kvm_irq_routing_entry, 48);
__TERN_KVM_SIZE(struct kvm_enable_cap, 104);
__TERN_KVM_SIZE(struct kvm_clock_data, 48);

#endif /* TERN_UAPI_LINUX_KVM_H */
