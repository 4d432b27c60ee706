/*
 * The ioctl request number encoding used on x86-64 (Linux's generic layout).
 *
 * A request number packs four fields into 32 bits:
 *
 *   bits 31..30  direction (_IOC_NONE, _IOC_WRITE, _IOC_READ or both)
 *   bits 29..16  size of the argument structure in bytes
 *   bits 15..8   "type", a driver-chosen byte (KVMIO = 0xAE for KVM)
 *   bits  7..0   command number within that type
 *
 * Direction is seen from the program: _IOC_WRITE means the program writes
 * the argument into the kernel, _IOC_READ that the kernel fills it in.
 * The numbers are part of the binary ABI: a VMM compiled against Linux's
 * headers passes exactly these values, so they must match bit for bit.
 *
 * Part of tern's own UAPI header set; it includes nothing outside that set so
 * it can be used freestanding (the SDK) and inside the core.
 */
#ifndef TERN_UAPI_ASM_IOCTL_H
#define TERN_UAPI_ASM_IOCTL_H

#define _IOC_NRBITS	8
#define _IOC_TYPEBITS	8
#define _IOC_SIZEBITS	14
#define _IOC_DIRBITS	2

#define _IOC_NRMASK	((1 << _IOC_NRBITS) - 1)
#define _IOC_TYPEMASK	((1 << _IOC_TYPEBITS) - 1)
#define _IOC_SIZEMASK	((1 << _IOC_SIZEBITS) - 1)
#define _IOC_DIRMASK	((1 << _IOC_DIRBITS) - 1)

#define _IOC_NRSHIFT	0
#define _IOC_TYPESHIFT	(_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT	(_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT	(_IOC_SIZESHIFT + _IOC_SIZEBITS)

#define _IOC_NONE	0U
#define _IOC_WRITE	1U
#define _IOC_READ	2U

/*
 * The direction constants are unsigned, which makes every request number an
 * unsigned int: a read request (bit 31 set) must not sign-extend when it is
 * passed as the `unsigned long` argument of ioctl().
 */
#define _IOC(dir, type, nr, size)			\
	(((dir) << _IOC_DIRSHIFT) |			\
	 ((type) << _IOC_TYPESHIFT) |			\
	 ((nr) << _IOC_NRSHIFT) |			\
	 ((size) << _IOC_SIZESHIFT))

/* The size field holds sizeof(the argument type). */
#define _IOC_TYPECHECK(t)	(sizeof(t))

#define _IO(type, nr)		_IOC(_IOC_NONE, (type), (nr), 0)
#define _IOR(type, nr, argtype)	_IOC(_IOC_READ, (type), (nr), (_IOC_TYPECHECK(argtype)))
#define _IOW(type, nr, argtype)	_IOC(_IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(argtype)))
#define _IOWR(type, nr, argtype) \
	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), (_IOC_TYPECHECK(argtype)))
#define _IOR_BAD(type, nr, argtype)	_IOC(_IOC_READ, (type), (nr), sizeof(argtype))
#define _IOW_BAD(type, nr, argtype)	_IOC(_IOC_WRITE, (type), (nr), sizeof(argtype))
#define _IOWR_BAD(type, nr, argtype) \
	_IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(argtype))

/* Take a request number apart again (what the service domain does). */
#define _IOC_DIR(nr)		(((nr) >> _IOC_DIRSHIFT) & _IOC_DIRMASK)
#define _IOC_TYPE(nr)		(((nr) >> _IOC_TYPESHIFT) & _IOC_TYPEMASK)
#define _IOC_NR(nr)		(((nr) >> _IOC_NRSHIFT) & _IOC_NRMASK)
#define _IOC_SIZE(nr)		(((nr) >> _IOC_SIZESHIFT) & _IOC_SIZEMASK)

/* Older spellings some programs still use. */
#define IOC_IN		(_IOC_WRITE << _IOC_DIRSHIFT)
#define IOC_OUT		(_IOC_READ << _IOC_DIRSHIFT)
#define IOC_INOUT	((_IOC_WRITE | _IOC_READ) << _IOC_DIRSHIFT)
#define IOCSIZE_MASK	(_IOC_SIZEMASK << _IOC_SIZESHIFT)
#define IOCSIZE_SHIFT	(_IOC_SIZESHIFT)

#endif /* TERN_UAPI_ASM_IOCTL_H */
