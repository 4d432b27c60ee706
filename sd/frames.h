/*
 * Free-frame counts from the core (TERN_SYS_MEM_INFO): the evidence that
 * processes leave nothing behind.
 */
#ifndef SD_FRAMES_H
#define SD_FRAMES_H

#include <stdint.h>

/* Free 4 KiB frames, and the total in *@total when not NULL; -1 (message
 * printed) when the core refuses. */
int64_t sd_free_frames(int root, uint64_t *total);

#endif
