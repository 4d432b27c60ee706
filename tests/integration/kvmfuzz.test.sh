# The KVM ABI under random ioctls (tests/kvmfuzz/, issue 5: "a program sending
# random ioctl numbers and payloads through libkvm for 60 s leaves the service
# domain and core running"), on QEMU (SVM) and Bochs (VMX). The boot runs
#   memslot (conformance, leakcheck=1)  -> free frames after a KVM device model
#   kvmfuzz for 60 s                    -> every run exits 0 and reports its requests
#   memslot (conformance, leakcheck=1)  -> still passes, and the free frames are
#                                          those of the first memslot run: the
#                                          fuzzer's VMs, vcpus and memory came back
# Bochs's clock runs by instruction count (about 12x real time), so its 60 s
# take a few seconds of wall time.
. tests/integration/conformance.test.sh

# Seen here: one frame less per fuzzer run after the warm-up (heap growth in
# the service domain or the core); a leaked VM, vcpu or pinned guest memory
# costs far more (the fuzzer's guest memory alone is 512 frames).
KVMFUZZ_SLACK=8

kvmfuzz_run() {	# kvmfuzz_run EMULATOR
	local emu=$1 log=$LOGDIR/kvmfuzz_$1.log iso rc=0 runs bad b1 b2 total base
	conformance_build kvmfuzz || return 1
	iso=$(ring3_iso "kvmfuzz_$emu" \
		"poweroff kvmfuzz:for=5,timeout=30 memslot:leakcheck=1,timeout=60 kvmfuzz:for=60,timeout=90 memslot:leakcheck=1,timeout=60" \
		"$BUILD/conformance/tern/memslot" "$BUILD/kvmfuzz/kvmfuzz") || return 1
	if [ "$emu" = qemu ]; then
		run_qemu "$log" 240 "$iso" -smp 2 -m 512 || rc=$?
	else
		run_bochs "$log" 240 "$iso" 2 256 || rc=$?
	fi
	tr -d '\r' <"$log" >"$log.txt"
	ring3_no_panic "$log" || return 1
	runs=$(grep -c '^process kvmfuzz exited ' "$log.txt")
	bad=$(grep '^process kvmfuzz exited ' "$log.txt" | grep -vc ' exited 0$')
	if [ "$runs" -eq 0 ] || [ "$bad" -ne 0 ]; then
		echo "kvmfuzz on $emu: $runs runs, $bad did not exit with 0:"
		grep -E '^process kvmfuzz exited|^kvmfuzz: |^sd: .*kvmfuzz' "$log.txt" | head -20 |
			sed 's/^/    /'
		return 1
	fi
	expect "$log.txt" '^kvmfuzz: [0-9]+ requests in [0-9]+ ms$' || return 1
	# Both memslot runs (warm-up + 1 each) passed.
	[ "$(grep -c '^conformance memslot: [0-9]* passed, 0 failed$' "$log.txt")" -eq 4 ] &&
		[ "$(grep -c '^process memslot exited 0$' "$log.txt")" -eq 4 ] || {
		echo "memslot did not pass 4 times around the fuzzer:"
		grep -E '^FAIL memslot|^conformance memslot|^process memslot' "$log.txt" | head -12 |
			sed 's/^/    /'
		return 1
	}
	mapfile -t base < <(sed -n 's/^frames: baseline \([0-9]*\) free after the warm-up run of memslot$/\1/p' \
		"$log.txt")
	b1=${base[0]:-}
	b2=${base[1]:-}
	if [ -z "$b1" ] || [ -z "$b2" ] || [ $((b1 - b2)) -gt $KVMFUZZ_SLACK ]; then
		echo "free frames after memslot: ${b1:-none} before the fuzzer, ${b2:-none} after" \
			"(at most $KVMFUZZ_SLACK fewer allowed)"
		grep '^frames:' "$log.txt" | sed 's/^/    /'
		return 1
	fi
	expect_ended "$rc" "$log" || return 1
	total=$(awk '/^kvmfuzz: [0-9]+ requests in/ { t += $2 } END { print t + 0 }' "$log.txt")
	echo "kvmfuzz on $emu: $runs runs, $total requests; $(grep '^kvmfuzz: ring:' "$log.txt" |
		tail -1 | sed 's/^kvmfuzz: //'); free frames $b1 before, $b2 after"
}

itest_kvmfuzz_qemu() {
	kvmfuzz_run qemu
}

itest_kvmfuzz_bochs() {
	kvmfuzz_run bochs
}
