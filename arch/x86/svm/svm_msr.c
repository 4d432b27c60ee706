/*
 * Guest MSRs held in the VMCB and the MSR permission map.
 *
 * Policy: every MSR access exits, except for the MSRs VMLOAD/VMSAVE switch
 * with the VMCB (FS/GS/KERNEL_GS base, STAR/LSTAR/CSTAR/SFMASK, SYSENTER_*):
 * the guest owns the hardware register while it runs and the VMCB copy is
 * current after every exit, so passing them through cannot leak into the
 * host and saves an exit on every guest context switch. EFER stays
 * intercepted for good, because the VMCB's EFER must keep SVME set while the
 * guest must never see it.
 */
#include "arch/x86/virt.h"
#include "arch/x86/cpu.h"
#include "arch/x86/svm/svm.h"
#include "hv/errno.h"
#include "hv/string.h"

#define EFER_FFXSR	(1ull << 14)
#define EFER_GUEST_BITS	(EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE | EFER_FFXSR)

static const uint32_t svm_switched_msrs[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_KERNEL_GS_BASE,
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_FMASK,
	MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP,
};

/* Byte offset of @index's 2-bit pair in the map, or -1 outside the three
 * architectural ranges (such MSRs always exit). */
static int msrpm_bit(uint32_t index)
{
	uint32_t base;

	if (index <= 0x1fff)
		base = 0;
	else if (index - 0xc0000000u <= 0x1fff)
		base = 0x800 * 8;
	else if (index - 0xc0010000u <= 0x1fff)
		base = 0x1000 * 8;
	else
		return -1;
	return base + (index & 0x1fff) * 2;
}

static void msrpm_set(uint8_t *pm, uint32_t index, bool rd, bool wr)
{
	int bit = msrpm_bit(index);

	if (bit < 0)
		return;
	if (rd)
		pm[bit / 8] |= 1u << (bit % 8);
	else
		pm[bit / 8] &= ~(1u << (bit % 8));
	bit++;
	if (wr)
		pm[bit / 8] |= 1u << (bit % 8);
	else
		pm[bit / 8] &= ~(1u << (bit % 8));
}

static bool msr_is_switched(uint32_t index)
{
	for (size_t i = 0; i < ARRAY_SIZE(svm_switched_msrs); i++)
		if (svm_switched_msrs[i] == index)
			return true;
	return false;
}

void svm_msrpm_init(struct svm_vcpu *sv)
{
	memset(sv->msrpm, 0xff, 8192);
	for (size_t i = 0; i < ARRAY_SIZE(svm_switched_msrs); i++)
		msrpm_set(sv->msrpm, svm_switched_msrs[i], false, false);
}

/* Only the VMCB-switched MSRs may be passed through: any other MSR would
 * let the guest write the host's register. */
void svm_set_msr_intercept(struct vcpu *v, uint32_t index, unsigned int access)
{
	bool rd = access & MSR_INTERCEPT_READ, wr = access & MSR_INTERCEPT_WRITE;

	if (!msr_is_switched(index))
		rd = wr = true;
	msrpm_set(to_svm(v)->msrpm, index, rd, wr);
}

static bool is_canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t t = pat >> (i * 8);

		if (t == 2 || t == 3 || t > 7)
			return false;
	}
	return true;
}

int svm_get_msr(struct vcpu *v, uint32_t index, uint64_t *value)
{
	struct vmcb_save *s = &to_svm(v)->vmcb->save;

	switch (index) {
	case MSR_EFER:		*value = svm_guest_efer(to_svm(v)) & ~EFER_SVME; break;
	case MSR_PAT:		*value = s->g_pat; break;
	case MSR_FS_BASE:	*value = s->fs.base; break;
	case MSR_GS_BASE:	*value = s->gs.base; break;
	case MSR_KERNEL_GS_BASE: *value = s->kernel_gs_base; break;
	case MSR_STAR:		*value = s->star; break;
	case MSR_LSTAR:		*value = s->lstar; break;
	case MSR_CSTAR:		*value = s->cstar; break;
	case MSR_FMASK:		*value = s->sfmask; break;
	case MSR_SYSENTER_CS:	*value = s->sysenter_cs; break;
	case MSR_SYSENTER_ESP:	*value = s->sysenter_esp; break;
	case MSR_SYSENTER_EIP:	*value = s->sysenter_eip; break;
	default:
		return -ENOENT;
	}
	return 0;
}

/*
 * A guest WRMSR to EFER: reserved bits fault, LMA is read-only (kept), and
 * LME cannot change while paging is on. SVME is forced on in the VMCB.
 */
static int svm_set_efer(struct svm_vcpu *sv, uint64_t value)
{
	uint64_t efer = svm_guest_efer(sv);

	if (value & ~(EFER_GUEST_BITS))
		return -EINVAL;
	if ((sv->vmcb->save.cr0 & CR0_PG) && ((value ^ efer) & EFER_LME))
		return -EINVAL;
	svm_lme_update(sv, (value & ~EFER_LMA) | (efer & EFER_LMA) | EFER_SVME);
	return 0;
}

int svm_set_msr(struct vcpu *v, uint32_t index, uint64_t value)
{
	struct vmcb_save *s = &to_svm(v)->vmcb->save;

	switch (index) {
	case MSR_EFER:
		return svm_set_efer(to_svm(v), value);
	case MSR_PAT:
		if (!pat_valid(value))
			return -EINVAL;
		s->g_pat = value;
		return 0;
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
	case MSR_LSTAR:
	case MSR_CSTAR:
		if (!is_canonical(value))
			return -EINVAL;
		break;
	case MSR_STAR:
	case MSR_FMASK:
	case MSR_SYSENTER_CS:
	case MSR_SYSENTER_ESP:
	case MSR_SYSENTER_EIP:
		break;
	default:
		return -ENOENT;
	}
	switch (index) {
	case MSR_FS_BASE:	s->fs.base = value; break;
	case MSR_GS_BASE:	s->gs.base = value; break;
	case MSR_KERNEL_GS_BASE: s->kernel_gs_base = value; break;
	case MSR_LSTAR:		s->lstar = value; break;
	case MSR_CSTAR:		s->cstar = value; break;
	case MSR_STAR:		s->star = value; break;
	case MSR_FMASK:		s->sfmask = value; break;
	case MSR_SYSENTER_CS:	s->sysenter_cs = value; break;
	case MSR_SYSENTER_ESP:	s->sysenter_esp = value; break;
	case MSR_SYSENTER_EIP:	s->sysenter_eip = value; break;
	}
	return 0;
}
