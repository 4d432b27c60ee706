#!/bin/bash
# bench/linux/peer.sh LOGDIR: the Linux KVM peer of the port-I/O exit
# benchmark (DESIGN.md §4, §5). Boots Debian's cloud kernel under QEMU TCG
# -cpu EPYC with irqbypass/kvm/kvm-amd and the static kvm_pio client in an
# initramfs, twice: once plain for the wall-clock rate, once with the icount
# plugin for instructions per round trip (the plugin slows QEMU down, so the
# rate of that run is not used). Prints
#   pio exit, Linux KVM: R round trips/s, M instructions/round trip
# and writes "kvm_pio R M" to LOGDIR/result.
# Needs $BUILD/bench/kvm_pio and $BUILD/bench/icount.so (`make bench-tools`).
#   PIO_ITERATIONS=N sets the loop length (default 100000).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
logdir=${1:?usage: peer.sh LOGDIR}
n=${PIO_ITERATIONS:-100000}
parts=$BUILD/bench/linux
. bench/icount.sh

mkdir -p "$logdir"
bench/linux/fetch.sh "$parts" >"$logdir/fetch.log" 2>&1 || {
	echo "peer: fetching the kernel failed:"; sed 's/^/    /' "$logdir/fetch.log"; exit 1; }
initrd=$logdir/initramfs.gz
bench/linux/mkinitramfs.sh "$initrd" "$parts" "$BUILD/bench/kvm_pio" || exit 1

# boot LOG [QEMU ARGS...]: one boot of the peer; its console goes to LOG.
boot() {
	local log=$1
	shift
	timeout --foreground -k 5 600 qemu-system-x86_64 -accel tcg -cpu EPYC -m 512 -smp 1 \
		-kernel "$parts/vmlinuz" -initrd "$initrd" \
		-append "console=ttyS0 quiet panic=-1 kvm_pio.n=$n" \
		-display none -serial "file:$log" -monitor none -no-reboot "$@" \
		>"$log.qemu" 2>&1 </dev/null
	[ $? -eq 124 ] && echo "(timed out)" >>"$log"
	if ! grep -q "^kvm_pio: result:" <(tr -d '\r' <"$log"); then
		echo "peer: no kvm_pio result in $log:"
		tr -d '\r' <"$log" | grep -E "kvm_pio|peer|Kernel panic|(timed out)" | head -5 |
			sed 's/^/    /'
		return 1
	fi
}

rate_log=$logdir/rate.log
count_log=$logdir/icount.log
plugin_log=$logdir/icount.plugin
rm -f "$plugin_log"
boot "$rate_log" || exit 1
# shellcheck disable=SC2046
boot "$count_log" $(icount_qemu_args "$plugin_log") || exit 1

status=0
icount_calibration_ok "$plugin_log" "$count_log" || status=1
rate=$(pio_rate "$rate_log")
insns=$(pio_insns_per_round_trip "$plugin_log" "$n") || {
	echo "peer: no icount intervals in $plugin_log"; insns=-; status=1; }
echo "pio exit, Linux KVM: $rate round trips/s, $insns instructions/round trip" \
	"($(cat "$parts/kernel.txt"), N=$n)"
# For bench/run.sh's ratios: "PROGRAM RATE INSNS".
echo "kvm_pio ${rate:--} $insns" >"$logdir/result"
exit $status
