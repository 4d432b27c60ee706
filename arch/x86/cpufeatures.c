/*
 * CPU feature detection (boot CPU, once) and the control-register setup every
 * CPU does with the result. The VMX capability MSRs and VM_CR are read with
 * rdmsr_safe(): emulators and hypervisors underneath do not all implement them.
 */
#include "arch/x86/cpufeatures.h"
#include "arch/x86/cpu.h"
#include "arch/x86/traps.h"
#include "hv/format.h"
#include "hv/log.h"
#include "hv/string.h"

#define MSR_VMX_BASIC			0x480
#define MSR_VMX_PROCBASED_CTLS		0x482
#define MSR_VMX_PROCBASED_CTLS2		0x48b
#define MSR_VMX_EPT_VPID_CAP		0x48c
#define MSR_VMX_TRUE_PROCBASED_CTLS	0x48e
#define MSR_VM_CR			0xc0010114

#define FEATURE_CONTROL_LOCKED		(1UL << 0)
#define FEATURE_CONTROL_VMX_OUTSIDE_SMX	(1UL << 2)
#define VMX_BASIC_TRUE_CTLS		(1UL << 55)
#define VMX_PROC_SECONDARY		(1UL << 31)	/* "activate secondary controls" */
#define VMX_PROC2_EPT			(1UL << 1)
#define VMX_PROC2_VPID			(1UL << 5)
#define VMX_PROC2_UNRESTRICTED		(1UL << 7)
#define VM_CR_SVMDIS			(1UL << 4)

#define CR0_NW				(1UL << 29)
#define CR0_CD				(1UL << 30)
#define CR4_MCE				(1UL << 6)
#define XCR0_X87			(1UL << 0)
#define XCR0_SSE			(1UL << 1)

struct cpu_features cpu_features;

static bool bit(uint32_t reg, unsigned int n)
{
	return (reg >> n) & 1;
}

static bool bit64(uint64_t reg, unsigned int n)
{
	return (reg >> n) & 1;
}

static void detect_basic(struct cpu_features *f)
{
	struct cpuid_regs r = cpuid(0, 0);
	uint32_t fam;

	f->max_leaf = r.eax;
	memcpy(f->vendor, &r.ebx, 4);
	memcpy(f->vendor + 4, &r.edx, 4);
	memcpy(f->vendor + 8, &r.ecx, 4);
	f->vendor[12] = '\0';

	r = cpuid(1, 0);
	fam = (r.eax >> 8) & 0xf;
	f->family = fam == 0xf ? fam + ((r.eax >> 20) & 0xff) : fam;
	f->model = (r.eax >> 4) & 0xf;
	if (fam == 0x6 || fam == 0xf)
		f->model |= ((r.eax >> 16) & 0xf) << 4;
	f->stepping = r.eax & 0xf;
	f->vmx = bit(r.ecx, 5);
	f->pcid = bit(r.ecx, 17);
	f->x2apic = bit(r.ecx, 21);
	f->tsc_deadline = bit(r.ecx, 24);
	f->xsave = bit(r.ecx, 26);
	f->avx = bit(r.ecx, 28);
	f->hypervisor = bit(r.ecx, 31);
	f->mce = bit(r.edx, 7);
	f->apic = bit(r.edx, 9);
	f->pge = bit(r.edx, 13);
	f->mca = bit(r.edx, 14);
	f->pat = bit(r.edx, 16);
	f->fxsr = bit(r.edx, 24);
	f->sse2 = bit(r.edx, 26);

	if (f->max_leaf >= 7) {
		r = cpuid(7, 0);
		f->fsgsbase = bit(r.ebx, 0);
		f->smep = bit(r.ebx, 7);
		f->invpcid = bit(r.ebx, 10);
		f->smap = bit(r.ebx, 20);
		f->umip = bit(r.ecx, 2);
		f->la57 = bit(r.ecx, 16);
	}
	if (f->max_leaf >= 0xd && f->xsave) {
		r = cpuid(0xd, 0);
		f->xcr0_supported = ((uint64_t)r.edx << 32) | r.eax;
		f->xsave_size_max = r.ecx;
	}

	f->max_ext_leaf = cpuid(0x80000000, 0).eax;
	if (f->max_ext_leaf >= 0x80000001) {
		r = cpuid(0x80000001, 0);
		f->svm = bit(r.ecx, 2);
		f->nx = bit(r.edx, 20);
		f->pdpe1gb = bit(r.edx, 26);
		f->rdtscp = bit(r.edx, 27);
	}
	if (f->max_ext_leaf >= 0x80000007)
		f->invariant_tsc = bit(cpuid(0x80000007, 0).edx, 8);
	if (f->max_ext_leaf >= 0x80000008) {
		r = cpuid(0x80000008, 0);
		f->phys_addr_bits = r.eax & 0xff;
		f->virt_addr_bits = (r.eax >> 8) & 0xff;
	} else {
		f->phys_addr_bits = 36;
		f->virt_addr_bits = 48;
	}
}

