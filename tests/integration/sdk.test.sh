# SDK tests (issue: ring 3, libc part), on the build host, no boot needed:
# `make sdk` builds newlib + libtern + tern-cc; tern-cc turns the samples in
# tests/sdk into static x86-64 ET_EXEC images linked with libtern's real locks
# and reentrancy; the single-threaded samples run under tests/sdk/ternemu,
# which answers tern's system calls on Linux through ptrace.

# sdk_build DIR: make sdk (newlib is cached in build/sysroot; the tests run in
# parallel, so one make at a time) and ternemu; the test's files go to DIR.
sdk_build() {
	SDK_OUT=$1
	mkdir -p "$SDK_OUT"
	flock "$BUILD/.sdk-test.lock" make -s sdk BUILD="$BUILD" >"$SDK_OUT/make.log" 2>&1 || {
		echo "make sdk failed:"; tail -20 "$SDK_OUT/make.log"; return 1; }
	gcc -O2 -Wall -Wextra -Werror -Iabi/include -o "$SDK_OUT/ternemu" tests/sdk/ternemu.c
}

# sdk_cc NAME: builds tests/sdk/NAME.c into $SDK_OUT/NAME.
sdk_cc() {
	"$BUILD/sdk/bin/tern-cc" -O2 -g -Wall -Wextra -Werror -o "$SDK_OUT/$1" "tests/sdk/$1.c" \
		-lpthread -lrt -lm || { echo "tern-cc failed on tests/sdk/$1.c"; return 1; }
}

# sdk_check_elf FILE: static ET_EXEC x86-64 at 0x400000, nothing dynamic.
sdk_check_elf() {
	local h l
	h=$(readelf -hW "$1") && l=$(readelf -lW "$1") || return 1
	grep -q 'Type:[[:space:]]*EXEC' <<<"$h" || { echo "$1: not ET_EXEC"; return 1; }
	grep -q 'Machine:[[:space:]]*Advanced Micro Devices X86-64' <<<"$h" ||
		{ echo "$1: not x86-64"; return 1; }
	grep -Eq '^ +(INTERP|DYNAMIC) ' <<<"$l" && { echo "$1: has INTERP/DYNAMIC"; return 1; }
	grep -Eq '^ +LOAD +0x0+ 0x0+400000 ' <<<"$l" || { echo "$1: first LOAD not at 0x400000"; return 1; }
	# libtern's locks, not newlib's placeholders (a 1-byte struct __lock).
	local size
	size=$(nm -S "$1" | awk '$4 == "__lock___malloc_recursive_mutex" { print $2 }')
	[ -n "$size" ] && [ $((16#$size)) -ge 16 ] || { echo "$1: newlib's placeholder locks linked (size ${size:-none})"; return 1; }
	nm "$1" | grep -q ' T tern_lowlock_acquire$' || { echo "$1: libtern locks missing"; return 1; }
}

itest_sdk_build_samples() {
	local n
	sdk_build "$BUILD/sdk-tests/build" || return 1
	for n in stdio_malloc threads mmap_eventfd_poll; do
		sdk_cc "$n" && sdk_check_elf "$SDK_OUT/$n" || return 1
	done
	# Compile-only modes, and an SDK moved elsewhere still finds itself.
	"$BUILD/sdk/bin/tern-cc" -c -o "$SDK_OUT/t.o" tests/sdk/threads.c || return 1
	"$BUILD/sdk/bin/tern-cc" -E tests/sdk/threads.c | grep -q pthread_create || return 1
	rm -rf "$SDK_OUT/moved" && cp -R "$BUILD/sdk" "$SDK_OUT/moved" || return 1
	"$SDK_OUT/moved/bin/tern-cc" -o "$SDK_OUT/moved.elf" tests/sdk/stdio_malloc.c || return 1
	sdk_check_elf "$SDK_OUT/moved.elf"
}

itest_sdk_ternemu_run() {
	local n out rc
	sdk_build "$BUILD/sdk-tests/run" || return 1
	for n in stdio_malloc mmap_eventfd_poll; do
		sdk_cc "$n" || return 1
		out=$SDK_OUT/$n.out
		rc=0
		timeout 60 "$SDK_OUT/ternemu" "$SDK_OUT/$n" arg1 >"$out" 2>&1 || rc=$?
		if [ "$rc" -ne 0 ] || ! grep -q '^PASS: 0 failures' "$out"; then
			echo "$n under ternemu: exit $rc"; sed 's/^/    /' "$out"; return 1
		fi
	done
	grep -q '^argc=2 argv\[0\]=.*stdio_malloc$' "$SDK_OUT/stdio_malloc.out" ||
		{ echo "argv not passed through crt0"; return 1; }
	# The exit status travels from main() through exit() and TERN_SYS_EXIT.
	printf '#include <stdio.h>\nint main(void) { printf("bye\\n"); return 3; }\n' \
		>"$SDK_OUT/exit3.c"
	"$BUILD/sdk/bin/tern-cc" -o "$SDK_OUT/exit3" "$SDK_OUT/exit3.c" || return 1
	rc=0
	out=$("$SDK_OUT/ternemu" "$SDK_OUT/exit3") || rc=$?
	[ "$rc" -eq 3 ] && [ "$out" = bye ] || { echo "exit3: status $rc, output '$out'"; return 1; }
}
