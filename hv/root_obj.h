/*
 * The root object: the capability for machine-wide powers (creating
 * processes, reading boot modules, powering off; see TERN_RIGHT_SPAWN...).
 * There is exactly one and it lives for the whole run.
 */
#ifndef HV_ROOT_OBJ_H
#define HV_ROOT_OBJ_H

#include "hv/kobj.h"

/* The root object with a new reference (the caller kobj_put()s it). */
struct kobj *root_obj_get(void);

#endif
