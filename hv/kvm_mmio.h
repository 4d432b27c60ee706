/*
 * KVM_EXIT_MMIO: the core decodes the instruction behind an access to a GPA
 * that is not RAM (or a write to a read-only slot) and turns it into device
 * accesses (emul/mmio_step.h). A write leaves as KVM_EXIT_MMIO (or goes to a
 * coalesced MMIO ring) with the instruction retired; a read leaves with the
 * instruction pending in kv->mmio, and the next KVM_RUN writes run->mmio.data
 * into the registers and retires it before the guest runs again.
 */
#ifndef HV_KVM_MMIO_H
#define HV_KVM_MMIO_H

#include "hv/kvm_obj.h"

/*
 * From the KVM_RUN exit callback (the vcpu is loaded): true when the access
 * was completed in the core (RAM, coalesced write, a guest fault injected)
 * and the guest resumes; false with kv->run filled (MMIO or INTERNAL_ERROR).
 */
bool kvm_mmio_exit(struct kvm_vcpu *kv, struct vcpu_exit *e);

/*
 * At the start of KVM_RUN: completes a pending read with run->mmio.data.
 * true when that produced another exit for the device model (the write half
 * of a read-modify-write or MOVS, or an emulation failure), kv->run filled.
 */
bool kvm_mmio_complete(struct kvm_vcpu *kv);

/*
 * KVM_EXIT_INTERNAL_ERROR / KVM_INTERNAL_ERROR_EMULATION laid out as Linux
 * 6.1 does: data[0] the flags, the @n instruction bytes (if any) in the next
 * two words, then five words of exit information (hardware reason,
 * qualification, GPA, 0, 0).
 */
void kvm_mmio_emulation_failure(struct kvm_vcpu *kv, const struct vcpu_exit *e,
				const uint8_t *bytes, unsigned int n);

#endif
