/*
 * vcpu lifetime on VMX: the VMCS and its bitmaps, the host-state fields of the
 * CPU a vcpu runs on, and VMPTRLD/VMCLEAR with the lazily switched MSRs,
 * CR2 and debug registers (none of which the VMCS switches).
 */
#include "arch/x86/vmx/vmx.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/cpu.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/percpu.h"
#include "hv/spinlock.h"
#include "hv/string.h"
#include "hv/vm.h"

#define VPID_COUNT	65536
static uint64_t vpid_used[VPID_COUNT / 64] = { 1 };	/* VPID 0 is the host's */
static spinlock_t vpid_lock = SPINLOCK_INIT;

static uint16_t vpid_alloc(void)
{
	uint16_t vpid = 0;

	spin_lock(&vpid_lock);
	for (unsigned int i = 0; i < ARRAY_SIZE(vpid_used) && !vpid; i++) {
		if (vpid_used[i] == ~0ULL)
			continue;
		vpid = i * 64 + __builtin_ctzll(~vpid_used[i]);
		vpid_used[i] |= 1ULL << (vpid % 64);
	}
	spin_unlock(&vpid_lock);
	return vpid;
}

static void vpid_free(uint16_t vpid)
{
	spin_lock(&vpid_lock);
	if (vpid)
		vpid_used[vpid / 64] &= ~(1ULL << (vpid % 64));
	spin_unlock(&vpid_lock);
}

uint64_t vmx_eptp(struct vm *vm)
{
	uint64_t eptp = npt_root(vm->npt) | (3 << 3) | 6;	/* 4 levels, write-back */

	if (vmx_caps.ept_vpid & EPT_CAP_AD)
		eptp |= 1 << 6;
	return eptp;
}

static uint64_t vmptrst(void)
{
	uint64_t pa;

	__asm__ volatile("vmptrst %0" : "=m"(pa) :: "cc");
	return pa;
}

struct desc_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

/* Host fields that differ between CPUs or are set up by the core late. */
static void write_host_state(void)
{
	struct desc_ptr gdt, idt;
	uint16_t sel;
	uint64_t *desc;

	vmcs_write(VMCS_HOST_CR0, read_cr0());
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_CR4, read_cr4());
#define HOST_SEL(field, reg)							\
	do {									\
		__asm__ volatile("mov %%" reg ", %0" : "=r"(sel));		\
		vmcs_write(field, sel & 0xf8);					\
	} while (0)
	HOST_SEL(VMCS_HOST_CS_SEL, "cs");
	HOST_SEL(VMCS_HOST_SS_SEL, "ss");
	HOST_SEL(VMCS_HOST_DS_SEL, "ds");
	HOST_SEL(VMCS_HOST_ES_SEL, "es");
	HOST_SEL(VMCS_HOST_FS_SEL, "fs");
	HOST_SEL(VMCS_HOST_GS_SEL, "gs");
#undef HOST_SEL
	__asm__ volatile("str %0" : "=r"(sel));
	vmcs_write(VMCS_HOST_TR_SEL, sel & 0xf8);
	__asm__ volatile("sgdt %0; sidt %1" : "=m"(gdt), "=m"(idt));
	vmcs_write(VMCS_HOST_GDTR_BASE, gdt.base);
	vmcs_write(VMCS_HOST_IDTR_BASE, idt.base);
	/* The TSS base as the loaded descriptor says (16-byte system descriptor). */
	desc = (uint64_t *)(gdt.base + (sel & 0xf8));
	vmcs_write(VMCS_HOST_TR_BASE, (sel & 0xf8) ?
		   (((desc[0] >> 16) & 0xffffff) | ((desc[0] >> 32) & 0xff000000) |
		    (desc[1] << 32)) : 0);
	/* The core keeps its per-CPU pointer in GS base. */
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_write(VMCS_HOST_GS_BASE, rdmsr(MSR_GS_BASE));
	vmcs_write(VMCS_HOST_SYSENTER_CS, rdmsr(MSR_IA32_SYSENTER_CS));
	vmcs_write(VMCS_HOST_SYSENTER_ESP, rdmsr(MSR_IA32_SYSENTER_ESP));
	vmcs_write(VMCS_HOST_SYSENTER_EIP, rdmsr(MSR_IA32_SYSENTER_EIP));
	vmcs_write(VMCS_HOST_EFER, rdmsr(MSR_EFER));
	vmcs_write(VMCS_HOST_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_write(VMCS_HOST_RIP, (uintptr_t)vmx_exit_stub);
}

