/*
 * Test body shared by every test guest, included after the mode's .code16,
 * .code32 or .code64: it uses only 32-bit registers, call/ret and absolute
 * addresses below 64 KiB, which assemble correctly in all three. Define
 * GUEST64 before including it in 64-bit code.
 */

/* Prints the NUL-terminated string at %esi on the console port. */
puts:
	movb (%esi), %al
	test %al, %al
	jz 1f
	out %al, $GP_CONSOLE
	inc %esi
	jmp puts
1:	ret

/* Prints %eax as 8 hex digits. */
puthex:
	mov $8, %ecx
1:	rol $4, %eax
	mov %eax, %edx
	and $0xf, %edx
	movb hexdigits(%edx), %dl
	xchg %eax, %edx
	out %al, $GP_CONSOLE
	xchg %eax, %edx
	dec %ecx
	jnz 1b
	ret

/* Reports failure with the message at %esi; never returns. */
fail:
	mov %esi, %edi
	mov $fail_prefix, %esi
	call puts
	mov %edi, %esi
	call puts
	mov $newline, %esi
	call puts
	mov $1, %eax
	out %eax, $GP_RESULT
1:	cli
	hlt
	jmp 1b

pass:
	mov $pass_msg, %esi
	call puts
	xor %eax, %eax
	out %eax, $GP_RESULT
	mov $after_result, %esi
	jmp fail

/*
 * Interrupt dispatch shared by the per-mode entry stubs: %eax = vector.
 * Returns %ebx = the address to resume at (0: return where the event
 * interrupted). Faults raised on purpose (#UD, #GP) resume at `resume`.
 */
handle_vector:
	mov %eax, last_vec
	xor %ebx, %ebx
	cmp $EXTINT_VECTOR, %eax
	jne 1f
	incl irq_count
	ret
1:	cmp $0, %eax
	jne 1f
	incl de_count
	ret
1:	cmp $6, %eax
	jne 1f
	incl ud_count
	jmp 2f
1:	cmp $13, %eax
	jne unexpected_vector
	incl gp_count
2:	mov resume, %ebx
	test %ebx, %ebx
	jz unexpected_vector
	ret
unexpected_vector:
	mov %eax, %ebx
	mov $unexpected_msg, %esi
	call puts
	mov %ebx, %eax
	call puthex
	mov $newline, %esi
	call puts
	mov $unexpected_tail, %esi
	jmp fail

common_tests:
	call t_cpuid
	call t_msr
	call t_msr_gp
	call t_hypercall
	call t_strio
	call t_extint
	call t_exception
	ret

t_cpuid:
	mov $1, %eax
	xor %ecx, %ecx
	cpuid
	bt $31, %ecx
	ASSERT c, "cpuid: hypervisor bit (leaf 1 ECX[31]) clear"
	bt $5, %ecx
	ASSERT nc, "cpuid: VMX (leaf 1 ECX[5]) visible to the guest"
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb 1f
	mov $0x80000001, %eax
	xor %ecx, %ecx
	cpuid
	bt $2, %ecx
	ASSERT nc, "cpuid: SVM (leaf 0x80000001 ECX[2]) visible to the guest"
1:	mov $cpuid_ok, %esi
	jmp puts

t_msr:
	mov $MSR_SYSENTER_CS, %ecx
	mov $0x1234, %eax
	xor %edx, %edx
	wrmsr
	xor %eax, %eax
	rdmsr
	cmp $0x1234, %eax
	ASSERT e, "msr: IA32_SYSENTER_CS did not read back"
	mov $MSR_SYSENTER_ESP, %ecx
	mov $0x89abcdef, %eax
	xor %edx, %edx
	wrmsr
	xor %eax, %eax
	rdmsr
	cmp $0x89abcdef, %eax
	ASSERT e, "msr: IA32_SYSENTER_ESP did not read back"
	/* Writing IA32_TSC moves the guest's TSC: it then reads just above 2^32. */
	mov $0x10, %ecx
	xor %eax, %eax
	mov $1, %edx
	wrmsr
	rdtsc
	cmp $1, %edx
	ASSERT e, "msr: RDTSC after writing IA32_TSC = 2^32 is not in [2^32, 2^33)"
	mov $msr_ok, %esi
	jmp puts

t_msr_gp:
	movl $0, gp_count
	movl $1f, resume
	mov $UNKNOWN_MSR, %ecx
	rdmsr
1:	cmpl $1, gp_count
	ASSERT e, "msr: RDMSR of an unknown MSR did not raise #GP"
	movl $2f, resume
	mov $UNKNOWN_MSR, %ecx
	xor %eax, %eax
	xor %edx, %edx
	wrmsr
2:	cmpl $2, gp_count
	ASSERT e, "msr: WRMSR of an unknown MSR did not raise #GP"
	movl $0, resume
	mov $msrgp_ok, %esi
	jmp puts

t_hypercall:
	xor %ebx, %ebx
	xor %ecx, %ecx
	xor %edx, %edx
	xor %esi, %esi
	mov $KVM_HC_VAPIC_POLL_IRQ, %eax
	vmcall
	test %eax, %eax
	ASSERT z, "hypercall: VMCALL KVM_HC_VAPIC_POLL_IRQ did not return 0"
	mov $KVM_HC_VAPIC_POLL_IRQ, %eax
	vmmcall
	test %eax, %eax
	ASSERT z, "hypercall: VMMCALL KVM_HC_VAPIC_POLL_IRQ did not return 0"
	mov $0x7777, %eax
	vmcall
#ifdef GUEST64
	cmp $-KVM_ENOSYS, %rax
#else
	cmp $-KVM_ENOSYS, %eax
