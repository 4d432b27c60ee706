# Exit benchmarks: `make bench` boots tern with `bench poweroff` on QEMU (SVM)
# and Bochs (VMX) for the in-core exits, then runs the port-I/O exit benchmark
# (kvm_pio) on the Linux KVM peer, and prints tables. Figures, not tests.
.PHONY: bench bench-tools bench-tern

BENCH_CFLAGS := -std=gnu11 -O2 -Wall -Wextra -Werror

# The icount QEMU plugin (host shared object) and the kvm_pio client built
# statically for Linux; bench-tern: the same client source built with tern's
# SDK, and pio_raw (the core's round trip without libkvm, bench/tern/).
bench-tools: $(BUILD)/bench/icount.so $(BUILD)/bench/kvm_pio
bench-tern: $(BUILD)/bench/tern/kvm_pio $(BUILD)/bench/tern/pio_raw

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

# Symbols stay (bench/profile.sh reads them); debug information goes, as the
# core copies the whole image for every process it starts.
$(BUILD)/bench/tern/kvm_pio: bench/kvm_pio/client.c bench/kvm_pio/pio_vm.c bench/kvm_pio/pio_vm.h \
		bench/include/icount_mark.h $(BUILD)/sdk/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(TERN_CC) $(BENCH_CFLAGS) -o $@ bench/kvm_pio/client.c bench/kvm_pio/pio_vm.c
	$(E) "  TERNCC  $@"

$(BUILD)/bench/tern/pio_raw: bench/tern/pio_raw.c bench/include/icount_mark.h $(BUILD)/sdk/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(TERN_CC) $(BENCH_CFLAGS) -o $@ bench/tern/pio_raw.c
	$(E) "  TERNCC  $@"

bench: deps all sd bench-tools bench-tern
	@bench/run.sh
