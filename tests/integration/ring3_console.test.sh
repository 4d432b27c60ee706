# Console input and bad service-domain configurations (QEMU).
. tests/integration/ring3_lib.sh

# A line piped into QEMU's stdin (through scripts/tern-run) reaches a program
# blocked in read(0) on the console, once it said it is ready.
itest_ring3_console_input_qemu() {
	local log=$LOGDIR/ring3_console_input_qemu.log dir=$BUILD/test-iso/ring3 rc=0 writer
	ring3_build || return 1
	mkdir -p "$dir"
	rm -f "$dir/console.fifo"
	mkfifo "$dir/console.fifo"
	: >"$log"
	(
		exec 3>"$dir/console.fifo"
		for _ in $(seq 600); do
			grep -q "^echo: ready" "$log" && break
			sleep 0.1
		done
		printf 'hello tern\n' >&3
		sleep 30
	) &
	writer=$!
	scripts/tern-run --timeout 60 "$BUILD/ring3/echo" <"$dir/console.fifo" >"$log" 2>&1 || rc=$?
	kill "$writer" 2>/dev/null
	wait "$writer" 2>/dev/null
	rm -f "$dir/console.fifo"
	expect "$log" "^echo: got 'hello tern'$" || return 1
	[ "$rc" -eq 0 ] || { echo "tern-run exited $rc, want 0 ($log)"; return 1; }
}

# Every error in the configuration is reported, nothing is started, and
# "poweroff" still ends the run.
itest_ring3_bad_config_qemu() {
	local log=$LOGDIR/ring3_bad_config_qemu.log iso rc=0
	ring3_build || return 1
	# (grub.cfg needs '#' quoted: it starts a comment there.)
	iso=$(ring3_iso ring3_bad_config "poweroff nosuch hello:frob '#x' count=3 hello:repeat=0" \
		"$BUILD/ring3/hello") || return 1
	run_qemu "$log" 60 "$iso" -smp 2 -m 256 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^sd: config: hello: unknown flag 'frob'$" &&
	expect "$log" "^sd: config: unknown option 'count=3'$" &&
	expect "$log" "^sd: config: hello: repeat=0 is not a count" &&
	expect "$log" "^sd: config: #x: '#' must be followed by a module number" &&
	expect "$log" "^sd: usage: " &&
	expect_not "$log" "^process " &&
	ring3_no_panic "$log" || return 1
	# Names are checked against the modules once the syntax is right.
	iso=$(ring3_iso ring3_bad_names "poweroff hello nosuch '#9'" "$BUILD/ring3/hello") || return 1
	run_qemu "$log" 60 "$iso" -smp 2 -m 256 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^sd: config: nosuch: no boot module of that name$" &&
	expect "$log" "^sd: config: #9: there is no boot module 9" &&
	expect_not "$log" "^process "
}