/* Returns false (and says why) if firmware has switched VMX off. */
static bool vmx_usable(void)
{
	uint64_t fc;

	if (!rdmsr_safe(MSR_FEATURE_CONTROL, &fc)) {
		/* Nothing to tell us no; VMXON itself will be the judge. */
		pr_debug("cpu: IA32_FEATURE_CONTROL unreadable; assuming VMX is allowed\n");
		return true;
	}
	/* Unlocked, the VMX backend may set the enable bit and lock it itself. */
	if ((fc & FEATURE_CONTROL_LOCKED) && !(fc & FEATURE_CONTROL_VMX_OUTSIDE_SMX)) {
		pr_warn("cpu: VMX disabled by firmware (IA32_FEATURE_CONTROL locked without "
			"VMXON outside SMX); enable VT-x in the firmware setup\n");
		return false;
	}
	return true;
}

static void detect_vmx(struct cpu_features *f)
{
	uint64_t basic, proc, proc2 = 0, cap = 0;
	uint32_t proc2_allowed;

	if (!rdmsr_safe(MSR_VMX_BASIC, &basic)) {
		pr_warn("cpu: CPUID reports VMX but IA32_VMX_BASIC is unreadable\n");
		return;
	}
	f->vmx_basic = basic;
	f->vmx_true_ctls = basic & VMX_BASIC_TRUE_CTLS;
	/* Allowed-1 settings are the high half; TRUE_ variants only relax the allowed-0 half. */
	if (!rdmsr_safe(f->vmx_true_ctls ? MSR_VMX_TRUE_PROCBASED_CTLS : MSR_VMX_PROCBASED_CTLS,
			&proc))
		return;
	f->vmx_secondary = (proc >> 32) & VMX_PROC_SECONDARY;
	if (!f->vmx_secondary || !rdmsr_safe(MSR_VMX_PROCBASED_CTLS2, &proc2))
		return;
	proc2_allowed = proc2 >> 32;
	f->vmx_ept = proc2_allowed & VMX_PROC2_EPT;
	f->vmx_vpid = proc2_allowed & VMX_PROC2_VPID;
	f->vmx_unrestricted = f->vmx_ept && (proc2_allowed & VMX_PROC2_UNRESTRICTED);
	/* The capability MSR exists only if EPT or VPID can be enabled. */
	if (!(f->vmx_ept || f->vmx_vpid) || !rdmsr_safe(MSR_VMX_EPT_VPID_CAP, &cap))
		return;
	if (f->vmx_ept) {
		f->vmx_ept_4level = bit64(cap, 6);
		f->vmx_ept_wb = bit64(cap, 14);
		f->vmx_ept_2m = bit64(cap, 16);
		f->vmx_ept_1g = bit64(cap, 17);
		f->vmx_invept = bit64(cap, 20);
		f->vmx_ept_ad = bit64(cap, 21);
		f->vmx_invept_single = bit64(cap, 25);
		f->vmx_invept_all = bit64(cap, 26);
	}
	if (f->vmx_vpid) {
		f->vmx_invvpid = bit64(cap, 32);
		f->vmx_invvpid_single = bit64(cap, 41);
		f->vmx_invvpid_all = bit64(cap, 42);
	}
}

/* Returns false (and says why) if firmware has switched SVM off. */
static bool svm_usable(void)
{
	uint64_t vm_cr;

	if (!rdmsr_safe(MSR_VM_CR, &vm_cr)) {
		pr_debug("cpu: VM_CR unreadable; assuming SVM is allowed\n");
		return true;
	}
	if (vm_cr & VM_CR_SVMDIS) {
		pr_warn("cpu: SVM disabled by firmware (VM_CR.SVMDIS set); enable AMD-V/SVM "
			"in the firmware setup\n");
		return false;
	}
	return true;
}

static void detect_svm(struct cpu_features *f)
{
	struct cpuid_regs r;

	if (f->max_ext_leaf < 0x8000000a)
		return;
	r = cpuid(0x8000000a, 0);
	f->svm_revision = r.eax & 0xff;
	f->svm_nr_asids = r.ebx;
	f->svm_npt = bit(r.edx, 0);
	f->svm_lbrv = bit(r.edx, 1);
	f->svm_nrips = bit(r.edx, 3);
	f->svm_tsc_rate = bit(r.edx, 4);
	f->svm_vmcb_clean = bit(r.edx, 5);
	f->svm_flush_by_asid = bit(r.edx, 6);
	f->svm_decode_assists = bit(r.edx, 7);
	f->svm_pause_filter = bit(r.edx, 10);
	f->svm_avic = bit(r.edx, 13);
	f->svm_vls = bit(r.edx, 15);
	f->svm_vgif = bit(r.edx, 16);
}

