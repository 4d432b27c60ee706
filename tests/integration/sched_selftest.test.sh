# Scheduler self test (issue: ring 3): selftest=sched runs kernel threads on
# every CPU (placement, priorities, preemption by a remote wake-up, round
# robin, timed blocking, wait-queue ping-pong across CPUs, thread_interrupt and
# thread_kill) and powers off after one summary line.

check_sched_selftest() {
	local log=$1 rc=$2
	expect_ended "$rc" "$log" &&
	expect "$log" "^sched: 2 cpus" &&
	expect "$log" "^selftest sched: PASS cpus=2 " &&
	expect_not "$log" "^(FAULT|error|panic|selftest sched: FAIL)"
}

itest_sched_selftest_qemu() {
	local log=$LOGDIR/sched_selftest_qemu.log iso rc=0
	iso=$(make_iso sched_selftest "selftest=sched panic=poweroff") || return 1
	run_qemu "$log" 90 "$iso" -smp 2 -m 256 || rc=$?
	check_sched_selftest "$log" "$rc"
}

itest_sched_selftest_bochs() {
	local log=$LOGDIR/sched_selftest_bochs.log iso rc=0
	iso=$(make_iso sched_selftest_bochs "selftest=sched panic=poweroff") || return 1
	run_bochs "$log" 300 "$iso" 2 128 || rc=$?
	check_sched_selftest "$log" "$rc"
}
