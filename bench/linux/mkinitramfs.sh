#!/bin/bash
# bench/linux/mkinitramfs.sh OUT PARTS CLIENT: the Linux KVM peer's initramfs
# (gzip'ed newc cpio): busybox, bench/linux/init as /init, the KVM modules from
# PARTS (see fetch.sh) and the static kvm_pio client. Written with busybox's
# own cpio, so the host needs no cpio package.
set -eu
out=${1:?usage: mkinitramfs.sh OUT PARTS CLIENT}
parts=$(realpath "${2:?}")
client=${3:?}
here=$(cd "$(dirname "$0")" && pwd)

root=$(mktemp -d)
chmod 755 "$root"
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,dev,proc,sys,lib/modules}
cp "$parts/busybox" "$root/bin/busybox"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
cp "$parts"/modules/*.ko "$root/lib/modules/"
cp "$client" "$root/bin/kvm_pio"
abs_out=$(realpath -m "$out")
(cd "$root" && find . | sort | "$parts/busybox" cpio -o -H newc -R 0:0 2>/dev/null) | gzip -1 >"$abs_out"
