#!/bin/sh
# mkiso.sh OUT.iso TERN.ELF "CMDLINE" [MODULE[=CMDLINE]...]
# Builds a GRUB (BIOS, multiboot2) rescue ISO that boots tern at once with the
# given core command line and multiboot2 modules. The ISO is rebuilt only when
# its inputs change.
set -eu

out=$1; elf=$2; cmdline=$3
shift 3

stage=$(mktemp -d "${TMPDIR:-/tmp}/tern-iso.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/boot/grub"
cp "$elf" "$stage/boot/tern.elf"

cfg="$stage/boot/grub/grub.cfg"
{
	echo "set timeout=0"
	echo "set default=0"
	echo "serial --unit=0 --speed=115200"
	echo "terminal_input serial console"
	echo "terminal_output serial console"
	echo "menuentry \"tern\" {"
	echo "	multiboot2 /boot/tern.elf $cmdline"
	for m in "$@"; do
		file=${m%%=*}
		args=""
		[ "$file" != "$m" ] && args=${m#*=}
		name=$(basename "$file")
		cp "$file" "$stage/boot/$name"
		echo "	module2 /boot/$name $name $args"
	done
	echo "	boot"
	echo "}"
} > "$cfg"

# Skip the slow grub-mkrescue when the ISO's inputs are unchanged.
sum=$( (cat "$cfg"; find "$stage" -type f ! -name grub.cfg | sort | xargs cat) | md5sum | cut -d' ' -f1)
if [ -f "$out" ] && [ -f "$out.sum" ] && [ "$(cat "$out.sum")" = "$sum" ]; then
	exit 0
fi
mkdir -p "$(dirname "$out")"
grub-mkrescue -o "$out" "$stage" >"$stage.log" 2>&1 || { cat "$stage.log" >&2; rm -f "$stage.log"; exit 1; }
rm -f "$stage.log"
echo "$sum" > "$out.sum"
echo "  ISO     $out"
