# Integration-test library, sourced by tests/run.sh.
#
# A test is a shell function named itest_<name> in tests/integration/*.test.sh.
# It boots an ISO under QEMU or Bochs with the helpers below, checks the serial
# log and returns 0 (pass) or non-zero after printing why. Tests run two at a
# time (one per core); each boot has its own timeout.

ITEST_ISO_DIR=$BUILD/test-iso
ITEST_JOBS=${ITEST_JOBS:-2}

# make_iso NAME "CMDLINE" [MODULE[=ARGS]...] -> prints the ISO path
make_iso() {
	local name=$1 cmdline=$2
	shift 2
	mkdir -p "$ITEST_ISO_DIR"
	scripts/mkiso.sh "$ITEST_ISO_DIR/$name.iso" "$BUILD/tern.elf" "$cmdline" "$@" >/dev/null || return 1
	echo "$ITEST_ISO_DIR/$name.iso"
}

# sd_program_iso NAME SOURCE [ARGS]: builds SOURCE with tern-cc and makes it the
# service domain (module 0) of an ISO; prints the ISO path. NAME keeps parallel
# tests (one per emulator) in their own directories.
sd_program_iso() {
	local name=$1 src=$2 out=$BUILD/sd-program/$1
	mkdir -p "$out"
	flock "$BUILD/.sdk-test.lock" make -s sdk BUILD="$BUILD" >"$out/make.log" 2>&1 || {
		echo "make sdk failed:"; tail -20 "$out/make.log"; return 1; }
	"$BUILD/sdk/bin/tern-cc" -O2 -g -Wall -Wextra -Werror -o "$out/${name%%-*}_test" \
		"$src" -lpthread || { echo "tern-cc failed"; return 1; }
	make_iso "$name" "panic=poweroff" "$out/${name%%-*}_test${3:+=$3}"
}

# run_qemu LOG TIMEOUT ISO [QEMU ARGS...]: boots the ISO with the SVM test
# platform of DESIGN.md §4; the serial console goes to LOG. Returns 124 on timeout.
run_qemu() {
	local log=$1 secs=$2 iso=$3
	shift 3
	timeout --foreground -k 5 "$secs" qemu-system-x86_64 -accel tcg -cpu EPYC \
		-display none -serial "file:$log" -monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom "$iso" "$@" \
		>"$log.qemu" 2>&1 </dev/null
	local rc=$?
	[ "$rc" -eq 124 ] && echo "(timed out after ${secs}s)" >>"$log"
	return "$rc"
}

# run_bochs LOG TIMEOUT ISO CPUS MEGS [MODEL]: boots the ISO under Bochs (VMX).
# Returns 124 on timeout.
run_bochs() {
	local log=$1 secs=$2 iso=$3 cpus=$4 megs=$5 model=${6:-corei7_skylake_x}
	local rc=$log.bochsrc cmds=$log.cmds
	local abs_iso abs_log
	abs_iso=$(realpath -m "$iso")
	abs_log=$(realpath -m "$log")
	cat >"$rc" <<BOCHSRC
megs: $megs
cpu: model=$model, count=$cpus, ips=4000000, reset_on_triple_fault=0
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
display_library: rfb, options="timeout=0"
ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
ata0-slave: type=cdrom, path=$abs_iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$abs_log
clock: sync=none
sound: waveoutdrv=dummy, waveindrv=dummy, midioutdrv=dummy
speaker: enabled=0
log: $abs_log.bochs
panic: action=fatal
BOCHSRC
	printf 'c\nquit\n' >"$cmds"
	: >"$log"
	timeout --foreground -k 5 "$secs" bochs -q -f "$rc" -rc "$cmds" >"$log.stdout" 2>&1 </dev/null
	local status=$?
	[ "$status" -eq 124 ] && echo "(timed out after ${secs}s)" >>"$log"
	return "$status"
}

# expect LOG REGEX [WHAT]: the log has a line matching the extended regex.
expect() {
	if ! tr -d '\r' <"$1" | grep -Eq -- "$2"; then
		echo "no line matching /$2/ in $1${3:+ ($3)}"
		return 1
	fi
}

# expect_not LOG REGEX: no line matches.
expect_not() {
	if tr -d '\r' <"$1" | grep -Eq -- "$2"; then
		echo "unexpected line matching /$2/ in $1:"
		tr -d '\r' <"$1" | grep -E -- "$2" | head -3 | sed 's/^/    /'
		return 1
	fi
}

# expect_ended RC LOG: the emulator ended by itself (powered off), not by timeout.
expect_ended() {
	if [ "$1" -eq 124 ]; then
		echo "the run did not end by itself (timeout); log $2"
		return 1
	fi
}

# mib_between LOG MIN MAX: the "memory: T MiB total" line has MIN <= T <= MAX.
mib_between() {
	local total
	total=$(tr -d '\r' <"$1" | sed -n 's/^memory: \([0-9]*\) MiB total.*/\1/p' | head -1)
	if [ -z "$total" ] || [ "$total" -lt "$2" ] || [ "$total" -gt "$3" ]; then
		echo "memory total '${total:-none}' MiB not in [$2, $3] ($1)"
		return 1
	fi
}

integration_main() {
	local f t
	for f in tests/integration/*.test.sh; do
		# shellcheck source=/dev/null
		. "$f"
	done
	local all=() selected=()
	mapfile -t all < <(declare -F | awk '{print $3}' | grep '^itest_' | sed 's/^itest_//')
	for t in "${all[@]}"; do
		if [ $# -eq 0 ]; then
			selected+=("$t")
		else
			for f in "$@"; do
				[[ $t == *"$f"* ]] && { selected+=("$t"); break; }
			done
		fi
	done

	local resdir=$LOGDIR/results
	rm -rf "$resdir"
	mkdir -p "$resdir"
	for t in "${selected[@]}"; do
		while [ "$(jobs -rp | wc -l)" -ge "$ITEST_JOBS" ]; do
			wait -n
		done
		(
			local tstart=$SECONDS
			"itest_$t" >"$resdir/$t.out" 2>&1
			echo "$? $((SECONDS - tstart))" >"$resdir/$t.rc"
		) &
	done
	wait

	for t in "${selected[@]}"; do
		local rc secs
		read -r rc secs <"$resdir/$t.rc"
		if [ "$rc" -eq 0 ]; then
			record "$t (${secs}s)" 0
		else
			record "$t (${secs}s)" 1
			sed 's/^/      /' "$resdir/$t.out"
		fi
	done
}
