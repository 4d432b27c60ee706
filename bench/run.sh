#!/bin/bash
# bench/run.sh: boots tern with `bench poweroff` on QEMU (SVM, -cpu EPYC) and
# Bochs (VMX, corei7_skylake_x) and tabulates the core's "bench:" lines:
# CPUID exits handled in the core through vcpu_run_loop versus the backend's
# bare VM entry/exit loop, measured in the same run. Benchmarks are not tests:
# the exit status only says whether the figures could be collected.
# Then the port-I/O exit benchmark (bench/kvm_pio, a KVM client) on the Linux
# KVM peer (bench/linux/peer.sh) and on tern (bench/tern/tern.sh), figures
# from the icount plugin, and their ratios.
#   EMULATORS="qemu bochs" selects the emulators (EMULATORS= none);
#   PIO_PEER=no skips the peer, PIO_TERN=no tern's rows (PIO_RAW=no,
#   PIO_PROFILE=yes: see bench/tern/tern.sh).
#   Logs in build/bench/.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
LOGDIR=$BUILD/bench
mkdir -p "$LOGDIR"
. tests/integration/lib.sh

iso=$LOGDIR/bench.iso
scripts/mkiso.sh "$iso" "$BUILD/tern.elf" "bench poweroff panic=poweroff" || exit 1

# field LOG WHAT KEY: the number before KEY on the "bench: WHAT:" line
field() {
	tr -d '\r' <"$1" | grep "^bench: $2" | head -1 | grep -o "[0-9]* $3" | cut -d' ' -f1
}

status=0
rows=()
for emu in ${EMULATORS-qemu bochs}; do
	log=$LOGDIR/$emu.log
	case $emu in
	qemu) run_qemu "$log" 120 "$iso" -smp 1 -m 256 ;;
	bochs) run_bochs "$log" 300 "$iso" 1 128 ;;
	esac
	core_s=$(field "$log" "cpuid handled in the core" "exits/s")
	core_c=$(field "$log" "cpuid handled in the core" "cycles/exit")
	bare_s=$(field "$log" "bare round trip" "exits/s")
	bare_c=$(field "$log" "bare round trip" "cycles/exit")
	ratio=$(tr -d '\r' <"$log" | sed -n 's/^bench: core\/bare ratio: \([0-9.]*\).*/\1/p' | head -1)
	if [ -z "$core_s" ]; then
		echo "$emu: no bench figures in $log:"
		tr -d '\r' <"$log" | grep -E "^(bench|error|panic|FAIL)" | head -5 | sed 's/^/    /'
		status=1
	fi
	rows+=("$(printf '%-6s %14s %12s %14s %12s %8s' "$emu" "${core_s:--}" "${core_c:--}" \
		"${bare_s:--}" "${bare_c:--}" "${ratio:--}")")
done

if [ ${#rows[@]} -gt 0 ]; then
	printf '%-6s %14s %12s %14s %12s %8s\n' emulator "core exits/s" "cycles/exit" \
		"bare exits/s" "cycles/exit" "ratio"
	printf '%s\n' "${rows[@]}"
	echo "(ratio = core exits/s / bare exits/s for CPUID, same run; goal >= 0.90." \
		"Bochs: TSC cycles are emulated time)"
fi

# Exits answered by the device model: the kvm_pio client's guest does `out` in
# a loop; the same source built for Linux (the peer) and with tern's SDK.
# result_field FILE PROGRAM COLUMN: RATE (2) or INSNS (3) of PROGRAM's line.
result_field() {
	[ -f "$1" ] && awk -v p="$2" -v c="$3" '$1 == p { print $c }' "$1" | head -1
}

# ratio A B: A / B with two decimals, or - when either is missing.
ratio() {
	[[ $1 =~ ^[0-9]+$ && $2 =~ ^[0-9]+$ && $2 -gt 0 ]] || { echo -; return; }
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'
}

if [ "${PIO_PEER:-yes}" != no ] || [ "${PIO_TERN:-yes}" != no ]; then
	echo
	echo "port-I/O exit round trip, kvm_pio client, QEMU TCG -cpu EPYC -smp 1" \
		"(instructions: icount plugin, every layer):"
	rm -f "$LOGDIR/peer/result" "$LOGDIR/tern/result"
	if [ "${PIO_PEER:-yes}" != no ]; then
		bench/linux/peer.sh "$LOGDIR/peer" || status=1
	fi
	if [ "${PIO_TERN:-yes}" != no ]; then
		bench/tern/tern.sh "$LOGDIR/tern" || status=1
	fi
	l_rate=$(result_field "$LOGDIR/peer/result" kvm_pio 2)
	l_insns=$(result_field "$LOGDIR/peer/result" kvm_pio 3)
	echo
	printf '%-28s %14s %20s\n' "" "round trips/s" "instructions/trip"
	printf '%-28s %14s %20s\n' "Linux KVM (kvm_pio)" "${l_rate:--}" "${l_insns:--}"
	for p in kvm_pio pio_raw; do
		t_rate=$(result_field "$LOGDIR/tern/result" $p 2)
		t_insns=$(result_field "$LOGDIR/tern/result" $p 3)
		[ -n "$t_rate$t_insns" ] || continue
		case $p in
		kvm_pio) name="tern (kvm_pio)" ;;
		*) name="tern core alone (pio_raw)" ;;
		esac
		printf '%-28s %14s %20s\n' "$name" "${t_rate:--}" "${t_insns:--}"
		printf '%-28s %14s %20s\n' "  ratio to Linux KVM" "$(ratio "$t_rate" "$l_rate")" \
			"$(ratio "$t_insns" "$l_insns")"
	done
	echo "(goals, DESIGN.md §5: tern/Linux instructions per round trip <= 0.33 (1/3)," \
		"round trips/s >= 1.6; rates are wall-clock on a shared host)"
fi
exit $status
