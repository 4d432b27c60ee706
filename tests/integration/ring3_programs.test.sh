# Ring-3 programs (issue: ring 3) on QEMU (SVM, 2 CPUs) and Bochs (VMX, 2
# CPUs). Two boots per emulator (the core takes at most 16 modules):
#  - programs: printf, malloc, threads on every CPU, eventfd ping-pong between
#    threads and between processes, poll, pthread_kill, /dev/kvm without a
#    KVM ring (libkvm);
#  - faults: programs that fault, each killed with its signal while the next
#    one still runs, a module that is not an ELF, 100 create/exit cycles with
#    the free-frame count back at its baseline, and a last program that runs.
. tests/integration/ring3_lib.sh

RING3_FAULTS="null:11 kread:11 core:11 hlt:11 cli:11 wrmsr:11 ud2:4 div0:8 int3:5"

ring3_programs_iso() {
	ring3_build || return 1
	ring3_iso "$1" "poweroff timeout=120 printf malloc threads evping:spawn poll intr kvmopen" \
		"$BUILD/ring3/printf" "$BUILD/ring3/malloc" "$BUILD/ring3/threads=2" \
		"$BUILD/ring3/evping" "$BUILD/ring3/poll" "$BUILD/ring3/intr" "$BUILD/ring3/kvmopen"
}

ring3_programs_check() {
	local log=$1 rc=0 p
	for p in printf malloc threads evping poll intr kvmopen; do
		ring3_exited "$log" "$p" 0 || rc=1
	done
	expect "$log" "^threads: .* cpu0=apic[0-9]+ cpu1=apic[0-9]+$" || rc=1
	expect "$log" "^sd: [0-9]+ of [0-9]+ frames free after the last program" || rc=1
	ring3_no_panic "$log" || rc=1
	return $rc
}

ring3_faults_iso() {
	local mods=() cfg="poweroff timeout=60" f mode
	ring3_build || return 1
	for f in $RING3_FAULTS; do
		mode=${f%%:*}
		mods+=("$(ring3_alias "fault-$mode" fault)=$mode")
		cfg="$cfg fault-$mode"
	done
	mkdir -p "$BUILD/test-iso/ring3"
	echo "this is not an ELF file" >"$BUILD/test-iso/ring3/notelf"
	mods+=("$BUILD/test-iso/ring3/notelf" "$BUILD/ring3/nop" "$BUILD/ring3/hello=0 after faults")
	ring3_iso "$1" "$cfg notelf nop:leakcheck=100 hello" "${mods[@]}"
}

ring3_faults_check() {
	local log=$1 rc=0 f sig n
	for f in $RING3_FAULTS; do
		sig=${f##*:}
		case $sig in 4) n=SIGILL ;; 5) n=SIGTRAP ;; 8) n=SIGFPE ;; 11) n=SIGSEGV ;; esac
		ring3_exited "$log" "fault-${f%%:*}" "signal $sig ($n)" || rc=1
	done
	expect "$log" "^sd: cannot start notelf: " || rc=1
	expect "$log" "^frames: ok$" "100 create/exit cycles" || {
		tr -d '\r' <"$log" | grep "^frames:" | sed 's/^/    /'
		rc=1
	}
	[ "$(tr -d '\r' <"$log" | grep -c '^process nop exited 0$')" -eq 101 ] ||
		{ echo "not 101 runs of nop with status 0"; rc=1; }
	ring3_exited "$log" hello 0 || rc=1
	ring3_no_panic "$log" || rc=1
	return $rc
}

# ring3_boot KIND EMULATOR: builds the KIND ISO, boots it, checks the log.
ring3_boot() {
	local kind=$1 emu=$2 log=$LOGDIR/ring3_$1_$2.log iso rc=0
	iso=$("ring3_${kind}_iso" "ring3_${kind}_$emu") || return 1
	if [ "$emu" = qemu ]; then
		run_qemu "$log" 240 "$iso" -smp 2 -m 512 || rc=$?
	else
		run_bochs "$log" 300 "$iso" 2 256 || rc=$?
	fi
	expect_ended "$rc" "$log" || return 1
	"ring3_${kind}_check" "$log"
}

itest_ring3_programs_qemu() { ring3_boot programs qemu; }
itest_ring3_programs_bochs() { ring3_boot programs bochs; }
itest_ring3_faults_qemu() { ring3_boot faults qemu; }
itest_ring3_faults_bochs() { ring3_boot faults bochs; }
