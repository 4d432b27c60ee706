# EFER.LME set while paging and PAE are off (tests/kvmlme/efer_lme.c, a device
# model under the service domain): the state in which QEMU's SVM left a CPU
# without paging at the next #VMEXIT and hung the machine (the KVM fuzzer's
# hang; arch/x86/svm/svm_lme.c). On QEMU (SVM) and Bochs (VMX).
. tests/integration/conformance.test.sh

kvmlme_iso() {	# kvmlme_iso EMULATOR -> the ISO path
	local out=$BUILD/kvmlme-test/$1
	mkdir -p "$out"
	conformance_build || return 1
	"$BUILD/sdk/bin/tern-cc" -std=gnu11 -O2 -g -Wall -Wextra -Werror -o "$out/efer_lme" \
		tests/kvmlme/efer_lme.c tests/conformance/lib/*.c -lpthread ||
		{ echo "tern-cc failed"; return 1; }
	ring3_iso "kvmlme_$1" "poweroff efer_lme:timeout=60" "$out/efer_lme"
}

kvmlme_check() {	# kvmlme_check RC LOG
	tr -d '\r' <"$2" >"$2.txt"
	ring3_no_panic "$2" && ring3_exited "$2" efer_lme 0 &&
		expect "$2.txt" '^conformance efer_lme: [0-9]+ passed, 0 failed$' &&
		expect_ended "$1" "$2"
}

itest_kvmlme_qemu() {
	local iso log=$LOGDIR/kvmlme_qemu.log rc=0
	iso=$(kvmlme_iso qemu) || return 1
	run_qemu "$log" 90 "$iso" -smp 2 -m 512 || rc=$?
	kvmlme_check "$rc" "$log"
}

itest_kvmlme_bochs() {
	local iso log=$LOGDIR/kvmlme_bochs.log rc=0
	iso=$(kvmlme_iso bochs) || return 1
	run_bochs "$log" 240 "$iso" 2 256 || rc=$?
	kvmlme_check "$rc" "$log"
}
