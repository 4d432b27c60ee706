/* unit-sources: hv/cap.c hv/kobj.c hv/root_obj.c hv/heap.c hv/frame.c hv/format.c */
/* Capability tables and kernel-object reference counts, on the host heap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hv/cap.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/root_obj.h"
#include "tests/unit/host_support.h"

#define PHYS	(1UL << 30)
#define ARENA	(4UL << 20)

static uint8_t *arena;

/* A test object that counts how often it was released. */
struct tobj {
	struct kobj obj;
	int released;
};

static void tobj_release(struct kobj *o)
{
	container_of(o, struct tobj, obj)->released++;
}

static const struct kobj_ops notify_like_ops = {
	.type = TERN_KOBJ_NOTIFY,
	.release = tobj_release,
};

static const struct kobj_ops shm_like_ops = {
	.type = TERN_KOBJ_SHM,
	.release = tobj_release,
};

static int group_setup(void **state)
{
	static const struct mem_region r[] = { { PHYS, ARENA } };

	(void)state;
	arena = aligned_alloc(PAGE_SIZE, ARENA);
	return frame_init(PHYS, PHYS + ARENA, r, 1, (uintptr_t)arena - PHYS) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static void test_kobj_refcount(void **state)
{
	struct tobj a = { 0 };

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	assert_int_equal(a.obj.refs, 1);
	assert_int_equal(kobj_type(&a.obj), TERN_KOBJ_NOTIFY);
	kobj_get(&a.obj);
	kobj_get(&a.obj);
	assert_int_equal(a.obj.refs, 3);
	kobj_put(&a.obj);
	kobj_put(&a.obj);
	assert_int_equal(a.released, 0);
	kobj_put(&a.obj);
	assert_int_equal(a.released, 1);
	assert_int_equal(a.obj.refs, 0);
}

static void test_insert_lowest_and_lookup(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj a = { 0 }, b = { 0 };
	uint32_t rights = 0;
	int err = 1;

	(void)state;
	assert_non_null(t);
	kobj_init(&a.obj, &notify_like_ops);
	kobj_init(&b.obj, &shm_like_ops);

	assert_int_equal(cap_insert(t, &a.obj, TERN_RIGHT_SIGNAL | TERN_RIGHT_WAIT), 0);
	assert_int_equal(cap_insert(t, &b.obj, TERN_RIGHT_MAP), 1);
	assert_int_equal(a.obj.refs, 2);

	struct kobj *o = cap_get(t, 0, TERN_KOBJ_NOTIFY, TERN_RIGHT_WAIT, &err, &rights);

	assert_ptr_equal(o, &a.obj);
	assert_int_equal(err, 0);
	assert_int_equal(rights, TERN_RIGHT_SIGNAL | TERN_RIGHT_WAIT);
	assert_int_equal(a.obj.refs, 3);
	kobj_put(o);

	/* TERN_KOBJ_NONE matches any type; no rights asked, none needed. */
	o = cap_get(t, 1, TERN_KOBJ_NONE, 0, &err, NULL);
	assert_ptr_equal(o, &b.obj);
	kobj_put(o);

	/* A closed slot is reused first. */
	assert_int_equal(cap_remove(t, 0), 0);
	assert_int_equal(cap_insert(t, &b.obj, TERN_RIGHT_ALL), 0);
	assert_int_equal(b.obj.refs, 3);

	cap_table_destroy(t);
	assert_int_equal(a.obj.refs, 1);
	assert_int_equal(b.obj.refs, 1);
	assert_int_equal(a.released + b.released, 0);
}

static void test_lookup_errors(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj a = { 0 };
	uint32_t rights = 0xdead;
	int err = 0;

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	assert_int_equal(cap_insert(t, &a.obj, TERN_RIGHT_SIGNAL), 0);

	/* Wrong type beats missing rights: the handle does not name such an object. */
	assert_null(cap_get(t, 0, TERN_KOBJ_SHM, TERN_RIGHT_MAP, &err, &rights));
	assert_int_equal(err, -EBADF);
	assert_null(cap_get(t, 0, TERN_KOBJ_NOTIFY, TERN_RIGHT_WAIT, &err, &rights));
	assert_int_equal(err, -EPERM);
	assert_null(cap_get(t, 0, TERN_KOBJ_NOTIFY, TERN_RIGHT_SIGNAL | TERN_RIGHT_WAIT, &err,
			    &rights));
	assert_int_equal(err, -EPERM);
	assert_null(cap_get(t, 1, TERN_KOBJ_NONE, 0, &err, &rights));
	assert_int_equal(err, -EBADF);
	assert_null(cap_get(t, -1, TERN_KOBJ_NONE, 0, &err, &rights));
	assert_int_equal(err, -EBADF);
	assert_null(cap_get(t, TERN_MAX_HANDLES, TERN_KOBJ_NONE, 0, &err, &rights));
	assert_int_equal(err, -EBADF);
	assert_null(cap_get(t, 0x7fffffff, TERN_KOBJ_NONE, 0, NULL, NULL));
	/* Failed lookups leave the output and the count alone. */
	assert_int_equal(rights, 0xdead);
	assert_int_equal(a.obj.refs, 2);

	cap_table_destroy(t);
	assert_int_equal(a.obj.refs, 1);
}

static void test_remove(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj a = { 0 };

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	assert_int_equal(cap_insert(t, &a.obj, 0), 0);
	assert_int_equal(cap_remove(t, 0), 0);
	assert_int_equal(a.obj.refs, 1);
	assert_int_equal(cap_remove(t, 0), -EBADF);
	assert_int_equal(cap_remove(t, -5), -EBADF);
	assert_int_equal(cap_remove(t, TERN_MAX_HANDLES), -EBADF);
	assert_int_equal(cap_remove(t, 17), -EBADF);
	assert_int_equal(a.obj.refs, 1);
	cap_table_destroy(t);
}

static void test_insert_at(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj a = { 0 };
	int err;

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	assert_int_equal(cap_insert_at(t, 2, &a.obj, TERN_RIGHT_WAIT), 2);
	assert_int_equal(cap_insert_at(t, 2, &a.obj, TERN_RIGHT_WAIT), -EBUSY);
	assert_int_equal(cap_insert_at(t, -1, &a.obj, 0), -EBADF);
	assert_int_equal(cap_insert_at(t, TERN_MAX_HANDLES, &a.obj, 0), -EBADF);
	assert_int_equal(a.obj.refs, 2);
	/* Slots below it stay free for cap_insert. */
	assert_int_equal(cap_insert(t, &a.obj, 0), 0);
	assert_int_equal(cap_insert(t, &a.obj, 0), 1);
	assert_int_equal(cap_insert(t, &a.obj, 0), 3);

	struct kobj *o = cap_get(t, 2, TERN_KOBJ_NOTIFY, TERN_RIGHT_WAIT, &err, NULL);

	assert_ptr_equal(o, &a.obj);
	kobj_put(o);
	cap_table_destroy(t);
	assert_int_equal(a.obj.refs, 1);
}

static void test_full_table(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj a = { 0 };

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	for (int i = 0; i < TERN_MAX_HANDLES; i++)
		assert_int_equal(cap_insert(t, &a.obj, TERN_RIGHT_READ), i);
	assert_int_equal(a.obj.refs, TERN_MAX_HANDLES + 1);
	assert_int_equal(cap_insert(t, &a.obj, TERN_RIGHT_READ), -EMFILE);
	/* The refused insert took no reference. */
	assert_int_equal(a.obj.refs, TERN_MAX_HANDLES + 1);
	assert_int_equal(cap_remove(t, 100), 0);
	assert_int_equal(cap_insert(t, &a.obj, TERN_RIGHT_READ), 100);
	cap_table_destroy(t);
	assert_int_equal(a.obj.refs, 1);
	assert_int_equal(a.released, 0);
}

/* The object goes away with its last reference, wherever that is, and only once. */
static void test_release_exactly_once(void **state)
{
	struct cap_table *t1 = cap_table_create();
	struct cap_table *t2 = cap_table_create();
	struct tobj a = { 0 };

	(void)state;
	kobj_init(&a.obj, &notify_like_ops);
	assert_int_equal(cap_insert(t1, &a.obj, TERN_RIGHT_ALL), 0);
	assert_int_equal(cap_insert(t2, &a.obj, TERN_RIGHT_ALL), 0);
	assert_int_equal(cap_insert(t2, &a.obj, TERN_RIGHT_WAIT), 1);
	kobj_put(&a.obj);	/* the creator's reference */
	assert_int_equal(a.released, 0);

	assert_int_equal(cap_remove(t2, 0), 0);
	assert_int_equal(a.released, 0);

	/* A reference from a lookup outlives every handle. */
	struct kobj *o = cap_get(t2, 1, TERN_KOBJ_NOTIFY, TERN_RIGHT_WAIT, NULL, NULL);

	assert_non_null(o);
	cap_table_destroy(t2);
	cap_table_destroy(t1);
	assert_int_equal(a.released, 0);
	kobj_put(o);
	assert_int_equal(a.released, 1);
}

static void test_destroy_releases(void **state)
{
	struct cap_table *t = cap_table_create();
	struct tobj objs[5] = { 0 };

	(void)state;
	for (int i = 0; i < 5; i++) {
		kobj_init(&objs[i].obj, i % 2 ? &shm_like_ops : &notify_like_ops);
		assert_int_equal(cap_insert_at(t, i * 50, &objs[i].obj, TERN_RIGHT_ALL), i * 50);
		if (i != 3)
			kobj_put(&objs[i].obj);
	}
	cap_table_destroy(t);
	for (int i = 0; i < 5; i++)
		assert_int_equal(objs[i].released, i == 3 ? 0 : 1);
	assert_int_equal(objs[3].obj.refs, 1);
	cap_table_destroy(NULL);
}

static void test_root_object(void **state)
{
	(void)state;
	struct kobj *r1 = root_obj_get();
	struct kobj *r2 = root_obj_get();
	struct cap_table *t = cap_table_create();

	assert_ptr_equal(r1, r2);
	assert_int_equal(kobj_type(r1), TERN_KOBJ_ROOT);
	assert_int_equal(cap_insert(t, r1, TERN_RIGHT_SPAWN), 0);
	kobj_put(r1);
	kobj_put(r2);
	cap_table_destroy(t);
	/* Only the singleton's own reference is left; it is never dropped. */
	assert_int_equal(r1->refs, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kobj_refcount),
		cmocka_unit_test(test_insert_lowest_and_lookup),
		cmocka_unit_test(test_lookup_errors),
		cmocka_unit_test(test_remove),
		cmocka_unit_test(test_insert_at),
		cmocka_unit_test(test_full_table),
		cmocka_unit_test(test_release_exactly_once),
		cmocka_unit_test(test_destroy_releases),
		cmocka_unit_test(test_root_object),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
