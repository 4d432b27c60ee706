/* ioctl() and the Linux request encoding (_IO/_IOR/_IOW/_IOWR), as Linux programs expect. */
#ifndef _SYS_IOCTL_H_
#define _SYS_IOCTL_H_

#include <asm/ioctl.h>	/* tern's UAPI set: the Linux request encoding */

#ifdef __cplusplus
extern "C" {
#endif

#define FIONREAD	0x541B	/* int *: bytes readable without blocking */
#define FIONBIO		0x5421	/* int *: nonzero sets O_NONBLOCK */

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
