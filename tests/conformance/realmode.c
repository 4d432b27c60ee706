// SPDX-License-Identifier: MIT
/*
 * conformance realmode: a minimal VMM running a real-mode guest that prints
 * a string through a port one byte at a time, again with rep outsb (string
 * I/O through the kvm_run data page), reads two ports and halts.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "lib/ct.h"
#include "lib/vmkit.h"

#define CODE_GPA	0x1000u
#define CONSOLE_PORT	0x3f8u
#define MEM_SIZE	0x10000u

static const char expected[] = "Hello from real mode\nrep outsb: ok\n";

CT_GUEST_CODE(realmode);
extern const uint8_t rm_msg[];
__asm__(".pushsection .rodata\n"
	".code16\n"
	"realmode_start:\n"
	"	mov $0x3f8, %dx\n"
	"	mov $(rm_msg - realmode_start + 0x1000), %si\n"
	"1:	lodsb\n"
	"	test %al, %al\n"
	"	jz 2f\n"
	"	out %al, %dx\n"
	"	jmp 1b\n"
	"2:	mov $(rm_msg2 - realmode_start + 0x1000), %si\n"
	"	mov $(rm_msg2_end - rm_msg2), %cx\n"
	"	rep outsb\n"
	"	in $0x71, %al\n"
	"	out %al, $0x72\n"
	"	in $0x73, %ax\n"
	"	out %ax, $0x74\n"
	"	hlt\n"
	"rm_msg: .asciz \"Hello from real mode\\n\"\n"
	"rm_msg2: .ascii \"rep outsb: ok\\n\"\n"
	"rm_msg2_end:\n"
	"realmode_end:\n"
	".code64\n"
	".popsection\n");

struct console {
	char text[128];
	size_t len;
	unsigned int exits;
	int bad;
};

static void console_out(struct ct_vcpu *vcpu, struct console *con)
{
	struct kvm_run *run = vcpu->run;
	uint8_t *data = ct_io_data(vcpu);
	uint32_t i;

	con->exits++;
	if (run->io.size != 1 || run->io.direction != KVM_EXIT_IO_OUT) {
		con->bad = 1;
		return;
	}
	for (i = 0; i < run->io.count && con->len + 1 < sizeof(con->text); i++)
		con->text[con->len++] = (char)data[i];
}

/* Answers an IN of size bytes at port with value; checks the OUT that echoes it. */
static void echo_port(struct ct_vcpu *vcpu, uint16_t in_port, uint16_t out_port,
		      unsigned int size, uint64_t value)
{
	struct kvm_run *run = vcpu->run;

	ct_check(run->io.direction == KVM_EXIT_IO_IN && run->io.port == in_port &&
		 run->io.size == size && run->io.count == 1,
		 "IN exit: port %#x, %u byte(s)", in_port, size);
	ct_put_le(ct_io_data(vcpu), size, value);
	if (!ct_run_expect(vcpu, KVM_EXIT_IO, "the OUT after the IN"))
		return;
	ct_check(run->io.direction == KVM_EXIT_IO_OUT && run->io.port == out_port &&
		 run->io.size == size && ct_get_le(ct_io_data(vcpu), size) == value,
		 "the guest got %#llx from IN and wrote it to port %#x",
		 (unsigned long long)value, out_port);
}

int main(void)
{
	struct console con = { .len = 0 };
	struct kvm_regs regs;
	struct ct_vcpu vcpu;
	struct kvm_run *run;
	uint8_t *mem;
	int kvm, vm;

	ct_init("realmode");
	kvm = ct_open_kvm();
	vm = ct_create_vm(kvm);
	mem = ct_add_memory(vm, 0, 0, MEM_SIZE, 0);
	memcpy(mem + CODE_GPA, realmode_start, CT_GUEST_SIZE(realmode));
	ct_create_vcpu(kvm, vm, 0, &vcpu);
	ct_real_mode(&vcpu, CODE_GPA);
	run = vcpu.run;

	for (;;) {
		if (!ct_run_expect(&vcpu, KVM_EXIT_IO, "the guest's console output"))
			return ct_finish();
		if (run->io.port != CONSOLE_PORT)
			break;
		console_out(&vcpu, &con);
	}
	ct_check(!con.bad, "console exits are 1-byte OUTs (%u exits)", con.exits);
	ct_check(con.len == strlen(expected) && !memcmp(con.text, expected, con.len),
		 "the guest printed \"Hello from real mode\" and \"rep outsb: ok\"");
	/* Linux emulates rep outsb one byte per exit; several per exit is as good. */
	echo_port(&vcpu, 0x71, 0x72, 1, 0x5a);
	if (ct_run_expect(&vcpu, KVM_EXIT_IO, "the 2-byte IN"))
		echo_port(&vcpu, 0x73, 0x74, 2, 0xbeef);
	if (ct_run_expect(&vcpu, KVM_EXIT_HLT, "the guest halts: KVM_EXIT_HLT"))
		ct_check(1, "the guest halts: KVM_EXIT_HLT");
	if (CT_OK(ioctl(vcpu.fd, KVM_GET_REGS, &regs), "KVM_GET_REGS after HLT")) {
		ct_eq(regs.rip, CODE_GPA + (rm_msg - realmode_start), "RIP is past the HLT");
		ct_eq(regs.rcx & 0xffff, 0, "rep outsb counted CX down to 0");
		ct_eq(regs.rax & 0xffff, 0xbeef, "AX holds what the last IN read");
	}
	close(vcpu.fd);
	close(vm);
	close(kvm);
	return ct_finish();
}
