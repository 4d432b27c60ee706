# The KVM conformance suite (tests/conformance/README.md): programs written
# only against <linux/kvm.h> and POSIX, built twice from the same sources:
#
#   make conformance-linux       build/conformance/linux/NAME   (host gcc -static)
#   make conformance-sdk         build/conformance/tern/NAME    (tern's SDK, tern-cc)
#   make test-conformance-linux  runs the Linux build on the Linux KVM peer
#                                (Debian's kernel with kvm-amd under QEMU TCG -cpu EPYC)
#   make test-conformance        runs the SDK build on tern, QEMU (SVM) and Bochs (VMX):
#                                tests/integration/conformance.test.sh, also part of make test
.PHONY: conformance-linux conformance-sdk test-conformance-linux test-conformance

CONF_DIR      := tests/conformance
CONF_PROGS    := $(basename $(notdir $(wildcard $(CONF_DIR)/*.c)))
CONF_LIB      := $(wildcard $(CONF_DIR)/lib/*.c)
CONF_HDRS     := $(wildcard $(CONF_DIR)/lib/*.h)
CONF_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror
CONF_LINUX    := $(patsubst %,$(BUILD)/conformance/linux/%,$(CONF_PROGS))
CONF_TERN     := $(patsubst %,$(BUILD)/conformance/tern/%,$(CONF_PROGS))

conformance-linux: $(CONF_LINUX)
conformance-sdk: $(CONF_TERN)

$(BUILD)/conformance/linux/%: $(CONF_DIR)/%.c $(CONF_LIB) $(CONF_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CONF_CFLAGS) -static -pthread -o $@ $< $(CONF_LIB)
	$(E) "  CC      $@"

$(BUILD)/conformance/tern/%: $(CONF_DIR)/%.c $(CONF_LIB) $(CONF_HDRS) $(BUILD)/sdk/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/sdk/bin/tern-cc $(CONF_CFLAGS) -o $@ $< $(CONF_LIB) -lpthread
	$(E) "  TERN-CC $@"

test-conformance-linux: conformance-linux
	@$(CONF_DIR)/linux.sh $(BUILD)/conformance/linux-run $(CONF_LINUX)

test-conformance: all sd conformance-sdk
	@BUILD=$(BUILD) tests/run.sh conformance

# The KVM ABI's random-ioctl fuzzer (tests/kvmfuzz/, a device model built with
# tern-cc; run by tests/integration/kvmfuzz.test.sh).
.PHONY: kvmfuzz
KVMFUZZ_SRCS := $(wildcard tests/kvmfuzz/*.c)
KVMFUZZ      := $(BUILD)/kvmfuzz/kvmfuzz

kvmfuzz: $(KVMFUZZ)

$(KVMFUZZ): $(KVMFUZZ_SRCS) $(wildcard tests/kvmfuzz/*.h) $(BUILD)/sdk/.stamp
	@mkdir -p $(dir $@)
	$(Q)$(BUILD)/sdk/bin/tern-cc $(CONF_CFLAGS) -o $@ $(KVMFUZZ_SRCS) -lpthread
	$(Q)strip --strip-debug $@
	$(E) "  TERN-CC $@"
