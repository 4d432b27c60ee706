# Ring-3 test programs (tests/ring3/*.c), each one static ELF built with the
# SDK's tern-cc and linked with the helpers in tests/ring3/lib/. The
# integration tests tests/integration/ring3_*.test.sh boot them as modules.
#
#   make ring3    build $(BUILD)/ring3/<name> for every tests/ring3/<name>.c

RING3_NAMES := $(basename $(notdir $(wildcard tests/ring3/*.c)))
RING3_BINS  := $(addprefix $(BUILD)/ring3/,$(RING3_NAMES))
RING3_LIB   := $(wildcard tests/ring3/lib/*.c)

.PHONY: ring3
ring3: $(RING3_BINS)

$(BUILD)/ring3/%: tests/ring3/%.c $(RING3_LIB) $(wildcard tests/ring3/lib/*.h) $(TERN_SDK)
	@mkdir -p $(dir $@)
	$(Q)$(TERN_CC) $(RING3_CFLAGS) -Itests/ring3 -o $@ $< $(RING3_LIB) -lpthread
	$(Q)strip --strip-debug $@
	$(E) "  TERNCC  $@"
