#!/bin/bash
# tests/conformance/linux.sh LOGDIR PROG...: runs the conformance programs
# (static Linux builds) on the Linux KVM peer: Debian's cloud kernel with
# irqbypass/kvm/kvm-amd under QEMU TCG -cpu EPYC (DESIGN.md §4), the programs
# in the initramfs, run one after another by tests/conformance/init.
# Prints every check line, one summary per program and a total; exits 0 only
# if every program ran, passed every check and exited with status 0.
# The kernel comes from bench/linux/fetch.sh (cached in $BUILD/bench/linux).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
logdir=${1:?usage: linux.sh LOGDIR PROG...}
shift
[ $# -gt 0 ] || { echo "usage: linux.sh LOGDIR PROG..." >&2; exit 2; }
parts=$(realpath -m "$BUILD/bench/linux")

mkdir -p "$logdir"
bench/linux/fetch.sh "$parts" >"$logdir/fetch.log" 2>&1 || {
	echo "conformance-linux: fetching the kernel failed:"
	sed 's/^/    /' "$logdir/fetch.log"
	exit 1
}

# The initramfs: busybox, our /init, the KVM modules and the programs.
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 755 "$root"
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules,conformance}
cp "$parts/busybox" "$root/bin/busybox"
cp tests/conformance/init "$root/init"
chmod 755 "$root/init"
cp "$parts"/modules/*.ko "$root/lib/modules/"
cp "$@" "$root/conformance/"
initrd=$(realpath -m "$logdir/initramfs.gz")
(cd "$root" && find . | sort | "$parts/busybox" cpio -o -H newc -R 0:0 2>/dev/null) |
	gzip -1 >"$initrd"

log=$logdir/console.log
timeout --foreground -k 5 ${CONF_TIMEOUT:-600} qemu-system-x86_64 -accel tcg -cpu EPYC -m 512 \
	-smp 2 -kernel "$parts/vmlinuz" -initrd "$initrd" \
	-append "console=ttyS0 quiet panic=-1" \
	-display none -serial "file:$log" -monitor none -no-reboot \
	>"$log.qemu" 2>&1 </dev/null
[ $? -eq 124 ] && echo "(timed out)" >>"$log"
tr -d '\r' <"$log" >"$log.txt"

status=0
grep -E '^(ok |FAIL )' "$log.txt"
echo "--- Linux KVM ($(cat "$parts/kernel.txt")):"
for prog in "$@"; do
	name=$(basename "$prog")
	summary=$(grep -E "^conformance $name: [0-9]+ passed, [0-9]+ failed$" "$log.txt" | tail -1)
	exit_line=$(grep -E "^conformance-linux: $name exited with status [0-9]+$" "$log.txt")
	if [ -z "$summary" ] || [ -z "$exit_line" ]; then
		echo "conformance $name: did not finish (see $log.txt)"
		status=1
		continue
	fi
	echo "$summary (${exit_line##*with })"
	case "$summary$exit_line" in
	*", 0 failed"*"status 0") ;;
	*) status=1 ;;
	esac
done
grep -q "^conformance-linux: done" "$log.txt" || {
	echo "conformance-linux: the run did not complete:"
	grep -E "conformance-linux|Kernel panic|timed out" "$log.txt" | tail -5 | sed 's/^/    /'
	status=1
}
[ $status -eq 0 ] && echo "conformance-linux: all passed" || echo "conformance-linux: FAILED"
exit $status