void cpu_features_detect(void)
{
	struct cpu_features *f = &cpu_features;

	memset(f, 0, sizeof(*f));
	detect_basic(f);
	f->virt = VIRT_NONE;
	if (f->vmx) {
		detect_vmx(f);
		if (f->vmx_basic && vmx_usable())
			f->virt = VIRT_VMX;
	} else if (f->svm) {
		detect_svm(f);
		if (svm_usable())
			f->virt = VIRT_SVM;
	} else {
		pr_warn("cpu: no VMX or SVM in CPUID; tern cannot run virtual machines here\n");
	}
}

struct word_buf {
	char s[256];
	size_t len;
};

static void add_word(struct word_buf *b, bool cond, const char *word)
{
	int n;

	if (!cond || b->len >= sizeof(b->s))
		return;
	n = fmt_snprintf(b->s + b->len, sizeof(b->s) - b->len, " %s", word);
	b->len = MIN(b->len + n, sizeof(b->s) - 1);
}

void cpu_features_log(void)
{
	const struct cpu_features *f = &cpu_features;
	static const char *const virt_names[] = {
		[VIRT_NONE] = "none", [VIRT_VMX] = "vmx", [VIRT_SVM] = "svm",
	};
	struct word_buf b = { .len = 0 };
	char asids[24];

	b.s[0] = '\0';
	if (f->virt == VIRT_VMX) {
		add_word(&b, f->vmx_ept, "ept");
		add_word(&b, f->vmx_vpid, "vpid");
		add_word(&b, f->vmx_unrestricted, "ug");
		add_word(&b, f->vmx_ept_2m, "ept2m");
		add_word(&b, f->vmx_ept_1g, "ept1g");
		add_word(&b, f->vmx_ept_ad, "eptad");
	} else if (f->virt == VIRT_SVM) {
		fmt_snprintf(asids, sizeof(asids), "asids=%u", f->svm_nr_asids);
		add_word(&b, f->svm_npt, "npt");
		add_word(&b, f->svm_nrips, "nrips");
		add_word(&b, f->svm_decode_assists, "decodeassists");
		add_word(&b, f->svm_vmcb_clean, "vmcbclean");
		add_word(&b, f->svm_flush_by_asid, "flushbyasid");
		add_word(&b, true, asids);
	}
	add_word(&b, f->x2apic, "x2apic");
	add_word(&b, f->tsc_deadline, "tscdeadline");
	add_word(&b, f->invariant_tsc, "invtsc");
	add_word(&b, f->xsave, "xsave");
	add_word(&b, f->pdpe1gb, "1gpage");
	add_word(&b, f->smep, "smep");
	add_word(&b, f->smap, "smap");
	add_word(&b, f->nx, "nx");
	add_word(&b, f->pcid, "pcid");
	add_word(&b, f->invpcid, "invpcid");
	add_word(&b, f->fsgsbase, "fsgsbase");
	add_word(&b, f->rdtscp, "rdtscp");
	add_word(&b, f->hypervisor, "hypervisor");
	pr_info("cpu: %s virt=%s%s\n", f->vendor, virt_names[f->virt], b.s);
	pr_debug("cpu: family %#x model %#x stepping %u, %u-bit physical / %u-bit virtual "
		 "addresses, xcr0 %#lx\n", f->family, f->model, f->stepping, f->phys_addr_bits,
		 f->virt_addr_bits, f->xcr0_supported);
}

static void xsetbv(uint32_t reg, uint64_t value)
{
	__asm__ volatile("xsetbv" :: "c"(reg), "a"((uint32_t)value), "d"((uint32_t)(value >> 32)));
}

void cpu_features_enable(void)
{
	const struct cpu_features *f = &cpu_features;
	uint64_t cr0 = read_cr0(), cr4 = read_cr4();

	/*
	 * SSE state must be usable (guests' FPU state is switched with FXSAVE/XSAVE):
	 * no EM, no TS. Caches on: Bochs' BIOS and GRUB leave CR0.CD/NW set from reset.
	 */
	cr0 = (cr0 | CR0_MP | CR0_NE) & ~(CR0_EM | CR0_TS | CR0_CD | CR0_NW);
	write_cr0(cr0);

	cr4 |= CR4_OSFXSR | CR4_OSXMMEXCPT;
	/* Without CR4.MCE a machine check shuts the machine down instead of reaching #MC. */
	if (f->mce)
		cr4 |= CR4_MCE;
	if (f->xsave)
		cr4 |= CR4_OSXSAVE;
	/* The core never executes or (yet) touches user memory: catch it if it tries. */
	if (f->smep)
		cr4 |= CR4_SMEP;
	if (f->smap)
		cr4 |= CR4_SMAP;
	write_cr4(cr4);

	/* The core itself uses no FPU/SSE state; x87+SSE is the minimum XCR0 with SSE on. */
	if (f->xsave)
		xsetbv(0, (XCR0_X87 | XCR0_SSE) & (f->xcr0_supported | XCR0_X87));

	if (f->nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
}
