/*
 * <linux/types.h> of tern's UAPI header set: the fixed-width types the KVM
 * structures are declared with.
 *
 * Freestanding on purpose: no <stdint.h>, so the SDK and the core can use it
 * without any C library. The widths follow the x86-64 System V ABI (char 8,
 * short 16, int 32, long long 64 bits). __u64 is `unsigned long long`, as on
 * Linux x86-64, so format strings written for Linux (%llx) stay correct.
 */
#ifndef TERN_UAPI_LINUX_TYPES_H
#define TERN_UAPI_LINUX_TYPES_H

/* Guard against a target where the widths above do not hold. */
#if !defined(__x86_64__) || !defined(__LP64__)
#error "tern's UAPI headers describe the x86-64 (LP64) ABI only"
#endif

typedef signed char		__s8;
typedef unsigned char		__u8;
typedef signed short		__s16;
typedef unsigned short		__u16;
typedef signed int		__s32;
typedef unsigned int		__u32;
/* __extension__: `long long` is fine in C99 but not in strict C89 mode. */
__extension__ typedef signed long long		__s64;
__extension__ typedef unsigned long long	__u64;

/*
 * Byte-order-annotated integers (little-endian __le, big-endian __be).
 * They are plain integers here; the names document the wire byte order of
 * a field. x86 is little-endian, so __le values need no swapping.
 */
typedef __u16	__le16;
typedef __u16	__be16;
typedef __u32	__le32;
typedef __u32	__be32;
typedef __u64	__le64;
typedef __u64	__be64;

typedef __u16	__sum16;
typedef __u32	__wsum;

/*
 * 64-bit fields that must be 8-byte aligned even where a compiler for a
 * 32-bit ABI would align __u64 to 4; keeps structures identical across ABIs.
 */
#define __aligned_u64	__u64 __attribute__((aligned(8)))
#define __aligned_be64	__be64 __attribute__((aligned(8)))
#define __aligned_le64	__le64 __attribute__((aligned(8)))

typedef unsigned int	__poll_t;

#endif /* TERN_UAPI_LINUX_TYPES_H */
