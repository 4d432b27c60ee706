#!/bin/bash
# bench/tern/tern.sh LOGDIR: tern's side of the port-I/O exit benchmark, on
# the peer's emulated machine (QEMU TCG -cpu EPYC -m 512 -smp 1, DESIGN.md §4).
#  - kvm_pio (bench/kvm_pio built with tern-cc) as a device model the service
#    domain starts: /dev/kvm and the VM set-up through libkvm's ring to the
#    service domain, KVM_RUN straight to the core (TERN_SYS_VCPU_RUN);
#  - pio_raw (bench/tern/pio_raw.c) as module 0: the same guest loop on the
#    core's syscalls alone, the floor under kvm_pio.
# Each boots twice, as the peer does: plainly for the rate, with the icount
# plugin for instructions per round trip. Prints
#   pio exit, tern: R round trips/s, M instructions/round trip
#   pio exit, tern core alone: R round trips/s, M instructions/round trip
# and writes "PROGRAM RATE INSNS" lines to LOGDIR/result.
#   PIO_ITERATIONS=N (default 100000); PIO_RAW=no skips pio_raw;
#   PIO_PROFILE=yes boots each once more with profile=2 and prints where the
#   instructions of a round trip go (bench/profile.sh).
# Needs $BUILD/tern.elf, $BUILD/sd/sd.elf, $BUILD/bench/tern/{kvm_pio,pio_raw}
# and $BUILD/bench/icount.so (`make all sd bench-tools bench-tern`).
set -u
cd "$(dirname "$0")/../.." || exit 1
BUILD=${BUILD:-build}
logdir=${1:?usage: tern.sh LOGDIR}
n=${PIO_ITERATIONS:-100000}
. bench/icount.sh

mkdir -p "$logdir"
: >"$logdir/result"

# boot LOG ISO PROGRAM [QEMU ARGS...]: one boot; the console goes to LOG.
boot() {
	local log=$1 iso=$2 prog=$3
	shift 3
	timeout --foreground -k 5 600 qemu-system-x86_64 -accel tcg -cpu EPYC -m 512 -smp 1 \
		-display none -serial "file:$log" -monitor none -no-reboot \
		-device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom "$iso" "$@" \
		>"$log.qemu" 2>&1 </dev/null
	[ $? -eq 124 ] && echo "(timed out)" >>"$log"
	if ! grep -q "^$prog: result:" <(tr -d '\r' <"$log"); then
		echo "tern: no $prog result in $log:"
		tr -d '\r' <"$log" | grep -E "^$prog|^sd:|^process|panic|FAULT|(timed out)" |
			head -8 | sed 's/^/    /'
		return 1
	fi
}

# measure PROGRAM ISO LABEL SYMBOLS...: the two boots, the figures, the profile.
measure() {
	local prog=$1 iso=$2 label=$3 rate insns
	shift 3
	local rate_log=$logdir/$prog.rate.log count_log=$logdir/$prog.icount.log
	local plugin_log=$logdir/$prog.icount.plugin status=0

	rm -f "$plugin_log"
	boot "$rate_log" "$iso" "$prog" || return 1
	# shellcheck disable=SC2046
	boot "$count_log" "$iso" "$prog" $(icount_qemu_args "$plugin_log") || return 1
	icount_calibration_ok "$plugin_log" "$count_log" || status=1
	rate=$(pio_rate "$rate_log" "$prog")
	insns=$(pio_insns_per_round_trip "$plugin_log" "$n") || {
		echo "tern: no icount intervals in $plugin_log"; insns=-; status=1; }
	echo "pio exit, $label: $rate round trips/s, $insns instructions/round trip ($prog, N=$n)"
	echo "$prog $rate $insns" >>"$logdir/result"
	if [ "${PIO_PROFILE:-no}" = yes ]; then
		local prof=$logdir/$prog.profile.plugin
		rm -f "$prof"
		# shellcheck disable=SC2046
		boot "$logdir/$prog.profile.log" "$iso" "$prog" \
			$(ICOUNT_PLUGIN="$ICOUNT_PLUGIN,profile=2" icount_qemu_args "$prof") || return 1
		echo "  where a round trip's instructions go ($prog; per function, per round trip):"
		bench/profile.sh "$prof" 2 "$n" "$@" | sed 's/^/  /'
	fi
	return $status
}

status=0
iso=$logdir/kvm_pio.iso
scripts/mkiso.sh "$iso" "$BUILD/tern.elf" "panic=poweroff" \
	"$BUILD/sd/sd.elf=poweroff kvm_pio:timeout=600" "$BUILD/bench/tern/kvm_pio=$n" \
	>/dev/null || exit 1
# The guest's code (GPA 0x4000, identity-mapped) has no symbols.
measure kvm_pio "$iso" tern "$BUILD/tern.elf" "$BUILD/bench/tern/kvm_pio" 4000=guest || status=1

if [ "${PIO_RAW:-yes}" != no ]; then
	iso=$logdir/pio_raw.iso
	scripts/mkiso.sh "$iso" "$BUILD/tern.elf" "panic=poweroff" \
		"$BUILD/bench/tern/pio_raw=$n" >/dev/null || exit 1
	measure pio_raw "$iso" "tern core alone" "$BUILD/tern.elf" "$BUILD/bench/tern/pio_raw" \
		4000=guest || status=1
fi
exit $status
