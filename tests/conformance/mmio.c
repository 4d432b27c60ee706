// SPDX-License-Identifier: MIT
/*
 * conformance mmio: a 64-bit guest drives an MMIO device the VMM emulates
 * (KVM_EXIT_MMIO writes and reads of 1, 2, 4 and 8 bytes, reads through mov,
 * movzx and movsx completed by the next KVM_RUN), writes to a KVM_MEM_READONLY
 * slot (an MMIO exit, reads served from memory) and a coalesced MMIO zone
 * (no exit; the writes wait in the ring in the vcpu mapping).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/vmkit.h"

#define MEM_SIZE	0x100000u
#define GDT_GPA		0x0000u
#define TABLES_GPA	0x1000u
#define CODE_GPA	0x10000u
#define STACK_GPA	0x20000u
#define DEVICE_GPA	0xd0000000ull
#define ZONE_GPA	0xd0001000ull
#define ROM_GPA		0x200000ull

CT_GUEST_CODE(mmio_guest);
__asm__(".pushsection .rodata\n"
	".code64\n"
	"mmio_guest_start:\n"
	"	mov $0xd0000000, %ebx\n"
	"	movb $0x11, (%rbx)\n"
	"	movw $0x2233, 2(%rbx)\n"
	"	movl $0x44556677, 4(%rbx)\n"
	"	movabs $0x8899aabbccddeeff, %rax\n"
	"	mov %rax, 8(%rbx)\n"
	"	movzbl 0x10(%rbx), %eax\n"
	"	out %eax, $0x10\n"
	"	movsbl 0x10(%rbx), %eax\n"
	"	out %eax, $0x10\n"
	"	movzwl 0x12(%rbx), %eax\n"
	"	out %eax, $0x10\n"
	"	mov 0x14(%rbx), %eax\n"
	"	out %eax, $0x10\n"
	"	mov 0x18(%rbx), %rax\n"
	"	out %eax, $0x10\n"
	"	shr $32, %rax\n"
	"	out %eax, $0x10\n"
	"	mov $0x200000, %ecx\n"
	"	mov (%rcx), %eax\n"
	"	out %eax, $0x10\n"
	"	movl $0x12345678, 4(%rcx)\n"
	"	mov $0xd0001000, %ecx\n"
	"	movl $0xa1b2c3d4, (%rcx)\n"
	"	movl $0x01020304, 8(%rcx)\n"
	"	out %eax, $0x11\n"
	"	hlt\n"
	"mmio_guest_end:\n"
	".popsection\n");

enum event_kind { MMIO_WRITE, MMIO_READ, PIO_OUT, HALT };

/* What the guest must do next; for a read, value is what the device answers. */
struct event {
	enum event_kind kind;
	uint64_t addr;		/* MMIO address or port */
	uint32_t len;
	uint64_t value;
	const char *what;
};

static const struct event script[] = {
	{ MMIO_WRITE, DEVICE_GPA + 0x0, 1, 0x11, "1-byte MMIO write" },
	{ MMIO_WRITE, DEVICE_GPA + 0x2, 2, 0x2233, "2-byte MMIO write" },
	{ MMIO_WRITE, DEVICE_GPA + 0x4, 4, 0x44556677, "4-byte MMIO write" },
	{ MMIO_WRITE, DEVICE_GPA + 0x8, 8, 0x8899aabbccddeeffull, "8-byte MMIO write" },
	{ MMIO_READ, DEVICE_GPA + 0x10, 1, 0x80, "1-byte MMIO read (movzx)" },
	{ PIO_OUT, 0x10, 4, 0x80, "movzx zero-extends the MMIO byte" },
	{ MMIO_READ, DEVICE_GPA + 0x10, 1, 0x80, "1-byte MMIO read (movsx)" },
	{ PIO_OUT, 0x10, 4, 0xffffff80, "movsx sign-extends the MMIO byte" },
	{ MMIO_READ, DEVICE_GPA + 0x12, 2, 0xbeef, "2-byte MMIO read (movzx)" },
	{ PIO_OUT, 0x10, 4, 0xbeef, "the guest got the 2-byte value" },
	{ MMIO_READ, DEVICE_GPA + 0x14, 4, 0xdeadbeef, "4-byte MMIO read" },
	{ PIO_OUT, 0x10, 4, 0xdeadbeef, "the guest got the 4-byte value" },
	{ MMIO_READ, DEVICE_GPA + 0x18, 8, 0x0123456789abcdefull, "8-byte MMIO read" },
	{ PIO_OUT, 0x10, 4, 0x89abcdef, "the guest got the 8-byte value (low half)" },
	{ PIO_OUT, 0x10, 4, 0x01234567, "the guest got the 8-byte value (high half)" },
	{ PIO_OUT, 0x10, 4, 0x600df00d, "a read of the read-only slot comes from memory" },
	{ MMIO_WRITE, ROM_GPA + 4, 4, 0x12345678, "a write to the read-only slot is an MMIO exit" },
	{ PIO_OUT, 0x11, 4, 0x600df00d, "coalesced writes leave without an exit" },
	{ HALT, 0, 0, 0, "the guest halts" },
};

