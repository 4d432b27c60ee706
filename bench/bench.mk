# Exit benchmarks: `make bench` boots tern with `bench poweroff` on QEMU (SVM)
# and Bochs (VMX) for the in-core exits, then runs the port-I/O exit benchmark
# (kvm_pio) on the Linux KVM peer, and prints tables. Figures, not tests.
.PHONY: bench bench-tools

BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

# The icount QEMU plugin (host shared object) and the kvm_pio client built
# statically for Linux; with tern's SDK the same client source builds for tern.
bench-tools: $(BUILD)/bench/icount.so $(BUILD)/bench/kvm_pio

$(BUILD)/bench/icount.so: bench/plugin/icount.c bench/plugin/qemu_plugin_api.h \
		bench/include/icount_mark.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -shared -fPIC -fvisibility=hidden -o $@ $<
	$(E) "  CC      $@"

$(BUILD)/bench/kvm_pio: bench/kvm_pio/client.c bench/kvm_pio/pio_vm.c bench/kvm_pio/pio_vm.h \
		bench/include/icount_mark.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_CFLAGS) -static -o $@ bench/kvm_pio/client.c bench/kvm_pio/pio_vm.c
	$(E) "  CC      $@"

bench: deps all bench-tools
	@bench/run.sh
