#!/bin/bash
# bench/run.sh: boots tern with `bench poweroff` on QEMU (SVM, -cpu EPYC) and
# Bochs (VMX, corei7_skylake_x) and tabulates the core's "bench:" lines:
# CPUID exits handled in the core through vcpu_run_loop versus the backend's
# bare VM entry/exit loop, measured in the same run. Benchmarks are not tests:
# the exit status only says whether the figures could be collected.
# Then the port-I/O exit benchmark (bench/kvm_pio, a KVM client) on the Linux
# KVM peer: bench/linux/peer.sh, figures from the icount plugin.
#   EMULATORS="qemu bochs" selects the emulators; PIO_PEER=no skips the peer.
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
for emu in ${EMULATORS:-qemu bochs}; do
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

printf '%-6s %14s %12s %14s %12s %8s\n' emulator "core exits/s" "cycles/exit" \
	"bare exits/s" "cycles/exit" "ratio"
printf '%s\n' "${rows[@]}"
echo "(ratio = core exits/s / bare exits/s for CPUID, same run; goal >= 0.90. Bochs: TSC cycles are emulated time)"

# Exits answered by the device model: the kvm_pio client's guest does `out` in
# a loop. tern's row joins when tern has KVM_RUN (same client, built with the SDK).
if [ "${PIO_PEER:-yes}" != no ]; then
	echo
	echo "port-I/O exit round trip, kvm_pio client, QEMU TCG -cpu EPYC" \
		"(instructions: icount plugin, every layer):"
	bench/linux/peer.sh "$LOGDIR/peer" || status=1
fi
exit $status
