#!/bin/sh
# Build newlib for tern's ring 3 from Debian's newlib-source, with the host gcc and
# binutils, into build/sysroot. Cached: does nothing while build/sysroot/.stamp exists.
#
#   scripts/newlib.sh [BUILD_DIR]
#
# Only newlib itself is built (no libgloss): the system-call hooks (_write, _sbrk, ...)
# come from libtern. scripts/newlib-tern.patch makes the headers describe libtern:
# per-thread reentrancy through __getreent() and the POSIX options it implements.
set -eu

BUILD=${1:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
case "$BUILD" in /*) ;; *) BUILD="$ROOT/$BUILD" ;; esac
SYSROOT="$BUILD/sysroot"
SRC="$BUILD/newlib-src"
OBJ="$BUILD/newlib-obj"

[ -f "$SYSROOT/.stamp" ] && exit 0

# Two makes at once (tests, sdk) must not build into the same directories.
mkdir -p "$BUILD"
exec 9>"$BUILD/.newlib.lock"
flock 9
[ -f "$SYSROOT/.stamp" ] && exit 0

TARBALL=$(ls /usr/src/newlib/newlib-*.tar.* 2>/dev/null | head -n 1)
if [ -z "$TARBALL" ]; then
	echo "newlib: no source tarball in /usr/src/newlib (install newlib-source: make deps)" >&2
	exit 1
fi

echo "newlib: building $(basename "$TARBALL") into $SYSROOT (takes about a minute)"
rm -rf "$SRC" "$OBJ" "$SYSROOT"
mkdir -p "$SRC" "$OBJ"
# The tarball's top directory name varies between Debian versions.
tar -xf "$TARBALL" -C "$SRC" --strip-components=1
patch -s -d "$SRC" -p1 < "$ROOT/scripts/newlib-tern.patch"

# -UMISSING_SYSCALL_NAMES: the hooks are the underscored _write, _sbrk, ...
# -fno-pie: ring-3 programs are static ET_EXEC images at 0x400000.
TARGET_CFLAGS="-O2 -g -UMISSING_SYSCALL_NAMES -DSIGNAL_PROVIDED -fno-pie -fno-stack-protector \
-fno-omit-frame-pointer -ffunction-sections -fdata-sections"

cd "$OBJ"
"$SRC/configure" \
	--target=x86_64-elf --prefix="$SYSROOT" \
	--disable-multilib --disable-nls \
	--disable-newlib-supplied-syscalls \
	--enable-newlib-retargetable-locking \
	--enable-newlib-global-stdio-streams \
	--enable-newlib-io-long-long --enable-newlib-io-c99-formats \
	--enable-newlib-io-float --disable-newlib-nano-malloc \
	--disable-newlib-nano-formatted-io \
	CC_FOR_TARGET=gcc AR_FOR_TARGET=ar AS_FOR_TARGET=as LD_FOR_TARGET=ld \
	RANLIB_FOR_TARGET=ranlib NM_FOR_TARGET=nm OBJDUMP_FOR_TARGET=objdump \
	READELF_FOR_TARGET=readelf STRIP_FOR_TARGET=strip \
	CFLAGS_FOR_TARGET="$TARGET_CFLAGS" > "$OBJ/configure.log" 2>&1 ||
	{ echo "newlib: configure failed, see $OBJ/configure.log" >&2; exit 1; }

JOBS=$(nproc 2>/dev/null || echo 2)
make -j"$JOBS" all-target-newlib > "$OBJ/build.log" 2>&1 ||
	{ tail -n 30 "$OBJ/build.log" >&2; echo "newlib: build failed, see $OBJ/build.log" >&2; exit 1; }
make install-target-newlib > "$OBJ/install.log" 2>&1 ||
	{ tail -n 30 "$OBJ/install.log" >&2; echo "newlib: install failed" >&2; exit 1; }

# One flat sysroot: include/ and lib/ instead of x86_64-elf/{include,lib}.
mv "$SYSROOT/x86_64-elf/include" "$SYSROOT/include"
mv "$SYSROOT/x86_64-elf/lib" "$SYSROOT/lib"
rm -rf "$SYSROOT/x86_64-elf" "$SYSROOT/share"
rm -rf "$OBJ" "$SRC"
touch "$SYSROOT/.stamp"
echo "newlib: done"
