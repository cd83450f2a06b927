# Tests of the runner (src/run) and its commands: suite files, the worker
# pool against the fake provider, stops and resumes, shards and merges,
# history, and `llmassert run/merge/history` as processes (signals, exit
# statuses).
check_PROGRAMS += tests/check_run_suite tests/check_run tests/check_run_cli
TESTS += tests/check_run_suite tests/check_run tests/check_run_cli

tests_check_run_suite_SOURCES = tests/check_run_suite.c
tests_check_run_suite_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_run_suite_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_run_suite_LDADD = $(TESTS_LINK_ADD)

tests_check_run_SOURCES = tests/check_run.c tests/check_run_util.h
tests_check_run_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_run_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_run_LDADD = $(TESTS_LINK_ADD)

tests_check_run_cli_SOURCES = tests/check_run_cli.c tests/check_run_util.h
tests_check_run_cli_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_run_cli_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_run_cli_LDADD = $(TESTS_LINK_ADD)

EXTRA_DIST += tests/data/run_dataset.jsonl
