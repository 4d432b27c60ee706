# Ring-3 programs (issue: ring 3) on QEMU (SVM, 2 CPUs) and Bochs (VMX, 2
# CPUs), all in one boot per emulator: printf, malloc, threads on every CPU,
# eventfd ping-pong between threads and processes, poll, pthread_kill; then
# programs that fault (each killed with its signal, the next one runs), a
# module that is not an ELF, 100 create/exit cycles with the free-frame count
# back at its baseline, and a last program that must still run.
. tests/integration/ring3_lib.sh

RING3_FAULTS="null:11 kread:11 core:11 hlt:4 cli:4 wrmsr:4 ud2:4 div0:8"

ring3_programs_iso() {
	local name=$1 mods=() cfg f mode
	ring3_build || return 1
	cfg="poweroff printf:timeout=120 malloc:timeout=120 threads:timeout=120"
	cfg="$cfg evping:spawn,timeout=120 poll:timeout=120 intr:timeout=120"
	mods=("$BUILD/ring3/printf" "$BUILD/ring3/malloc" "$BUILD/ring3/threads=2"
		"$BUILD/ring3/evping" "$BUILD/ring3/poll" "$BUILD/ring3/intr")
	for f in $RING3_FAULTS; do
		mode=${f%%:*}
		mods+=("$(ring3_alias "fault-$mode" fault)=$mode")
		cfg="$cfg fault-$mode:timeout=60"
	done
	mkdir -p "$BUILD/test-iso/ring3"
	echo "this is not an ELF file" >"$BUILD/test-iso/ring3/notelf"
	mods+=("$BUILD/test-iso/ring3/notelf" "$BUILD/ring3/nop" "$BUILD/ring3/hello=0 after faults")
	cfg="$cfg notelf nop:leakcheck=100,timeout=60 hello"
	ring3_iso "$name" "$cfg" "${mods[@]}"
}

ring3_programs_check() {
	local log=$1 rc=0 p f
	for p in printf malloc threads evping poll intr; do
		ring3_exited "$log" "$p" 0 || rc=1
	done
	for f in $RING3_FAULTS; do
		local sig=${f##*:} n
		case $sig in 4) n=SIGILL ;; 8) n=SIGFPE ;; 11) n=SIGSEGV ;; esac
		ring3_exited "$log" "fault-${f%%:*}" "signal $sig ($n)" || rc=1
	done
	expect "$log" "^sd: cannot start notelf: " || rc=1
	expect "$log" "^frames: ok$" "100 create/exit cycles" || {
		tr -d '\r' <"$log" | grep "^frames:" | sed 's/^/    /'
		rc=1
	}
	ring3_exited "$log" hello 0 || rc=1
	expect "$log" "^threads: .* cpu0=apic[0-9]+ cpu1=apic[0-9]+$" || rc=1
	expect "$log" "^sd: [0-9]+ of [0-9]+ frames free after the last program" || rc=1
	ring3_no_panic "$log" || rc=1
	return $rc
}

itest_ring3_programs_qemu() {
	local log=$LOGDIR/ring3_programs_qemu.log iso rc=0
	iso=$(ring3_programs_iso ring3_programs_qemu) || return 1
	run_qemu "$log" 240 "$iso" -smp 2 -m 512 || rc=$?
	expect_ended "$rc" "$log" || return 1
	ring3_programs_check "$log"
}

itest_ring3_programs_bochs() {
	local log=$LOGDIR/ring3_programs_bochs.log iso rc=0
	iso=$(ring3_programs_iso ring3_programs_bochs) || return 1
	run_bochs "$log" 300 "$iso" 2 256 || rc=$?
	expect_ended "$rc" "$log" || return 1
	ring3_programs_check "$log"
}
