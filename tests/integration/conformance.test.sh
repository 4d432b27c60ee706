# The KVM conformance suite (tests/conformance/) on tern: the programs built
# with the SDK run one after another as device-model processes of the service
# domain, on QEMU (SVM, 2 CPUs) and Bochs (VMX, 2 CPUs). Every program must
# print "conformance NAME: N passed, 0 failed" and exit with status 0, the
# same verdict it gets on Linux KVM (make test-conformance-linux).
# `make test-conformance` runs just these two tests.
. tests/integration/ring3_lib.sh

CONF_NAMES=$(cd tests/conformance && ls -- *.c | sed 's/\.c$//' | sort | tr '\n' ' ')

# conformance_build: the core, the service domain and the SDK builds of the
# programs. The ring-3 tests share the lock (one build at a time), and
# kvmcore.test.sh's SDK lock is taken inside it so two tests never run
# `make sdk` at once.
conformance_build() {
	local log=$BUILD/conformance-build.log
	mkdir -p "$BUILD"
	flock "$BUILD/.ring3.lock" flock "$BUILD/.sdk-test.lock" \
		make -s BUILD="$BUILD" all sd conformance-sdk "$@" >"$log" 2>&1 || {
		echo "building the conformance programs failed:"
		tail -20 "$log" | sed 's/^/    /'
		return 1
	}
}

# conformance_iso NAME PROGRAM_TIMEOUT: every program as a module, run in
# name order, each killed after PROGRAM_TIMEOUT seconds of tern's clock.
conformance_iso() {
	local name=$1 secs=$2 mods=() p
	for p in $CONF_NAMES; do
		mods+=("$BUILD/conformance/tern/$p")
	done
	ring3_iso "$name" "poweroff sequential timeout=$secs $CONF_NAMES" "${mods[@]}"
}

# conformance_result LOG NAME: the program's summary says 0 failed and it
# exited with 0; otherwise prints what it got and its failing checks.
conformance_result() {
	local log=$1 name=$2 summary rc=0
	summary=$(tr -d '\r' <"$log" | grep -E "^conformance $name: [0-9]+ passed, [0-9]+ failed$" |
		tail -1)
	case $summary in
	*", 0 failed") ;;
	"") echo "conformance $name: no summary line (it did not finish)"; rc=1 ;;
	*) echo "$summary"; rc=1 ;;
	esac
	ring3_exited "$log" "$name" 0 >/dev/null || {
		echo "conformance $name: $(tr -d '\r' <"$log" |
			sed -n "s/^process $name exited /exited /p" | tail -1)"
		[ -n "$(tr -d '\r' <"$log" | sed -n "/^process $name exited /p")" ] ||
			echo "conformance $name: no exit line"
		rc=1
	}
	if [ $rc -ne 0 ]; then
		tr -d '\r' <"$log" | grep -E "^FAIL $name: |^sd: .*\b$name\b" | head -20 |
			sed 's/^/    /'
	fi
	return $rc
}

# conformance_check LOG: every program passed; the core neither panicked nor
# faulted.
conformance_check() {
	local log=$1 rc=0 p
	for p in $CONF_NAMES; do
		conformance_result "$log" "$p" || rc=1
	done
	ring3_no_panic "$log" || rc=1
	[ $rc -eq 0 ] && echo "conformance: $(echo $CONF_NAMES | wc -w) programs passed ($log)"
	return $rc
}

# conformance_run EMULATOR: Bochs's clock runs by its instruction count
# (clock: sync=none, ips=4000000, about 12x faster than real time at ~50M
# instructions/s), so its per-program timeout is in seconds of that clock.
conformance_run() {
	local emu=$1 log=$LOGDIR/conformance_$1.log iso rc=0
	conformance_build || return 1
	if [ "$emu" = qemu ]; then
		iso=$(conformance_iso "conformance_qemu" 30) || return 1
		run_qemu "$log" 240 "$iso" -smp 2 -m 512 || rc=$?
	else
		iso=$(conformance_iso "conformance_bochs" 300) || return 1
		run_bochs "$log" 300 "$iso" 2 256 || rc=$?
	fi
	conformance_check "$log" || return 1
	expect_ended "$rc" "$log"
}

itest_conformance_qemu() {
	conformance_run qemu
}

itest_conformance_bochs() {
	conformance_run bochs
}