static int event_matches(struct ct_vcpu *vcpu, const struct event *ev)
{
	struct kvm_run *run = vcpu->run;

	switch (ev->kind) {
	case MMIO_WRITE:
		return run->exit_reason == KVM_EXIT_MMIO && run->mmio.is_write &&
		       run->mmio.phys_addr == ev->addr && run->mmio.len == ev->len &&
		       ct_get_le(run->mmio.data, ev->len) == ev->value;
	case MMIO_READ:
		if (run->exit_reason != KVM_EXIT_MMIO || run->mmio.is_write ||
		    run->mmio.phys_addr != ev->addr || run->mmio.len != ev->len)
			return 0;
		ct_put_le(run->mmio.data, ev->len, ev->value);
		return 1;
	case PIO_OUT:
		return run->exit_reason == KVM_EXIT_IO && run->io.direction == KVM_EXIT_IO_OUT &&
		       run->io.port == ev->addr && run->io.size == ev->len &&
		       ct_get_le(ct_io_data(vcpu), ev->len) == ev->value;
	case HALT:
		return run->exit_reason == KVM_EXIT_HLT;
	}
	return 0;
}

static void describe_exit(struct ct_vcpu *vcpu, const char *what)
{
	struct kvm_run *run = vcpu->run;

	if (run->exit_reason == KVM_EXIT_MMIO)
		ct_fail(what, "MMIO %s at %#llx, %u bytes, data %#llx",
			run->mmio.is_write ? "write" : "read",
			(unsigned long long)run->mmio.phys_addr, run->mmio.len,
			(unsigned long long)ct_get_le(run->mmio.data, 8));
	else if (run->exit_reason == KVM_EXIT_IO)
		ct_fail(what, "IO %s port %#x, %u bytes, data %#llx",
			run->io.direction == KVM_EXIT_IO_OUT ? "out" : "in", run->io.port,
			run->io.size, (unsigned long long)ct_get_le(ct_io_data(vcpu), 4));
	else
		ct_fail(what, "exit %s", ct_exit_name(run->exit_reason));
}

static void check_coalesced_ring(struct ct_vcpu *vcpu)
{
	struct kvm_coalesced_mmio_ring *ring =
		(void *)((uint8_t *)vcpu->run + KVM_COALESCED_MMIO_PAGE_OFFSET * CT_PAGE_SIZE);
	static const struct { uint64_t addr; uint32_t value; } want[] = {
		{ ZONE_GPA, 0xa1b2c3d4 }, { ZONE_GPA + 8, 0x01020304 },
	};
	uint32_t i, n = ring->last - ring->first;

	if (!ct_eq(n, 2, "two writes wait in the coalesced MMIO ring"))
		return;
	for (i = 0; i < n; i++) {
		struct kvm_coalesced_mmio *e = &ring->coalesced_mmio[ring->first + i];

		ct_check(e->phys_addr == want[i].addr && e->len == 4 &&
			 ct_get_le(e->data, 4) == want[i].value,
			 "coalesced entry %u: 4 bytes %#x at %#llx", i, want[i].value,
			 (unsigned long long)want[i].addr);
	}
	ring->first = ring->last;
}

int main(void)
{
	struct kvm_coalesced_mmio_zone zone = { .addr = ZONE_GPA, .size = 0x100 };
	struct ct_vcpu vcpu;
	struct ct_pt pt;
	uint8_t *mem, *rom;
	unsigned int i;
	int kvm, vm;

	ct_init("mmio");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	if (ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_READONLY_MEM) <= 0 ||
	    ioctl(kvm, KVM_CHECK_EXTENSION, KVM_CAP_COALESCED_MMIO) <= 0)
		ct_fatal("KVM_CAP_READONLY_MEM and KVM_CAP_COALESCED_MMIO are needed");
	mem = ct_add_memory(vm, 0, 0, MEM_SIZE, 0);
	rom = ct_add_memory(vm, 1, ROM_GPA, CT_PAGE_SIZE, KVM_MEM_READONLY);
	*(uint32_t *)rom = 0x600df00d;
	CT_OK(ioctl(vm, KVM_REGISTER_COALESCED_MMIO, &zone), "KVM_REGISTER_COALESCED_MMIO");
	memcpy(mem + CODE_GPA, mmio_guest_start, CT_GUEST_SIZE(mmio_guest));

	ct_pt_init(&pt, mem, CODE_GPA, TABLES_GPA);
	ct_pt_map(&pt, CODE_GPA, CODE_GPA, CT_PAGE_SIZE);
	ct_pt_map(&pt, STACK_GPA, STACK_GPA, CT_PAGE_SIZE);
	ct_pt_map(&pt, DEVICE_GPA, DEVICE_GPA, 2 * CT_PAGE_SIZE);
	ct_pt_map(&pt, ROM_GPA, ROM_GPA, CT_PAGE_SIZE);
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	ct_long_mode(kvm, &vcpu, &pt, GDT_GPA, CODE_GPA, STACK_GPA + CT_PAGE_SIZE);

	for (i = 0; i < sizeof(script) / sizeof(script[0]); i++) {
		if (ct_run(&vcpu) < 0) {
			ct_fail(script[i].what, "KVM_RUN: %s", strerror(errno));
			break;
		}
		if (!event_matches(&vcpu, &script[i])) {
			describe_exit(&vcpu, script[i].what);
			break;
		}
		ct_check(1, "%s", script[i].what);
		if (script[i].kind == PIO_OUT && script[i].addr == 0x11)
			check_coalesced_ring(&vcpu);
	}
	ct_eq(*(uint32_t *)(rom + 4), 0, "the read-only slot's memory is unchanged");
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
