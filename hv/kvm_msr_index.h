/*
 * The MSR lists of /dev/kvm: KVM_GET_MSR_INDEX_LIST (every MSR KVM_GET/SET_MSRS
 * on a vcpu handles, emul/msr.c) and KVM_GET_MSR_FEATURE_INDEX_LIST with the
 * values KVM_GET_MSRS on /dev/kvm returns for them. Pure tables, host-tested
 * against emul/msr.c.
 */
#ifndef HV_KVM_MSR_INDEX_H
#define HV_KVM_MSR_INDEX_H

#include "hv/types.h"

/* The vcpu MSRs, @n set to their number. */
const uint32_t *kvm_msr_index_list(uint32_t *n);
/* The feature MSRs, @n set to their number. */
const uint32_t *kvm_msr_feature_list(uint32_t *n);
/* A feature MSR's value as every vcpu sees it: 0, or -EINVAL (not one). */
int kvm_msr_feature_get(uint32_t index, uint64_t *value);

#endif
