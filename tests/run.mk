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

# The fault matrix (docs/reliability.md): `llmassert run` as a process
# against every fault of the fake provider, a killed provider, a full disk
# and SIGTERM. make check runs the short form; `make fault-matrix` (or
# scripts/fault-matrix.sh) the full one.
check_PROGRAMS += tests/fault_matrix
TESTS += tests/fault_matrix
tests_fault_matrix_SOURCES = tests/fault_matrix.c
tests_fault_matrix_CFLAGS = $(TESTS_CC_FLAGS)
tests_fault_matrix_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_fault_matrix_LDADD = $(TESTS_LINK_ADD)

fault-matrix: llmassert$(EXEEXT) tests/fault_matrix$(EXEEXT) tests/support/fake_provider$(EXEEXT)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  tests/fault_matrix --full $(FAULT_MATRIX_FLAGS)

.PHONY: fault-matrix

# The results file's fast reader against cJSON's path.
check_PROGRAMS += tests/check_results
TESTS += tests/check_results
tests_check_results_SOURCES = tests/check_results.c tests/support/result_same.h
tests_check_results_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_results_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_results_LDADD = $(TESTS_LINK_ADD)
