/* The raw system call for programs (tern.h); libtern itself uses the inline sys6(). */
#include <tern/tern.h>
#include "internal.h"

long tern_syscall(long nr, long a0, long a1, long a2, long a3, long a4, long a5)
{
	return sys6(nr, a0, a1, a2, a3, a4, a5);
}
