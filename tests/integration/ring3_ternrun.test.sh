# scripts/tern-run: a plain C program (stdio, stdlib, pthreads, mmap) runs on
# QEMU and on Bochs, its output appears and its exit status is tern-run's;
# a program the core kills gives 128+signal; bad invocations give 125.
. tests/integration/ring3_lib.sh

itest_ring3_ternrun_qemu() {
	local log=$LOGDIR/ring3_ternrun_qemu.log rc=0
	ring3_build || return 1
	scripts/tern-run "$BUILD/ring3/hello" 7 one two >"$log" 2>&1 || rc=$?
	[ "$rc" -eq 7 ] || { echo "tern-run hello 7: exit $rc, want 7 ($log)"; return 1; }
	expect "$log" "^hello from hello on tern: one two$" &&
	expect "$log" "^hello: two threads summed 0..99999 to 4999950000$" &&
	expect "$log" "^hello: mmap works, malloc works" || return 1

	rc=0
	scripts/tern-run --cpus 1 --mem 128 "$BUILD/ring3/fault" null >"$log.fault" 2>&1 || rc=$?
	[ "$rc" -eq 139 ] || { echo "tern-run fault null: exit $rc, want 139 ($log.fault)"; return 1; }

	rc=0
	scripts/tern-run tests/ring3/hello.c >"$log.bad" 2>&1 || rc=$?
	[ "$rc" -eq 125 ] || { echo "tern-run on a C file: exit $rc, want 125"; return 1; }
	rc=0
	scripts/tern-run "$BUILD/ring3/hello" "two words" >>"$log.bad" 2>&1 || rc=$?
	[ "$rc" -eq 125 ] || { echo "tern-run with a blank in an argument: exit $rc, want 125"; return 1; }
	rc=0
	scripts/tern-run --cpus x "$BUILD/ring3/hello" >>"$log.bad" 2>&1 || rc=$?
	[ "$rc" -eq 125 ] || { echo "tern-run --cpus x: exit $rc, want 125"; return 1; }
}

itest_ring3_ternrun_bochs() {
	local log=$LOGDIR/ring3_ternrun_bochs.log rc=0
	ring3_build || return 1
	scripts/tern-run --bochs --cpus 2 --mem 256 --timeout 200 "$BUILD/ring3/hello" 3 bochs \
		>"$log" 2>&1 || rc=$?
	[ "$rc" -eq 3 ] || { echo "tern-run --bochs hello 3: exit $rc, want 3 ($log)"; return 1; }
	expect "$log" "^hello from hello on tern: bochs$"
}