#endif
	ASSERT e, "hypercall: VMCALL of an unknown number did not return -KVM_ENOSYS"
	mov $0x7777, %eax
	vmmcall
#ifdef GUEST64
	cmp $-KVM_ENOSYS, %rax
#else
	cmp $-KVM_ENOSYS, %eax
#endif
	ASSERT e, "hypercall: VMMCALL of an unknown number did not return -KVM_ENOSYS"
	mov $hypercall_ok, %esi
	jmp puts

/* %esi = buffer, %ecx = length: ZF set if it holds the harness's sequence
 * from index 0 (byte i = i * 37 + 11). */
check_seq:
	xor %ebx, %ebx
1:	mov %ebx, %eax
	imul $37, %eax, %eax
	add $11, %eax
	cmp %al, (%esi)
	jne 2f
	inc %esi
	inc %ebx
	dec %ecx
	jnz 1b
2:	ret

/* %esi = buffer, %ecx = length: %eax = the harness's checksum of those bytes
 * (h = h * 31 + byte, from 0, modulo 2^32). */
checksum:
	xor %eax, %eax
1:	imul $31, %eax, %eax
	movzbl (%esi), %edx
	add %edx, %eax
	inc %esi
	dec %ecx
	jnz 1b
	ret

t_strio:
	cld
	/* Single IN/OUT. */
	out %al, $GP_SUM
	in $GP_SEQ_IN, %al
	cmp $11, %al
	ASSERT e, "strio: IN from the sequence port did not return the first byte"
	mov $0x42, %al
	out %al, $GP_SUM_OUT
	in $GP_SUM, %eax
	cmp $0x42, %eax
	ASSERT e, "strio: checksum after one OUT is wrong"
	/* REP INSB across one page boundary. */
	out %al, $GP_SUM
	mov $STRIO_SHORT_BUF, %edi
	mov $STRIO_SHORT, %ecx
	mov $GP_SEQ_IN, %dx
	rep insb
	mov $STRIO_SHORT_BUF, %esi
	mov $STRIO_SHORT, %ecx
	call check_seq
	ASSERT e, "strio: REP INSB of 32 bytes across a page boundary read back wrong"
	/* REP INSB over three pages, more than one bounce buffer. */
	out %al, $GP_SUM
	mov $STRIO_BUF, %edi
	mov $STRIO_LEN, %ecx
	mov $GP_SEQ_IN, %dx
	rep insb
	test %ecx, %ecx
	ASSERT z, "strio: REP INSB left a non-zero count"
	mov $STRIO_BUF, %esi
	mov $STRIO_LEN, %ecx
	call check_seq
	ASSERT e, "strio: REP INSB of 5000 bytes over three pages read back wrong"
	/* REP OUTSB of the same bytes: the harness's checksum must match ours. */
	out %al, $GP_SUM
	movb $0x5a, STRIO_BUF + 100		/* not just the sequence again */
	mov $STRIO_BUF, %esi
	mov $STRIO_LEN, %ecx
	mov $GP_SUM_OUT, %dx
	rep outsb
	in $GP_COUNT, %eax
	cmp $STRIO_LEN, %eax
	ASSERT e, "strio: the harness did not receive 5000 bytes from REP OUTSB"
	mov $STRIO_BUF, %esi
	mov $STRIO_LEN, %ecx
	call checksum
	mov %eax, %ebx
	in $GP_SUM, %eax
	cmp %ebx, %eax
	ASSERT e, "strio: checksum of REP OUTSB over three pages differs"
	mov $strio_ok, %esi
	jmp puts

t_extint:
	cli
	movl $0, irq_count
	mov $(EVENT_EXTINT << 8 | EXTINT_VECTOR), %eax
	out %eax, $GP_EVENT
	cmpl $0, irq_count
	ASSERT e, "extint: interrupt delivered while RFLAGS.IF = 0"
	sti
	hlt
	cli
	cmpl $1, irq_count
	ASSERT e, "extint: STI; HLT did not take the queued interrupt"
	cmpl $EXTINT_VECTOR, last_vec
	ASSERT e, "extint: wrong vector"
	/* With IF = 1 the interrupt comes before the instruction after the OUT. */
	sti
	nop
	mov $(EVENT_EXTINT << 8 | EXTINT_VECTOR), %eax
	out %eax, $GP_EVENT
	cmpl $2, irq_count
	ASSERT e, "extint: interrupt not delivered right after the request with IF = 1"
	cli
	mov $extint_ok, %esi
	jmp puts

t_exception:
	movl $0, de_count
	mov $(EVENT_EXCEPTION << 8 | 0), %eax
	out %eax, $GP_EVENT
	cmpl $1, de_count
	ASSERT e, "exception: the injected #DE was not delivered through the IDT"
	mov $exception_ok, %esi
	jmp puts

hexdigits:	.ascii "0123456789abcdef"
fail_prefix:	.asciz "FAIL: "
newline:	.asciz "\n"
pass_msg:	.asciz "all tests passed\n"
after_result:	.asciz "still running after reporting the result"
unexpected_msg:	.asciz "unexpected exception or interrupt, vector 0x"
unexpected_tail: .asciz "unexpected exception or interrupt (vector above)"
cpuid_ok:	.asciz "cpuid ok\n"
msr_ok:		.asciz "msr ok\n"
msrgp_ok:	.asciz "unknown msr #GP ok\n"
hypercall_ok:	.asciz "vmcall/vmmcall ok\n"
strio_ok:	.asciz "string io ok\n"
extint_ok:	.asciz "external interrupt ok\n"
exception_ok:	.asciz "injected exception ok\n"

	.balign 4
irq_count:	.long 0
de_count:	.long 0
ud_count:	.long 0
gp_count:	.long 0
last_vec:	.long 0
resume:		.long 0