/* Intercepts nothing for @index (it is switched by the VMCS or lazily). */
static void msr_passthrough(struct vmx_vcpu *x, uint32_t index)
{
	vmx_set_msr_intercept_raw(x, index, 0);
}

static void write_controls(struct vcpu *v, struct vmx_vcpu *x)
{
	vmcs_write(VMCS_PIN_CONTROLS, vmx_caps.pin);
	vmcs_write(VMCS_PROC_CONTROLS, x->proc);
	vmcs_write(VMCS_PROC_CONTROLS2, x->proc2);
	vmcs_write(VMCS_EXIT_CONTROLS, vmx_caps.exit);
	vmcs_write(VMCS_ENTRY_CONTROLS, x->entry);
	vmcs_write(VMCS_EXCEPTION_BITMAP, x->exception_bitmap);
	vmcs_write(VMCS_PF_ERROR_MASK, 0);
	vmcs_write(VMCS_PF_ERROR_MATCH, 0);
	vmcs_write(VMCS_CR3_TARGET_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write(VMCS_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, 0);
	vmcs_write(VMCS_IO_BITMAP_A, virt_to_phys(x->io_bitmap));
	vmcs_write(VMCS_IO_BITMAP_B, virt_to_phys(x->io_bitmap) + PAGE_SIZE);
	vmcs_write(VMCS_MSR_BITMAP, virt_to_phys(x->msr_bitmap));
	if (x->proc & PROC_TPR_SHADOW) {
		vmcs_write(VMCS_VIRTUAL_APIC_PAGE, virt_to_phys(x->vapic));
		vmcs_write(VMCS_TPR_THRESHOLD, 0);
	}
	vmcs_write(VMCS_TSC_OFFSET, 0);
	vmcs_write(VMCS_VPID, x->vpid);
	vmcs_write(VMCS_EPT_POINTER, vmx_eptp(v->vm));
	vmcs_write(VMCS_CR0_MASK, vmx_caps.cr0_host_owned);
	vmcs_write(VMCS_CR4_MASK, vmx_caps.cr4_host_owned);
	vmcs_write(VMCS_LINK_POINTER, ~0ULL);
}

static void free_backend(struct vmx_vcpu *x)
{
	if (x->vmcs)
		frame_free(virt_to_phys(x->vmcs), 0);
	if (x->io_bitmap)
		frame_free(virt_to_phys(x->io_bitmap), 1);
	if (x->msr_bitmap)
		frame_free(virt_to_phys(x->msr_bitmap), 0);
	if (x->vapic)
		frame_free(virt_to_phys(x->vapic), 0);
	vpid_free(x->vpid);
	kfree(x);
}

static void *alloc_page_va(unsigned int order)
{
	paddr_t pa = frame_alloc(order);

	return pa == FRAME_NONE ? NULL : phys_to_virt(pa);
}

int vmx_vcpu_init(struct vcpu *v)
{
	struct vmx_vcpu *x;
	uint64_t prev;
	bool ok;

	if (!v->vm || !v->vm->npt)
		return -EINVAL;
	x = kzalloc(sizeof(*x));
	if (!x)
		return -ENOMEM;
	x->vmcs = alloc_page_va(0);
	x->io_bitmap = alloc_page_va(1);
	x->msr_bitmap = alloc_page_va(0);
	if (vmx_caps.proc & PROC_TPR_SHADOW)
		x->vapic = alloc_page_va(0);
	x->vpid = vpid_alloc();
	if (!x->vmcs || !x->io_bitmap || !x->msr_bitmap || !x->vpid ||
	    ((vmx_caps.proc & PROC_TPR_SHADOW) && !x->vapic)) {
		free_backend(x);
		pr_err("vmx: out of memory or VPIDs for vcpu %u\n", v->id);
		return -ENOMEM;
	}
	x->vmcs_pa = virt_to_phys(x->vmcs);
	*(uint32_t *)x->vmcs = vmx_caps.revision;
	/* Every port exits; every MSR exits except those the VMCS or load/put switch. */
	memset(x->io_bitmap, 0xff, 2 * PAGE_SIZE);
	memset(x->msr_bitmap, 0xff, PAGE_SIZE);
	msr_passthrough(x, MSR_FS_BASE);
	msr_passthrough(x, MSR_GS_BASE);
	msr_passthrough(x, MSR_KERNEL_GS_BASE);
	msr_passthrough(x, MSR_IA32_SYSENTER_CS);
	msr_passthrough(x, MSR_IA32_SYSENTER_ESP);
	msr_passthrough(x, MSR_IA32_SYSENTER_EIP);
	msr_passthrough(x, MSR_STAR);
	msr_passthrough(x, MSR_LSTAR);
	msr_passthrough(x, MSR_CSTAR);
	msr_passthrough(x, MSR_FMASK);
	x->proc = vmx_caps.proc;
	x->proc2 = vmx_caps.proc2;
	x->entry = vmx_caps.entry;
	/* #MC is the host's business; machine checks always exit. */
	x->exception_bitmap = 1u << X86_MC;
	x->host_cpu = -1;
	v->arch = x;
	v->cpu = -1;

	prev = vmptrst();
	ok = vmx_vmclear(x->vmcs_pa) && vmx_vmptrld(x->vmcs_pa);
	if (ok) {
		write_controls(v, x);
		write_host_state();
		x->host_cpu = this_cpu()->cpu_id;
		vmx_reset_state(v);
		ok = vmcs_write_checked(VMCS_LINK_POINTER, ~0ULL);
		vmx_vmclear(x->vmcs_pa);
	}
	if (prev != ~0ULL)
		vmx_vmptrld(prev);
	if (!ok) {
		v->arch = NULL;
		free_backend(x);
		return -EIO;
	}
	return 0;
}

void vmx_vcpu_free(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);

	if (!x)
		return;
	if (x->loaded)
		vmx_vcpu_put(v);
	free_backend(x);
	v->arch = NULL;
}

