#!/bin/bash
# bench/profile.sh PLUGIN_LOG TAG DIVISOR SYMBOLS...: instructions per function
# in interval TAG of an icount profile (the plugin's profile=TAG option),
# divided by DIVISOR (the round trips in the interval), biggest first.
# SYMBOLS are ELF files (their function symbols, from nm) and HEXADDR=NAME
# pairs for code without symbols (a guest's). An address belongs to the
# nearest symbol at or below it, so pass only the ELFs that were running:
# ring-3 programs all load near 0x400000 and would shadow each other.
#   PROFILE_TOP=N lines (default 40); an address below every symbol counts as
#   "(unknown)".
set -eu
log=${1:?usage: profile.sh PLUGIN_LOG TAG DIVISOR SYMBOLS...}
tag=${2:?tag}
div=${3:?divisor}
shift 3

# One stream, sorted by address: "ADDR 0 NAME" symbols before "ADDR 1 COUNT"
# samples at the same address. Addresses are 16 lower-case hex digits, so
# sorting them as text sorts them as numbers (awk's doubles cannot hold them).
{
	for s in "$@"; do
		case $s in
		*=*)
			printf '%016x 0 %s\n' "0x${s%%=*}" "${s#*=}" ;;
		*)
			nm --defined-only "$s" | awk -v f="$(basename "$s")" \
				'$2 ~ /^[tTwW]$/ { print $1, 0, f ":" $3 }' ;;
		esac
	done
	sed -n "s/^icount: profile $tag: \([0-9a-f]*\) \([0-9]*\)$/\1 1 \2/p" "$log"
} | LC_ALL=C sort -k1,1 -k2,2n | awk -v div="$div" -v top="${PROFILE_TOP:-40}" '
	$2 == 0 { fn = $3; next }
	{ n[fn == "" ? "(unknown)" : fn] += $3; total += $3 }
	END {
		if (total == 0) { print "profile: no samples"; exit 1 }
		for (f in n)
			printf "%12.1f %5.1f%%  %s\n", n[f] / div, 100 * n[f] / total, f | "sort -rn | head -" top
		close("sort -rn | head -" top)
		printf "%12.1f 100.0%%  total per round trip (%d instructions / %d)\n", total / div, total, div
	}'
