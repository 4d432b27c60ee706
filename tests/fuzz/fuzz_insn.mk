# libFuzzer target for the MMIO instruction decoder (see tests/fuzz/fuzz.mk).
#   build/fuzz/fuzz_insn -max_total_time=60 build/fuzz/corpus_insn

FUZZ_INSN_SRCS := tests/fuzz/fuzz_insn.c emul/insn_decode.c emul/mmio_emul.c emul/insn_alu.c \
	hv/insn_len.c hv/pio_string.c

fuzz: $(BUILD)/fuzz/fuzz_insn

$(BUILD)/fuzz/fuzz_insn: $(FUZZ_INSN_SRCS) emul/insn_decode.h emul/mmio_emul.h emul/insn_alu.h
	@mkdir -p $(dir $@) $(BUILD)/fuzz/corpus_insn
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_INSN_SRCS)
	$(E) "  FUZZCC  $@"