static uint64_t read_dr(int n)
{
	uint64_t val = 0;

	switch (n) {
	case 0: __asm__ volatile("mov %%db0, %0" : "=r"(val)); break;
	case 1: __asm__ volatile("mov %%db1, %0" : "=r"(val)); break;
	case 2: __asm__ volatile("mov %%db2, %0" : "=r"(val)); break;
	case 3: __asm__ volatile("mov %%db3, %0" : "=r"(val)); break;
	case 6: __asm__ volatile("mov %%db6, %0" : "=r"(val)); break;
	}
	return val;
}

static void write_dr(int n, uint64_t val)
{
	switch (n) {
	case 0: __asm__ volatile("mov %0, %%db0" :: "r"(val)); break;
	case 1: __asm__ volatile("mov %0, %%db1" :: "r"(val)); break;
	case 2: __asm__ volatile("mov %0, %%db2" :: "r"(val)); break;
	case 3: __asm__ volatile("mov %0, %%db3" :: "r"(val)); break;
	case 6: __asm__ volatile("mov %0, %%db6" :: "r"(val)); break;
	}
}

/* The syscall MSRs the VMCS does not switch: remember the current value in
 * @save and install @load (vcpu_load: host -> guest, vcpu_put: the reverse). */
static void msr_swap(uint32_t msr, uint64_t *save, uint64_t load)
{
	*save = rdmsr(msr);
	wrmsr(msr, load);
}

