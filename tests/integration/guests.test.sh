# Test guests (issue: vcpu core): tern's test mode runs every guest of
# tests/guests/ in its own VM on both platforms; each must PASS and the
# summary must count them all. A module that is not a guest image is a FAIL
# with the reason, and the core goes on with the next one.

GUESTS_ALL="real pm32 pm32pg pae long64 switch triple mmio spin virtinsn"

# guests_report LOG GUEST...: prints one line per guest; 0 if all passed and
# the summary line agrees.
guests_report() {
	local log=$1 g line ok=0 bad=0 rc=0
	shift
	for g in "$@"; do
		g=$(basename "$g")
		line=$(tr -d '\r' <"$log" | grep -E "^guest $g: (PASS|FAIL)" | head -1)
		if [ "$line" = "guest $g: PASS" ]; then
			ok=$((ok + 1))
			echo "PASS  $g"
		else
			bad=$((bad + 1))
			if [ -n "$line" ]; then
				echo "FAIL  $g: ${line#guest $g: FAIL }"
			else
				echo "FAIL  $g: no result in $log"
			fi
			tr -d '\r' <"$log" | grep -E "^guest $g: " | grep -v "PASS$" | tail -4 | sed 's/^/      /'
			rc=1
		fi
	done
	if ! tr -d '\r' <"$log" | grep -Eq "^guests: $ok passed, $bad failed$"; then
		echo "summary line 'guests: $ok passed, $bad failed' missing in $log:"
		tr -d '\r' <"$log" | grep -E "^guests: [0-9]+ passed" | sed 's/^/      /'
		rc=1
	fi
	return $rc
}

# Tests run in parallel: one build of the guests at a time.
guests_build() {
	mkdir -p "$BUILD"
	flock "$BUILD/.guests.lock" make -s BUILD="$BUILD" guests >/dev/null
}

# guests_iso NAME GUEST... -> the ISO with these guests as modules
guests_iso() {
	local name=$1 g mods=()
	shift
	guests_build || return 1
	for g in "$@"; do
		mods+=("$BUILD/guests/$g")
	done
	make_iso "$name" "testguests poweroff panic=poweroff" "${mods[@]}"
}

itest_guests_qemu_svm() {
	local log=$LOGDIR/guests_qemu_svm.log iso rc=0
	iso=$(guests_iso guests_qemu $GUESTS_ALL) || return 1
	run_qemu "$log" 300 "$iso" -smp 2 -m 512 || rc=$?
	expect_ended "$rc" "$log" || return 1
	guests_report "$log" $GUESTS_ALL
}

itest_guests_bochs_vmx() {
	local log=$LOGDIR/guests_bochs_vmx.log iso rc=0
	iso=$(guests_iso guests_bochs $GUESTS_ALL) || return 1
	run_bochs "$log" 300 "$iso" 2 256 || rc=$?
	expect_ended "$rc" "$log" || return 1
	guests_report "$log" $GUESTS_ALL
}

# Untrusted modules: a text file and a truncated guest are FAILs with the
# reason; the good guest after them still runs and passes.
itest_guests_bad_header_qemu() {
	local log=$LOGDIR/guests_bad_header_qemu.log dir=$BUILD/test-iso/badguests iso rc=0
	guests_build || return 1
	mkdir -p "$dir"
	cp tests/guests/README.md "$dir/notaguest"
	head -c 40 "$BUILD/guests/real" >"$dir/truncated"
	iso=$(make_iso guests_bad "testguests poweroff panic=poweroff" \
		"$dir/notaguest" "$dir/truncated" "$BUILD/guests/real") || return 1
	run_qemu "$log" 120 "$iso" -smp 1 -m 256 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^guest notaguest: FAIL bad header: bad magic" &&
	expect "$log" "^guest truncated: FAIL bad header: image of 40 bytes" &&
	expect "$log" "^guest real: PASS$" &&
	expect "$log" "^guests: 1 passed, 2 failed$"
}
