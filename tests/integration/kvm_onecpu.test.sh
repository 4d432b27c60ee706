# KVM_RUN from a device model on a one-CPU Bochs (VMX): the service domain
# creates the VM and the vcpu, the device model runs it, both on the only
# CPU. A VM exit loads CR3 from the VMCS host state, so that field must be the
# running process's, not the one the vcpu was created (and first loaded) in:
# otherwise the device model returns from KVM_RUN on the service domain's
# page tables and dies at the instruction after its syscall. With two CPUs
# the two processes usually run on different CPUs and the bug hides (a
# vcpu's first load on another CPU rewrote the host state).
#
# Uses conformance_build and conformance_result from conformance.test.sh
# (every *.test.sh is sourced into one shell).
. tests/integration/ring3_lib.sh

# The programs that run guests and check their state after KVM_RUN.
ONECPU_PROGRAMS="realmode mmio longmode vcpu"

itest_kvm_onecpu_bochs() {
	local log=$LOGDIR/kvm_onecpu_bochs.log iso run=0 rc=0 p mods=()
	conformance_build || return 1
	for p in $ONECPU_PROGRAMS; do
		mods+=("$BUILD/conformance/tern/$p")
	done
	iso=$(ring3_iso kvm_onecpu_bochs "poweroff sequential timeout=300 $ONECPU_PROGRAMS" \
		"${mods[@]}") || return 1
	run_bochs "$log" 300 "$iso" 1 256 || run=$?
	for p in $ONECPU_PROGRAMS; do
		conformance_result "$log" "$p" || rc=1
	done
	ring3_no_panic "$log" || rc=1
	expect_not "$log" "killed: " || rc=1
	expect_ended "$run" "$log" || rc=1
	return $rc
}
