/*
 * The VM object: its nested page table, the guest RAM the core allocated for
 * it and its vcpus. vm->lock serializes changes to the memory map; reads of
 * guest memory go through the lock-free npt_lookup.
 */
#include "hv/vm.h"
#include "hv/vcpu.h"
#include "hv/errno.h"
#include "hv/frame.h"
#include "hv/heap.h"
#include "hv/log.h"
#include "hv/mm.h"
#include "hv/string.h"
#include "arch/x86/cpufeatures.h"
#include "arch/x86/virt.h"

static uint32_t next_vm_id;

/* Nested paging format and large-page sizes the running backend can use. */
static void npt_config_for_backend(struct npt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	/* 2 MiB leaves exist in every EPT and long-mode implementation. */
	cfg->large_2m = true;
	if (!strcmp(virt->name, "vmx")) {
		cfg->format = NPT_FORMAT_EPT;
		cfg->large_1g = cpu_features.vmx_ept_1g;
		cfg->ept_ad = cpu_features.vmx_ept_ad;
	} else {
		/* NPT walks use the host's long-mode page sizes. */
		cfg->format = NPT_FORMAT_AMD;
		cfg->large_1g = cpu_features.pdpe1gb;
	}
}

struct vm *vm_create(void)
{
	struct npt_config cfg;
	struct vm *vm;
	int err;

	if (!virt) {
		pr_err("vm: no virtualization backend, cannot create a VM\n");
		return NULL;
	}
	vm = kzalloc(sizeof(*vm));
	if (!vm) {
		pr_err("vm: out of memory for the VM object\n");
		return NULL;
	}
	vm->id = __atomic_fetch_add(&next_vm_id, 1, __ATOMIC_RELAXED);
	vm->lock = (spinlock_t)SPINLOCK_INIT;
	npt_config_for_backend(&cfg);
	vm->npt = npt_create(&cfg);
	if (!vm->npt) {
		pr_err("vm %u: out of memory for the nested page table\n", vm->id);
		kfree(vm);
		return NULL;
	}
	err = virt->vm_init(vm);
	if (err) {
		pr_err("vm %u: %s vm_init failed (%d)\n", vm->id, virt->name, err);
		npt_destroy(vm->npt);
		kfree(vm);
		return NULL;
	}
	pr_debug("vm %u: created (%s, 2M%s)\n", vm->id,
		 cfg.format == NPT_FORMAT_EPT ? "EPT" : "NPT", cfg.large_1g ? ", 1G" : "");
	return vm;
}

void vm_destroy(struct vm *vm)
{
	if (!vm)
		return;
	for (unsigned int i = 0; i < VM_MAX_VCPUS; i++) {
		if (vm->vcpus[i]) {
			vcpu_destroy(vm->vcpus[i]);
			vm->vcpus[i] = NULL;
		}
	}
	vm->nr_vcpus = 0;
	/* No vcpu can run any more: the tables and then the RAM can go. */
	npt_destroy(vm->npt);
	vm->npt = NULL;
	for (unsigned int i = 0; i < vm->nr_ram; i++)
		frame_free(vm->ram[i].hpa, vm->ram[i].order);
	vm->nr_ram = 0;
	kfree(vm);
}

static void flush_if_stale(struct vm *vm, bool stale)
{
	if (stale)
		virt->vm_flush_tlb(vm);
}

static bool range_valid(uint64_t gpa, uint64_t size)
{
	return size && IS_ALIGNED(gpa, PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) &&
	       gpa + size > gpa;
}

/* The largest buddy order that is aligned at @gpa and fits in @size bytes. */
static unsigned int block_order(uint64_t gpa, uint64_t size)
{
	unsigned int order = 0;

	while (order < FRAME_MAX_ORDER) {
		uint64_t next = PAGE_SIZE << (order + 1);

		if (!IS_ALIGNED(gpa, next) || next > size)
			break;
		order++;
	}
	return order;
}

/*
 * Naturally aligned blocks at naturally aligned GPAs let npt_map use 2 MiB and
 * 1 GiB leaves. When a large block is not available, smaller ones are tried.
 */
