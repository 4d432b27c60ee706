/*
 * Shared-memory objects: a list of zeroed 4 KiB frames. Mappings borrow the
 * frames and hold a reference on the object (aspace_map_frames), so the frames
 * are freed only when the last handle is closed and the last mapping is gone.
 * Single frames rather than one large block: a large contiguous block may not
 * exist in a fragmented allocator while the pages do.
 */
#include "hv/shm.h"
#include "hv/frame.h"
#include "hv/heap.h"

static void shm_free_frames(struct shm *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		frame_free(s->frames[i], 0);
}

static void shm_release(struct kobj *o)
{
	struct shm *s = container_of(o, struct shm, obj);

	shm_free_frames(s, s->pages);
	kfree(s->frames);
	kfree(s);
}

static const struct kobj_ops shm_ops = {
	.type = TERN_KOBJ_SHM,
	.release = shm_release,
};

struct shm *shm_create(size_t size)
{
	if (size == 0 || size > SHM_MAX_SIZE)
		return NULL;

	struct shm *s = kzalloc(sizeof(*s));

	if (!s)
		return NULL;
	s->pages = ALIGN_UP(size, PAGE_SIZE) / PAGE_SIZE;
	s->frames = kmalloc(s->pages * sizeof(*s->frames));
	if (!s->frames)
		goto fail;
	for (size_t i = 0; i < s->pages; i++) {
		s->frames[i] = frame_alloc(0);
		if (s->frames[i] == FRAME_NONE) {
			shm_free_frames(s, i);
			kfree(s->frames);
			goto fail;
		}
	}
	kobj_init(&s->obj, &shm_ops);
	return s;
fail:
	kfree(s);
	return NULL;
}
