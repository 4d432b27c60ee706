# Helpers for the ring-3 integration tests (ring3_*.test.sh): build the
# service domain and the test programs, make ISOs with the service domain as
# module 0, and check its "process NAME exited STATUS" lines.

# Parallel tests: one build at a time.
ring3_build() {
	mkdir -p "$BUILD"
	flock "$BUILD/.ring3.lock" make -s BUILD="$BUILD" sd ring3 >/dev/null
}

# ring3_iso NAME "SD CONFIG" MODULE[=ARGS]... -> the ISO path. The core
# powers off on a panic so a broken run ends at once.
ring3_iso() {
	local name=$1 config=$2
	shift 2
	make_iso "$name" "panic=poweroff" "$BUILD/sd/sd.elf=$config" "$@"
}

# ring3_alias NAME PROGRAM: the program under another module name (the
# service domain names processes after their modules).
ring3_alias() {
	local dir=$BUILD/test-iso/ring3
	mkdir -p "$dir"
	ln -sf "$(realpath "$BUILD/ring3/$2")" "$dir/$1"
	echo "$dir/$1"
}

# ring3_exited LOG NAME STATUS: the service domain reported STATUS for NAME;
# otherwise prints what it reported and the program's FAIL lines.
ring3_exited() {
	local log=$1 name=$2 want=$3 got
	got=$(tr -d '\r' <"$log" | sed -n "s/^process $name exited //p" | tail -1)
	[ "$got" = "$want" ] && return 0
	echo "$name: exit status '${got:-none}', want '$want' ($log)"
	tr -d '\r' <"$log" | grep -E "^$name: FAIL|^sd: .*$name" | head -8 | sed 's/^/    /'
	return 1
}

# ring3_no_panic LOG: the core neither panicked nor dumped a fault.
ring3_no_panic() {
	expect_not "$1" "(^|: )panic: |^FAULT: "
}
