# Fuzz targets for the parsers of untrusted bytes, built with Debian's clang
# and libFuzzer. `make fuzz` only builds them; `make test` does not run them
# (a fuzzing run has no natural end). Run e.g.
#   build/fuzz/fuzz_elf -max_total_time=60 build/fuzz/corpus_elf

FUZZ_CC     := clang
FUZZ_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-I. -DHV_HOST_TEST

.PHONY: fuzz
fuzz: $(BUILD)/fuzz/fuzz_elf

$(BUILD)/fuzz/fuzz_elf: tests/fuzz/fuzz_elf.c hv/elf.c hv/elf.h hv/elf64.h
	@mkdir -p $(dir $@) $(BUILD)/fuzz/corpus_elf
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ tests/fuzz/fuzz_elf.c hv/elf.c
	$(E) "  FUZZCC  $@"