void vmx_vcpu_load(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);
	int cpu = this_cpu()->cpu_id;

	if (x->loaded) {
		if (v->cpu != cpu)
			pr_err("vmx: vcpu %u loaded on CPU %d, not %d\n", v->id, v->cpu, cpu);
		return;
	}
	if (!vmx_vmptrld(x->vmcs_pa))
		return;
	if (x->host_cpu != cpu) {
		write_host_state();
		x->host_cpu = cpu;
		/* Translations cached here from an earlier stay may be stale. */
		vmx_invvpid_single(x->vpid);
		vmx_invept(vmx_eptp(v->vm));
	}
	/*
	 * CR3 and FS base belong to the caller, not to the CPU: CR3 is its
	 * process's address space (the vcpu was created, and first loaded, in
	 * the service domain's), FS base its thread's TLS. A VM exit loads both
	 * from the host fields, and a stale CR3 survives in the core unnoticed
	 * (it reaches the shared kernel half) until sysret runs ring 3 on
	 * another process's page tables.
	 */
	vmcs_write(VMCS_HOST_CR3, read_cr3());
	vmcs_write(VMCS_HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	msr_swap(MSR_STAR, &x->host_star, x->star);
	msr_swap(MSR_LSTAR, &x->host_lstar, x->lstar);
	msr_swap(MSR_CSTAR, &x->host_cstar, x->cstar);
	msr_swap(MSR_FMASK, &x->host_sfmask, x->sfmask);
	msr_swap(MSR_KERNEL_GS_BASE, &x->host_kernel_gs_base, x->kernel_gs_base);
	if (vmx_caps.has_tsc_aux)
		msr_swap(MSR_TSC_AUX, &x->host_tsc_aux, x->tsc_aux);
	write_cr2(x->cr2);
	for (int i = 0; i < 4; i++)
		write_dr(i, x->db[i]);
	write_dr(6, x->dr6);
	x->loaded = true;
	v->cpu = cpu;
}

void vmx_vcpu_put(struct vcpu *v)
{
	struct vmx_vcpu *x = to_vmx(v);

	if (!x->loaded)
		return;
	msr_swap(MSR_STAR, &x->star, x->host_star);
	msr_swap(MSR_LSTAR, &x->lstar, x->host_lstar);
	msr_swap(MSR_CSTAR, &x->cstar, x->host_cstar);
	msr_swap(MSR_FMASK, &x->sfmask, x->host_sfmask);
	msr_swap(MSR_KERNEL_GS_BASE, &x->kernel_gs_base, x->host_kernel_gs_base);
	if (vmx_caps.has_tsc_aux)
		msr_swap(MSR_TSC_AUX, &x->tsc_aux, x->host_tsc_aux);
	x->cr2 = read_cr2();
	for (int i = 0; i < 4; i++)
		x->db[i] = read_dr(i);
	x->dr6 = read_dr(6);
	vmx_vmclear(x->vmcs_pa);
	x->launched = false;
	x->loaded = false;
	v->cpu = -1;
}

bool vmx_begin_access(struct vcpu *v, bool *temporary)
{
	struct vmx_vcpu *x = to_vmx(v);

	*temporary = false;
	if (x->loaded) {
		if (v->cpu == (int)this_cpu()->cpu_id)
			return true;
		pr_err("vmx: vcpu %u state accessed from CPU %u while loaded on CPU %d\n",
		       v->id, this_cpu()->cpu_id, v->cpu);
		return false;
	}
	/* Not loaded anywhere: borrow this CPU, keeping its current VMCS. */
	x->saved_current = vmptrst();
	if (!vmx_vmptrld(x->vmcs_pa))
		return false;
	*temporary = true;
	return true;
}

void vmx_end_access(struct vcpu *v, bool temporary)
{
	struct vmx_vcpu *x = to_vmx(v);

	if (!temporary)
		return;
	vmx_vmclear(x->vmcs_pa);
	x->launched = false;
	if (x->saved_current != ~0ULL)
		vmx_vmptrld(x->saved_current);
}
