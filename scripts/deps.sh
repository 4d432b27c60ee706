#!/bin/sh
# Install every Debian package that building, running and testing tern needs.
# Idempotent: packages already present are skipped, so `make` can call this on
# every run at almost no cost. Nothing is fetched from outside Debian.
set -eu

PACKAGES="
gcc libc6-dev binutils make
grub-pc-bin grub-common xorriso mtools
qemu-system-x86
bochs bochs-term bochsbios vgabios
libcmocka-dev pkg-config
linux-libc-dev
newlib-source
"

missing=""
for p in $PACKAGES; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
