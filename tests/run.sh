#!/bin/bash
# The test runner behind `make test`: host unit tests, then integration tests
# that boot tern under QEMU (SVM) and Bochs (VMX). Ends with "N passed, N failed"
# and exits non-zero if anything failed.
#
#   tests/run.sh            everything
#   tests/run.sh --unit     unit tests only
#   tests/run.sh NAME...    only the integration tests whose names contain NAME
set -u
cd "$(dirname "$0")/.."

BUILD=${BUILD:-build}
LOGDIR=$BUILD/test-logs
mkdir -p "$LOGDIR"

passed=0
failed=0
failures=()

record() {	# record NAME STATUS(0=pass) [DETAIL]
	if [ "$2" -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS  $1"
	else
		failed=$((failed + 1))
		failures+=("$1")
		echo "FAIL  $1${3:+: $3}"
	fi
}

run_unit_tests() {
	local t name out
	for t in "$BUILD"/unit/test_*; do
		[ -x "$t" ] || continue
		name=unit/$(basename "$t")
		out=$LOGDIR/$(basename "$t").log
		ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
			timeout 120 "$t" >"$out" 2>&1
		local rc=$?
		# One result per cmocka test case.
		local ok bad
		ok=$(grep -c '^\[       OK \]' "$out")
		bad=$(grep -c '^\[  FAILED  \] [a-z_]' "$out")
		[ "$rc" -ne 0 ] && [ "$bad" -eq 0 ] && bad=1	# crashed or sanitizer report
		passed=$((passed + ok))
		failed=$((failed + bad))
		if [ "$rc" -eq 0 ] && [ "$bad" -eq 0 ]; then
			echo "PASS  $name ($ok cases)"
		else
			failures+=("$name")
			echo "FAIL  $name (exit $rc; log $out)"
			sed 's/^/      /' "$out" | tail -20
		fi
	done
}

unit_only=0
filters=()
for a in "$@"; do
	case $a in
	--unit) unit_only=1 ;;
	*) filters+=("$a") ;;
	esac
done

start=$(date +%s)
if [ ${#filters[@]} -eq 0 ]; then
	echo "== unit tests"
	run_unit_tests
fi
if [ "$unit_only" -eq 0 ]; then
	echo "== integration tests"
	# shellcheck source=tests/integration/lib.sh
	. tests/integration/lib.sh
	integration_main "${filters[@]}"
fi

echo "== $(( $(date +%s) - start )) s"
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
