# The core's KVM ABI from ring 3 (tests/kvmcore/kvm_run.c as the service
# domain): VM and vcpu objects, VM memory, KVM_RUN with I/O exits, HLT, dirty
# log, kicks (also out of an INT n loop with software breakpoints), and frames back at the baseline, on QEMU (SVM) and Bochs (VMX).

kvmcore_iso() {
	sd_program_iso "kvmcore-$1" tests/kvmcore/kvm_run.c
}

kvmcore_check() {
	expect "$1" '^kvmcore: guest printed "Hello from the guest" \(23 I/O exits\), then halted' &&
		expect "$1" '^kvmcore: dirty log 0x4$' &&
		expect "$1" '^kvmcore: kicked out of a spinning guest: -4, exit reason 10$' &&
		expect "$1" '^kvmcore: kicked out of a guest looping on INT n with KVM_GUESTDBG_USE_SW_BP: -4, exit reason 10$' &&
		expect "$1" '^kvmcore: PASS$' &&
		expect_not "$1" 'FAIL|FAULT|panic'
}

itest_kvmcore_qemu() {
	local iso log=$BUILD/kvmcore-qemu.log rc=0
	iso=$(kvmcore_iso qemu) || return 1
	run_qemu "$log" 90 "$iso" -smp 2 -m 512 || rc=$?
	expect_ended "$rc" "$log" && kvmcore_check "$log"
}

itest_kvmcore_bochs() {
	local iso log=$BUILD/kvmcore-bochs.log rc=0
	iso=$(kvmcore_iso bochs) || return 1
	run_bochs "$log" 240 "$iso" 2 256 || rc=$?
	expect_ended "$rc" "$log" && kvmcore_check "$log"
}

# One CPU: the guest that spins with IF=0 from the reset state has the CPU to
# itself, so only the core can get it out for the thread that kicks it.
itest_kvmcore_bochs_onecpu() {
	local iso log=$BUILD/kvmcore-bochs-onecpu.log rc=0
	iso=$(kvmcore_iso bochs) || return 1
	run_bochs "$log" 240 "$iso" 1 256 || rc=$?
	expect_ended "$rc" "$log" && kvmcore_check "$log"
}
