# Random system calls from ring 3 for 30 s (tests/ring3/fuzz.c) while another
# program runs beside it: the core never crashes, a killed fuzzer is restarted
# by the service domain until the time is up, and the run ends normally.
. tests/integration/ring3_lib.sh

ring3_fuzz_run() {	# ring3_fuzz_run EMULATOR
	local emu=$1 log=$LOGDIR/ring3_fuzz_$1.log iso rc=0 calls
	ring3_build || return 1
	iso=$(ring3_iso "ring3_fuzz_$emu" "poweroff parallel fuzz:for=30,timeout=90 printf:repeat=3" \
		"$BUILD/ring3/fuzz" "$BUILD/ring3/printf") || return 1
	if [ "$emu" = qemu ]; then
		run_qemu "$log" 120 "$iso" -smp 2 -m 512 || rc=$?
	else
		run_bochs "$log" 150 "$iso" 2 256 || rc=$?
	fi
	expect_ended "$rc" "$log" || return 1
	ring3_no_panic "$log" || return 1
	ring3_exited "$log" printf 0 || return 1
	expect "$log" "^sd: [0-9]+ of [0-9]+ frames free after the last program" || return 1
	# The fuzzer's console writes print dots without a newline: drop them.
	tr -d '\r' <"$log" | sed 's/^\.*//' >"$log.clean"
	expect "$log.clean" "^fuzz: [0-9]+ calls in [0-9]+ ms" "the last fuzzer run ended by its deadline" ||
		return 1
	# Every run's progress: the calls of runs that got killed count too.
	calls=$(awk '/^fuzz: seed/ { t += last; last = 0 }
		/^fuzz: [0-9]+ calls/ { last = $2 } END { print t + last }' "$log.clean")
	echo "fuzz on $emu: $calls calls, $(grep -c '^process fuzz exited' "$log.clean") runs"
}

itest_ring3_fuzz_qemu() {
	ring3_fuzz_run qemu
}

itest_ring3_fuzz_bochs() {
	ring3_fuzz_run bochs
}
