# tests for src/data: dataset format, validation, lock, leakage, CLI.
check_PROGRAMS += tests/check_dataset
TESTS += tests/check_dataset
tests_check_dataset_SOURCES = tests/check_dataset.c tests/check_dataset_util.h
tests_check_dataset_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_dataset_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_dataset_LDADD = $(TESTS_LINK_ADD)

EXTRA_DIST += \
	tests/data/dataset_support.json \
	tests/data/dataset_support_prompt.txt

check_PROGRAMS += tests/check_dataset_checks
TESTS += tests/check_dataset_checks
tests_check_dataset_checks_SOURCES = tests/check_dataset_checks.c tests/check_dataset_util.h
tests_check_dataset_checks_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_dataset_checks_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_dataset_checks_LDADD = $(TESTS_LINK_ADD)

check_PROGRAMS += tests/check_dataset_cli
TESTS += tests/check_dataset_cli
tests_check_dataset_cli_SOURCES = tests/check_dataset_cli.c tests/check_dataset_util.h
tests_check_dataset_cli_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_dataset_cli_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_dataset_cli_LDADD = $(TESTS_LINK_ADD)
