# The core's kvm_run exits from ring 3 (tests/kvmexit/kvmexit.c as the
# service domain): KVM_EXIT_MMIO reads and writes decoded in real and 32-bit
# mode (mov, movzx, movsx, AH, rep stos, movs both ways, or, lods), reads
# completed at the next KVM_RUN, KVM_EXIT_DEBUG (int3, single step, hardware
# breakpoint), the interrupt window and an emulation failure, on QEMU (SVM)
# and Bochs (VMX).

# kvmexit_iso EMULATOR [ARG]: the test program as the service domain.
kvmexit_iso() {
	sd_program_iso "kvmexit-$1" tests/kvmexit/kvmexit.c "${2:-}"
}

kvmexit_check() {
	expect "$1" '^kvmexit: ok real mode: the read reached AL$' &&
		expect "$1" '^kvmexit: ok movsl stored the MMIO value in RAM$' &&
		expect "$1" '^kvmexit: ok int3 with USE_SW_BP' &&
		expect "$1" '^kvmexit: ok single step 3' &&
		expect "$1" '^kvmexit: ok incl on MMIO: KVM_INTERNAL_ERROR_EMULATION$' &&
		expect "$1" '^kvmexit: PASS$' &&
		expect_not "$1" 'FAIL|FAULT|panic'
}

itest_kvmexit_qemu() {
	local iso log=$BUILD/kvmexit-qemu.log rc=0
	# QEMU's SVM ignores the guest DR7 of the VMCB: no hardware breakpoints.
	iso=$(kvmexit_iso qemu no-hw-bp) || return 1
	run_qemu "$log" 90 "$iso" -smp 2 -m 512 || rc=$?
	expect_ended "$rc" "$log" && kvmexit_check "$log"
}

itest_kvmexit_bochs() {
	local iso log=$BUILD/kvmexit-bochs.log rc=0
	iso=$(kvmexit_iso bochs) || return 1
	run_bochs "$log" 240 "$iso" 2 256 || rc=$?
	expect_ended "$rc" "$log" && kvmexit_check "$log"
}
