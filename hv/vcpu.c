/* Creating and destroying vcpus. */
#include "hv/vcpu.h"
#include "hv/vm.h"
#include "hv/fpu.h"
#include "hv/heap.h"
#include "hv/errno.h"
#include "hv/log.h"
#include "emul/cpuid.h"
#include "emul/msr.h"
#include "arch/x86/virt.h"

#define XCR0_RESET	1	/* x87 only */

static void vcpu_free_memory(struct vcpu *v)
{
	vcpu_kvm_state_release(v);
	fpu_free(v->fpu);
	fpu_free(v->host_fpu);
	kfree(v);
}

struct vcpu *vcpu_create(struct vm *vm, uint32_t id)
{
	struct vcpu *v;
	int err;

	if (!virt) {
		pr_err("vcpu: no virtualization backend\n");
		return NULL;
	}
	if (id >= VM_MAX_VCPUS) {
		pr_err("vcpu: id %u out of range (max %u)\n", id, VM_MAX_VCPUS - 1);
		return NULL;
	}
	if (cpuid_init())
		return NULL;
	v = kzalloc(sizeof(*v));
	if (!v)
		goto nomem;
	v->vm = vm;
	v->id = id;
	v->cpu = -1;
	v->cpuid = cpuid_default_policy();
	v->xcr0 = XCR0_RESET;
	v->fpu = fpu_alloc();
	v->host_fpu = fpu_alloc();
	if (!v->fpu || !v->host_fpu)
		goto nomem;
	fpu_reset(v->fpu);

	err = virt->vcpu_init(v);
	if (err) {
		pr_err("vcpu%u: %s vcpu_init failed (%d)\n", id, virt->name, err);
		vcpu_free_memory(v);
		return NULL;
	}
	virt->vcpu_load(v);
	/* The other vendor's hypercall instruction arrives as #UD. */
	virt->set_exception_intercept(v, X86_UD, true);
	msr_reset(v);
	virt->vcpu_put(v);

	spin_lock(&vm->lock);
	if (vm->vcpus[id]) {
		spin_unlock(&vm->lock);
		pr_err("vcpu%u: already exists in vm%u\n", id, vm->id);
		virt->vcpu_free(v);
		vcpu_free_memory(v);
		return NULL;
	}
	vm->vcpus[id] = v;
	vm->nr_vcpus++;
	spin_unlock(&vm->lock);
	return v;

nomem:
	pr_err("vcpu%u: out of memory\n", id);
	if (v)
		vcpu_free_memory(v);
	return NULL;
}

void vcpu_destroy(struct vcpu *v)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->lock);
	if (vm->vcpus[v->id] == v) {
		vm->vcpus[v->id] = NULL;
		vm->nr_vcpus--;
	}
	spin_unlock(&vm->lock);
	virt->vcpu_free(v);
	vcpu_free_memory(v);
}
