/*
 * Per-CPU VMX enable: IA32_FEATURE_CONTROL, the CR0/CR4 fixed bits, CR4.VMXE
 * and VMXON with this CPU's VMXON region. Also the thin wrappers around the
 * VMX instructions that take a physical address.
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"

#define FEATURE_CONTROL_LOCK		(1ULL << 0)
#define FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ULL << 2)

static paddr_t vmxon_region[MAX_CPUS];
static bool caps_ready;
static spinlock_t caps_lock = SPINLOCK_INIT;

/* RFLAGS after a VMX instruction: CF = VMfailInvalid, ZF = VMfailValid. */
static int vmx_insn_status(uint64_t rflags)
{
	if (rflags & 1)
		return 1;
	if (rflags & (1 << 6))
		return 2;
	return 0;
}

static void report_fail(const char *insn, int status)
{
	if (status == 1)
		pr_err("vmx: %s: VMfailInvalid\n", insn);
	else
		pr_err("vmx: %s: VMfailValid, VM-instruction error %lu\n", insn,
		       vmcs_read(VMCS_VM_INSN_ERROR));
}

#define VMX_PA_INSN(name, insn)							\
	static int name(paddr_t pa)						\
	{									\
		uint64_t fl;							\
		__asm__ volatile(insn " %1; pushfq; popq %0"			\
				 : "=r"(fl) : "m"(pa) : "cc", "memory");	\
		return vmx_insn_status(fl);					\
	}
VMX_PA_INSN(do_vmxon, "vmxon")
VMX_PA_INSN(do_vmclear, "vmclear")
VMX_PA_INSN(do_vmptrld, "vmptrld")

bool vmx_vmclear(paddr_t pa)
{
	int st = do_vmclear(pa);

	if (st)
		report_fail("VMCLEAR", st);
	return !st;
}

bool vmx_vmptrld(paddr_t pa)
{
	int st = do_vmptrld(pa);

	if (st)
		report_fail("VMPTRLD", st);
	return !st;
}

struct inv_desc {
	uint64_t a, b;
};

static void invvpid(unsigned long type, uint16_t vpid)
{
	struct inv_desc d = { vpid, 0 };

	__asm__ volatile("invvpid %0, %1" :: "m"(d), "r"(type) : "cc", "memory");
}

void vmx_invvpid_single(uint16_t vpid)
{
	if (vmx_caps.ept_vpid & VPID_CAP_SINGLE)
		invvpid(1, vpid);
	else
		invvpid(2, 0);
}

void vmx_invept(paddr_t eptp)
{
	struct inv_desc d = { eptp, 0 };
	bool single = vmx_caps.ept_vpid & EPT_CAP_INVEPT_SINGLE;

	__asm__ volatile("invept %0, %1" :: "m"(d), "r"(single ? 1UL : 2UL) : "cc", "memory");
}

uint32_t vmx_vmcs_revision(void)
{
	return vmx_caps.revision;
}

/* Reads the capabilities once; every CPU of a machine reports the same. */
static int read_caps(void)
{
	struct vmx_caps *c = &vmx_caps;
	uint64_t basic = rdmsr(MSR_VMX_BASIC);
	unsigned int size = (basic >> 32) & 0x1fff;
	unsigned int memtype = (basic >> 50) & 0xf;
	int err;

	c->basic = basic;
	c->revision = basic & 0x7fffffff;
	if (size > PAGE_SIZE || memtype != 6) {
		pr_err("vmx: VMCS of %u bytes, memory type %u: unsupported\n", size, memtype);
		return -ENODEV;
	}
	if (basic & (1ULL << 48)) {
		pr_err("vmx: CPU limits VMX structures to 32-bit addresses\n");
		return -ENODEV;
	}
	c->has_tsc_aux = cpuid(0x80000001, 0).edx & (1u << 27);
	err = vmx_controls_init();
	if (err)
		return err;
	pr_info("vmx: revision %#x, true controls %s, pin %#x proc %#x proc2 %#x exit %#x "
		"entry %#x, ept/vpid %#lx\n", c->revision,
		(basic & VMX_BASIC_TRUE_CTLS) ? "yes" : "no", c->pin, c->proc, c->proc2,
		c->exit, c->entry, c->ept_vpid);
	return 0;
}

int vmx_cpu_enable(void)
{
	uint32_t cpu = this_cpu()->cpu_id;
	uint64_t fc, cr0, cr4;
	uint32_t *region;
	int err = 0, st;

	if (!(cpuid(1, 0).ecx & (1u << 5))) {
		pr_err("vmx: CPU %u has no VMX\n", cpu);
		return -ENODEV;
	}
	if (read_cr4() & CR4_VMXE)
		return vmxon_region[cpu] ? 0 : -EBUSY;

	fc = rdmsr(MSR_FEATURE_CONTROL);
	if (fc & FEATURE_CONTROL_LOCK) {
		if (!(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX)) {
			pr_err("vmx: VMX disabled by the firmware (IA32_FEATURE_CONTROL locked, %#lx)\n",
			       fc);
			return -EPERM;
		}
	} else {
		wrmsr(MSR_FEATURE_CONTROL,
		      fc | FEATURE_CONTROL_LOCK | FEATURE_CONTROL_VMXON_OUTSIDE_SMX);
	}

	spin_lock(&caps_lock);
	if (!caps_ready) {
		err = read_caps();
		caps_ready = !err;
	}
	spin_unlock(&caps_lock);
	if (err)
		return err;

	cr0 = read_cr0();
	if ((cr0 & vmx_caps.cr0_fixed0) != vmx_caps.cr0_fixed0 || (cr0 & ~vmx_caps.cr0_fixed1)) {
		cr0 = (cr0 | vmx_caps.cr0_fixed0) & vmx_caps.cr0_fixed1;
		write_cr0(cr0);
	}
	cr4 = (read_cr4() | vmx_caps.cr4_fixed0 | CR4_VMXE) & vmx_caps.cr4_fixed1;
	write_cr4(cr4);

	if (!vmxon_region[cpu]) {
		paddr_t pa = frame_alloc(0);

		if (pa == FRAME_NONE) {
			write_cr4(cr4 & ~CR4_VMXE);
			pr_err("vmx: no memory for the VMXON region of CPU %u\n", cpu);
			return -ENOMEM;
		}
		vmxon_region[cpu] = pa;
	}
	region = phys_to_virt(vmxon_region[cpu]);
	region[0] = vmx_caps.revision;
	st = do_vmxon(vmxon_region[cpu]);
	if (st) {
		report_fail("VMXON", st);
		write_cr4(cr4 & ~CR4_VMXE);
		return -EIO;
	}
	/* Stale translations of a previous owner of this CPU must not survive. */
	if (vmx_caps.ept_vpid & VPID_CAP_ALL)
		invvpid(2, 0);
	pr_debug("vmx: CPU %u in VMX root operation\n", cpu);
	return 0;
}
