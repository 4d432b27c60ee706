/*
 * How an ioctl's argument travels when the service domain hands the ioctl to
 * the core (TERN_SYS_KVM_SYSTEM, TERN_SYS_VM_IOCTL): by value or through the
 * server's private copy of the payload, which output bytes go back to the
 * device model, and which VM ioctls must not be forwarded at all. Pure
 * functions of the ioctl number and the answer (tests/unit/test_sd_kvm_args.c).
 */
#ifndef SD_KVM_ARGS_H
#define SD_KVM_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/* True when the ioctl's argument is a pointer (_IOC_DIR is not _IOC_NONE, and
 * KVM_REINJECT_CONTROL); else the integer itself is the argument
 * (CHECK_EXTENSION, SET_TSS_ADDR). */
bool sd_kvm_arg_is_pointer(uint32_t cmd);

/*
 * The output bytes of @cmd to send back after the core answered @result
 * with @buf (the argument buffer, TERN_KVM_PAYLOAD_MAX bytes) as argument:
 * _IOC_SIZE for a fixed struct the ioctl writes; for the variable-length
 * ones (kvm_msr_list, kvm_cpuid2, kvm_msrs) the header and the entries it
 * now announces, only the header with -E2BIG; nothing after an error or for
 * an ioctl that only reads. Never more than TERN_KVM_PAYLOAD_MAX.
 */
uint32_t sd_kvm_out_len(uint32_t cmd, int64_t result, const void *buf);

/*
 * 0 when VM ioctl @cmd may go to the core, else the -errno to answer. The
 * core resolves pointers, fd numbers and handles in the caller's context,
 * which for a forwarded ioctl is the service domain's: an ioctl whose
 * argument holds one of the device model's would make the core act on the
 * service domain's memory or handles instead.
 */
int sd_kvm_vm_forwardable(uint32_t cmd);

#endif
