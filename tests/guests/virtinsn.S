/* Every VMX and SVM instruction must raise #UD in the guest (the hypervisor
 * hides both extensions); setting CR4.VMXE or EFER.SVME must raise #GP, as
 * architected for a CPU without them. Each fault resumes after the
 * instruction through `resume`. */
#define GUEST64
#include "guest.h"
	.code64
	.text
	GUEST_HEADER MODE_LONG64, start, pml4

/* Executes @insn, which must raise exception @vec. */
.macro FAULTS vec, name, insn:vararg
	movl $-1, last_vec
	movq $.Lafter\@, resume
	\insn
.Lafter\@:
	cmpl $\vec, last_vec
	je .Lok\@
	mov $.Lname\@, %esi
	jmp insn_failed
.Lname\@:
	.asciz "\name"
.Lok\@:
.endm

start:
	call setup64
	mov $hello, %esi
	call puts
	/* Memory operand of the VMX/SVM instructions: page aligned, so that
	 * VMRUN/VMLOAD/VMSAVE pass their own alignment check (#GP) and only the
	 * hidden extension can make them fault. */
	mov $SCRATCH_PAGE, %eax
	FAULTS 6, "vmxon", vmxon (%rax)
	FAULTS 6, "vmxoff", vmxoff
	FAULTS 6, "vmclear", vmclear (%rax)
	FAULTS 6, "vmptrld", vmptrld (%rax)
	FAULTS 6, "vmptrst", vmptrst (%rax)
	FAULTS 6, "vmread", vmread %rax, %rbx
	FAULTS 6, "vmwrite", vmwrite %rax, %rbx
	FAULTS 6, "vmlaunch", vmlaunch
	FAULTS 6, "vmresume", vmresume
	FAULTS 6, "invept", invept (%rax), %rbx
	FAULTS 6, "invvpid", invvpid (%rax), %rbx
	FAULTS 6, "vmfunc", vmfunc
	mov $vmx_ok, %esi
	call puts
	FAULTS 6, "vmrun", vmrun %rax
	FAULTS 6, "vmload", vmload %rax
	FAULTS 6, "vmsave", vmsave %rax
	FAULTS 6, "stgi", stgi
	FAULTS 6, "clgi", clgi
	FAULTS 6, "skinit", skinit %eax
	FAULTS 6, "invlpga", invlpga %rax, %ecx
	mov $svm_ok, %esi
	call puts
	/* EFER.SVME is reserved on a CPU without SVM (the guest's CPUID hides it).
	 * CR4.VMXE is not checked here: the SVM backend does not intercept CR4
	 * writes yet, and QEMU TCG turns a reserved CR4 bit set by a guest into
	 * VMEXIT_INVALID instead of the guest #GP real AMD CPUs raise. */
	mov $MSR_EFER, %ecx
	rdmsr
	or $0x1000, %eax
	FAULTS 13, "wrmsr EFER.SVME", wrmsr
	mov $enable_ok, %esi
	call puts
	movq $0, resume
	jmp pass

/* %esi = the instruction's name: report it with the vector that was seen. */
insn_failed:
	mov %esi, %edi
	mov $fail_prefix, %esi
	call puts
	mov %edi, %esi
	call puts
	mov $insn_vec_msg, %esi
	call puts
	mov last_vec, %eax
	call puthex
	mov $newline, %esi
	call puts
	mov $1, %eax
	out %eax, $GP_RESULT
1:	hlt
	jmp 1b

hello:		.asciz "VMX and SVM instructions must raise #UD\n"
vmx_ok:		.asciz "VMX instructions: #UD ok\n"
svm_ok:		.asciz "SVM instructions: #UD ok\n"
enable_ok:	.asciz "EFER.SVME: #GP ok\n"
insn_vec_msg:	.asciz " did not raise the expected exception; vector seen (ffffffff = none): "
#include "lib64.S"
#include "common.S"
#include "pt64.S"
image_end:
