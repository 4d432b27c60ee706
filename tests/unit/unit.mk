# Host unit tests: each tests/unit/test_NAME.c is one cmocka program, linked
# with the core sources its first line names ("/* unit-sources: a.c b.c */")
# and with host_support.c. Built with AddressSanitizer and UBSan; any report
# fails the test.

UNIT_CC     := gcc
UNIT_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Werror -Wno-format-zero-length \
	-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	-I. -DHV_HOST_TEST -DTERN_VERSION='"$(VERSION)"'
UNIT_LIBS   := -lcmocka

UNIT_TESTS  := $(patsubst tests/unit/%.c,$(BUILD)/unit/%,$(wildcard tests/unit/test_*.c))

unit_sources = $(shell sed -n '1s|^/\* unit-sources:\(.*\)\*/|\1|p' $(1))

# Second expansion lets each test depend on the sources its header line names.
.SECONDEXPANSION:
$(BUILD)/unit/test_%: tests/unit/test_%.c $$(call unit_sources,tests/unit/test_%.c) \
		tests/unit/host_support.c tests/unit/host_support.h
	@mkdir -p $(dir $@)
	$(Q)$(UNIT_CC) $(UNIT_CFLAGS) -o $@ $< $(call unit_sources,$<) tests/unit/host_support.c $(UNIT_LIBS)
	$(E) "  HOSTCC  $@"

unit-build: $(UNIT_TESTS)
