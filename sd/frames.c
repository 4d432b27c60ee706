/*
 * libtern has no wrapper for TERN_SYS_MEM_INFO (only the service domain
 * asks), so this uses the raw call.
 */
#include <stdio.h>
#include <string.h>
#include <tern/tern.h>

#include "sd/frames.h"

int64_t sd_free_frames(int root, uint64_t *total)
{
	struct tern_mem_info info;
	long r = tern_syscall(TERN_SYS_MEM_INFO, root, (long)&info, 0, 0, 0, 0);

	if (r < 0) {
		printf("sd: free frames unknown: %s\n", strerror((int)-r));
		return -1;
	}
	if (total)
		*total = info.total_pages;
	return (int64_t)info.free_pages;
}
