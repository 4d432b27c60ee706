#!/bin/bash
# bench/linux/fetch.sh DIR: puts the Linux KVM peer's parts into DIR, from
# Debian packages only (apt-get download, nothing installed on the host):
#   DIR/vmlinuz        Debian's cloud kernel (linux-image-*-cloud-amd64-unsigned)
#   DIR/modules/*.ko   irqbypass, kvm, kvm-amd from that package, uncompressed
#   DIR/busybox        from busybox-static
#   DIR/kernel.txt     the package the kernel came from
# KERNEL_PKG=NAME picks the kernel package; the default is the newest 6.1 cloud
# kernel, the series DESIGN.md §5 measured. Idempotent: a complete DIR is kept.
set -eu
dir=${1:?usage: fetch.sh DIR}
mods="irqbypass kvm kvm-amd"

complete() {
	[ -s "$dir/vmlinuz" ] && [ -x "$dir/busybox" ] || return 1
	for m in $mods; do [ -s "$dir/modules/$m.ko" ] || return 1; done
}
complete && exit 0

newest_kernel() {
	apt-cache pkgnames linux-image-6.1.0- | grep -- '-cloud-amd64-unsigned$' | sort -V | tail -1
}
pkg=${KERNEL_PKG:-$(newest_kernel)}
if [ -z "$pkg" ]; then
	# The package lists may never have been fetched on this machine.
	apt-get update -qq
	pkg=$(newest_kernel)
fi
[ -n "$pkg" ] || { echo "fetch: no linux-image-6.1.0-*-cloud-amd64-unsigned in apt" >&2; exit 1; }

mkdir -p "$dir/deb" "$dir/modules"
rm -rf "$dir/extract"
mkdir -p "$dir/extract"
echo "fetch: apt-get download $pkg busybox-static"
# apt's _apt user must be able to write into the download directory.
chmod 777 "$dir/deb"
(cd "$dir/deb" && rm -f ./*.deb && apt-get download -q "$pkg" busybox-static >/dev/null)
for deb in "$dir"/deb/*.deb; do
	dpkg-deb -x "$deb" "$dir/extract"
done

cp "$(ls "$dir"/extract/boot/vmlinuz-* | head -1)" "$dir/vmlinuz"
cp "$dir/extract/bin/busybox" "$dir/busybox"
for m in $mods; do
	f=$(find "$dir/extract/lib/modules" -name "$m.ko*" | head -1)
	[ -n "$f" ] || { echo "fetch: $m.ko not in $pkg" >&2; exit 1; }
	case $f in
	*.ko) cp "$f" "$dir/modules/$m.ko" ;;
	*.ko.xz) xz -dc "$f" >"$dir/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$f" >"$dir/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$f" >"$dir/modules/$m.ko" ;;
	*) echo "fetch: $f: unknown module compression" >&2; exit 1 ;;
	esac
done
echo "$pkg" >"$dir/kernel.txt"
rm -rf "$dir/extract" "$dir/deb"
complete
echo "fetch: $pkg ready in $dir"
