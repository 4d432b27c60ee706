#!/bin/bash
# tests/guests/run.sh GUEST...: boots tern with `testguests` and the given
# guest images as multiboot2 modules on QEMU (SVM, -cpu EPYC) and Bochs (VMX,
# corei7_skylake_x), prints each guest's result per emulator and exits
# non-zero if any guest failed or did not report. Logs in build/test-guests/.
#   EMULATORS="qemu bochs" selects the emulators.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
LOGDIR=$BUILD/test-guests
mkdir -p "$LOGDIR"

[ $# -gt 0 ] || { echo "usage: $0 GUEST..." >&2; exit 2; }
iso=$LOGDIR/guests.iso
scripts/mkiso.sh "$iso" "$BUILD/tern.elf" "testguests poweroff panic=poweroff" "$@" || exit 1

# Runners and checks shared with the integration tests.
. tests/integration/lib.sh
. tests/integration/guests.test.sh

status=0
for emu in ${EMULATORS:-qemu bochs}; do
	log=$LOGDIR/$emu.log
	rc=0
	echo "== $emu"
	case $emu in
	qemu) run_qemu "$log" 300 "$iso" -smp 2 -m 512 || rc=$? ;;
	bochs) run_bochs "$log" 600 "$iso" 2 256 || rc=$? ;;
	*) echo "unknown emulator $emu"; status=1; continue ;;
	esac
	[ "$rc" -eq 124 ] && echo "$emu: timed out (log $log)"
	guests_report "$log" "$@" || status=1
done
exit $status
