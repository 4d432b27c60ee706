# Boot tests (issue: foundation): tern boots from GRUB on both test platforms,
# reports CPUs and memory that match what the emulator was given, and a
# deliberate fault in the core prints a register dump and ends the run.

itest_boot_qemu_svm() {
	local log=$LOGDIR/boot_qemu_svm.log iso rc=0
	iso=$(make_iso boot "poweroff") || return 1
	run_qemu "$log" 60 "$iso" -smp 2 -m 512 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^tern [0-9]+\.[0-9]+" &&
	expect "$log" "^cpu: AuthenticAMD virt=svm( |$).*npt" &&
	expect "$log" "^cpus: 2 online$" &&
	mib_between "$log" 500 512 &&
	expect_not "$log" "^(FAULT|error|panic)"
}

itest_boot_bochs_vmx() {
	local log=$LOGDIR/boot_bochs_vmx.log iso rc=0
	iso=$(make_iso boot "poweroff") || return 1
	run_bochs "$log" 240 "$iso" 2 256 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^tern [0-9]+\.[0-9]+" &&
	expect "$log" "^cpu: GenuineIntel virt=vmx( |$).*ept" &&
	expect "$log" "^cpus: 2 online$" &&
	mib_between "$log" 250 256 &&
	expect_not "$log" "^(FAULT|error|panic)"
}

# Not one of the two reference configurations: four CPUs and 1 GiB.
itest_boot_qemu_smp4_1g() {
	local log=$LOGDIR/boot_qemu_smp4_1g.log iso rc=0
	iso=$(make_iso boot "poweroff") || return 1
	run_qemu "$log" 90 "$iso" -smp 4 -m 1024 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^cpus: 4 online$" &&
	mib_between "$log" 1000 1024
}

# Command-line options: smp= limits the CPUs, an unknown option is only a warning.
itest_cmdline_qemu() {
	local log=$LOGDIR/cmdline_qemu.log iso rc=0
	iso=$(make_iso cmdline "poweroff smp=1 frobnicate=7 loglevel=3") || return 1
	run_qemu "$log" 60 "$iso" -smp 2 -m 256 || rc=$?
	expect_ended "$rc" "$log" &&
	expect "$log" "^warning: .*frobnicate" &&
	expect "$log" "^cpus: 1 online$"
}

# A deliberate fault in the core: the dump has the vector, error code, RIP,
# CR2, registers and a backtrace, and panic=poweroff ends the run.
check_fault_dump() {
	local log=$1 pattern=$2
	expect "$log" "^crashtest: triggering" &&
	expect "$log" "^FAULT: $pattern" &&
	expect "$log" "RIP" &&
	expect "$log" "CR2" &&
	expect "$log" "RAX" &&
	expect "$log" "R15" &&
	expect "$log" "^backtrace:"
}

itest_fault_qemu_pf() {
	local log=$LOGDIR/fault_qemu_pf.log iso rc=0
	iso=$(make_iso fault_pf "crashtest=pf panic=poweroff") || return 1
	run_qemu "$log" 60 "$iso" -smp 2 -m 256 || rc=$?
	expect_ended "$rc" "$log" &&
	check_fault_dump "$log" "#PF .*vector 14"
}

itest_fault_bochs_ud() {
	local log=$LOGDIR/fault_bochs_ud.log iso rc=0
	iso=$(make_iso fault_ud "crashtest=ud panic=poweroff") || return 1
	run_bochs "$log" 240 "$iso" 1 128 || rc=$?
	expect_ended "$rc" "$log" &&
	check_fault_dump "$log" "#UD .*vector 6"
}
