/*
 * Error numbers: the core (and the KVM ABI) use Linux's values, newlib has its
 * own numbering above ERANGE (34). Every raw syscall result passes through
 * here, so libtern and programs only ever see this C library's E* values.
 */
#include <errno.h>
#include "internal.h"

int tern_errno_from_linux(int e)
{
	switch (e) {
	case 35: return EDEADLK;
	case 36: return ENAMETOOLONG;
	case 37: return ENOLCK;
	case 38: return ENOSYS;
	case 39: return ENOTEMPTY;
	case 40: return ELOOP;
	case 42: return ENOMSG;
	case 43: return EIDRM;
	case 75: return EOVERFLOW;
	case 84: return EILSEQ;
	case 90: return EMSGSIZE;
	case 110: return ETIMEDOUT;
	case 113: return EHOSTUNREACH;
	case 114: return EALREADY;
	case 115: return EINPROGRESS;
	case 122: return EDQUOT;
	case 125: return ECANCELED;
	case 130: return EOWNERDEAD;
	case 131: return ENOTRECOVERABLE;
	default: return e;	/* 1..34 and the rest agree, or have no newlib name */
	}
}