int vm_alloc_ram(struct vm *vm, uint64_t gpa, uint64_t size)
{
	unsigned int first;
	uint64_t done = 0;
	bool stale;
	int err = 0;

	if (!range_valid(gpa, size))
		return -EINVAL;
	spin_lock(&vm->lock);
	first = vm->nr_ram;
	while (done < size) {
		unsigned int order = block_order(gpa + done, size - done);
		paddr_t hpa;

		if (vm->nr_ram == VM_MAX_RAM_BLOCKS) {
			pr_err("vm %u: guest RAM needs more than %u blocks\n", vm->id,
			       VM_MAX_RAM_BLOCKS);
			err = -ENOMEM;
			break;
		}
		while ((hpa = frame_alloc(order)) == FRAME_NONE && order > 0)
			order--;
		if (hpa == FRAME_NONE) {
			err = -ENOMEM;
			break;
		}
		err = npt_map(vm->npt, gpa + done, hpa, PAGE_SIZE << order, NPT_RWX);
		if (err) {
			frame_free(hpa, order);
			break;
		}
		vm->ram[vm->nr_ram++] = (struct vm_ram_block){ .hpa = hpa, .order = order };
		done += PAGE_SIZE << order;
	}
	if (err) {
		/* Undo: the blocks were mapped whole, so unmapping needs no split. */
		if (done)
			npt_unmap(vm->npt, gpa, done);
		while (vm->nr_ram > first) {
			vm->nr_ram--;
			frame_free(vm->ram[vm->nr_ram].hpa, vm->ram[vm->nr_ram].order);
		}
		pr_err("vm %u: cannot allocate %#lx bytes of RAM at %#lx (%d)\n", vm->id,
		       (unsigned long)size, (unsigned long)gpa, err);
	}
	stale = npt_take_stale(vm->npt);
	spin_unlock(&vm->lock);
	flush_if_stale(vm, stale);
	return err;
}

int vm_map(struct vm *vm, uint64_t gpa, paddr_t hpa, uint64_t size, unsigned int prot)
{
	bool stale;
	int err;

	spin_lock(&vm->lock);
	err = npt_map(vm->npt, gpa, hpa, size, prot);
	stale = npt_take_stale(vm->npt);
	spin_unlock(&vm->lock);
	/* Replacing a translation leaves the old one in the guest TLBs. */
	flush_if_stale(vm, stale);
	return err;
}

int vm_unmap(struct vm *vm, uint64_t gpa, uint64_t size)
{
	bool stale;
	int err;

	spin_lock(&vm->lock);
	err = npt_unmap(vm->npt, gpa, size);
	stale = npt_take_stale(vm->npt);
	spin_unlock(&vm->lock);
	flush_if_stale(vm, stale);
	return err;
}

/* Direct-map pointer to guest-physical @gpa if the VM maps it with rights @need. */
static void *gpa_to_ptr(struct vm *vm, uint64_t gpa, unsigned int need)
{
	paddr_t hpa;
	unsigned int prot;

	if (!npt_lookup(vm->npt, gpa, &hpa, &prot) || (prot & need) != need)
		return NULL;
	return phys_to_virt(hpa);
}

int vm_read_gpa(struct vm *vm, uint64_t gpa, void *buf, size_t len)
{
	uint8_t *dst = buf;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));
		void *src = gpa_to_ptr(vm, gpa, NPT_R);

		if (!src)
			return -EFAULT;
		memcpy(dst, src, chunk);
		dst += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

/* Writes need NPT_W: the core must not store into memory the guest sees as ROM. */
int vm_write_gpa(struct vm *vm, uint64_t gpa, const void *buf, size_t len)
{
	const uint8_t *src = buf;

	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (gpa & (PAGE_SIZE - 1)));
		void *dst = gpa_to_ptr(vm, gpa, NPT_R | NPT_W);

		if (!dst)
			return -EFAULT;
		memcpy(dst, src, chunk);
		src += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

/* Guest page-table entries are naturally aligned, so they never cross a page. */
static void *gwalk_ptr(struct vm *vm, uint64_t gpa, unsigned int size, unsigned int need)
{
	if ((size != 4 && size != 8) || (gpa & (size - 1)))
		return NULL;
	return gpa_to_ptr(vm, gpa, need);
}

static int vm_gwalk_read(void *ctx, uint64_t gpa, void *val, unsigned int size)
{
	void *p = gwalk_ptr(ctx, gpa, size, NPT_R);

	if (!p)
		return -EFAULT;
	/* Single loads: guest CPUs may be writing the entry right now. */
	if (size == 4)
		*(uint32_t *)val = __atomic_load_n((uint32_t *)p, __ATOMIC_RELAXED);
	else
		*(uint64_t *)val = __atomic_load_n((uint64_t *)p, __ATOMIC_RELAXED);
	return 0;
}

static int vm_gwalk_cmpxchg(void *ctx, uint64_t gpa, uint64_t old, uint64_t new,
			    unsigned int size)
{
	/* A/D updates in read-only guest memory would fault on hardware too. */
	void *p = gwalk_ptr(ctx, gpa, size, NPT_R | NPT_W);
	bool done;

	if (!p)
		return -EFAULT;
	if (size == 4) {
		uint32_t expect = (uint32_t)old;

		done = __atomic_compare_exchange_n((uint32_t *)p, &expect, (uint32_t)new, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	} else {
		uint64_t expect = old;

		done = __atomic_compare_exchange_n((uint64_t *)p, &expect, new, false,
						   __ATOMIC_SEQ_CST, __ATOMIC_RELAXED);
	}
	return done ? 0 : -EAGAIN;
}

struct gwalk_mem vm_gwalk_mem(struct vm *vm)
{
	struct gwalk_mem mem = {
		.ctx = vm,
		.read = vm_gwalk_read,
		.cmpxchg = vm_gwalk_cmpxchg,
	};
	return mem;
}
