# bench/icount.sh: shell helpers around the icount plugin's log and the
# kvm_pio client's serial output, sourced by the benchmark scripts. The same
# helpers serve the Linux KVM peer and, once it has KVM_RUN, tern.

ICOUNT_PLUGIN=${ICOUNT_PLUGIN:-${BUILD:-build}/bench/icount.so}

# icount_qemu_args LOG: the QEMU arguments that load the plugin, log to LOG.
icount_qemu_args() {
	echo "-plugin file=$ICOUNT_PLUGIN -d plugin -D $1"
}

# icount_interval LOG TAG: instructions the plugin counted in interval TAG.
icount_interval() {
	sed -n "s/^icount: interval $2: \([0-9]*\) instructions$/\1/p" "$1" | head -1
}

# pio_rate SERIAL_LOG [PROGRAM]: kvm_pio's (or PROGRAM's: pio_raw prints the
# same lines) round trips per second.
pio_rate() {
	tr -d '\r' <"$1" |
		sed -n "s/^${2:-kvm_pio}: result: .*: \([0-9]*\) round trips\/s$/\1/p" | head -1
}

# pio_iterations SERIAL_LOG [PROGRAM]: the N of the measured run.
pio_iterations() {
	tr -d '\r' <"$1" | sed -n "s/^${2:-kvm_pio}: result: \([0-9]*\) round trips in.*/\1/p" |
		head -1
}

# pio_insns_per_round_trip PLUGIN_LOG N: (count(tag 2) - count(tag 1)) / (N - 1),
# the set-up and the HLT exit of both runs cancelling out.
pio_insns_per_round_trip() {
	local one many
	one=$(icount_interval "$1" 1)
	many=$(icount_interval "$1" 2)
	[ -n "$one" ] && [ -n "$many" ] && [ "$2" -gt 1 ] || return 1
	echo $(((many - one + (${2} - 1) / 2) / (${2} - 1)))
}

# icount_calibration_ok PLUGIN_LOG SERIAL_LOG: the calibration interval (tag 0)
# holds exactly the instructions kvm_pio says it does; prints both on failure.
icount_calibration_ok() {
	local got want
	got=$(icount_interval "$1" 0)
	want=$(tr -d '\r' <"$2" | sed -n 's/.*0 = calibration (\([0-9]*\) instructions).*/\1/p' | head -1)
	[ -n "$got" ] && [ "$got" = "$want" ] && return 0
	echo "icount calibration: counted ${got:-nothing}, expected ${want:-?}"
	return 1
}
