# Tests of `llmassert compare`, `calibrate` and `sample-for-review`: the
# statistics on seeded data, and the commands on runs of the fake provider.
check_PROGRAMS += tests/check_compare tests/check_calibrate
TESTS += tests/check_compare tests/check_calibrate

tests_check_compare_SOURCES = tests/check_compare.c tests/check_compare_util.h
tests_check_compare_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_compare_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_compare_LDADD = $(TESTS_LINK_ADD)

tests_check_calibrate_SOURCES = tests/check_calibrate.c tests/check_compare_util.h
tests_check_calibrate_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_calibrate_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_calibrate_LDADD = $(TESTS_LINK_ADD)
