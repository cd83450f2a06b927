# fuzz/: libFuzzer targets (make fuzz) and their replay as tests (make check).
#
# Each fuzz/fuzz_NAME.c is linked two ways:
#  - fuzz/fuzz_NAME, with libFuzzer, only in a build configured with
#    CC=clang --enable-fuzzing (fuzz/run.sh, behind `make fuzz`, makes one);
#  - fuzz/replay_NAME, with fuzz/replay.c's main, a test in every build that
#    runs each input of fuzz/corpus/NAME/ once (seeds and past findings).
# To add a target: add its two programs below, list it in fuzz/run.sh,
# and seed fuzz/corpus/NAME/.

check_LTLIBRARIES += fuzz/libfuzzutil.la
fuzz_libfuzzutil_la_SOURCES = fuzz/fuzzutil.c fuzz/fuzz.h \
	fuzz/dataset_common.h fuzz/provider_common.h
fuzz_libfuzzutil_la_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_SRCDIR='"$(abs_top_srcdir)"'
FUZZ_LINK_ADD = fuzz/libfuzzutil.la $(TESTS_LINK_LIBS)
# libtool would build shared convenience objects; the fuzzers are static.
FUZZ_LINK_FLAGS = -no-install

EXTRA_DIST += fuzz/corpus fuzz/json.dict fuzz/run.sh

check_PROGRAMS += fuzz/replay_dataset_json
TESTS += fuzz/replay_dataset_json
fuzz_replay_dataset_json_SOURCES = fuzz/fuzz_dataset_json.c fuzz/replay.c
fuzz_replay_dataset_json_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_dataset_json_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_dataset_jsonl
TESTS += fuzz/replay_dataset_jsonl
fuzz_replay_dataset_jsonl_SOURCES = fuzz/fuzz_dataset_jsonl.c fuzz/replay.c
fuzz_replay_dataset_jsonl_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_dataset_jsonl_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_config
TESTS += fuzz/replay_config
fuzz_replay_config_SOURCES = fuzz/fuzz_config.c fuzz/replay.c
fuzz_replay_config_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_config_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_judge_response
TESTS += fuzz/replay_judge_response
fuzz_replay_judge_response_SOURCES = fuzz/fuzz_judge_response.c fuzz/replay.c
fuzz_replay_judge_response_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_judge_response_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_hallucination_response
TESTS += fuzz/replay_hallucination_response
fuzz_replay_hallucination_response_SOURCES = fuzz/fuzz_hallucination_response.c fuzz/replay.c
fuzz_replay_hallucination_response_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_hallucination_response_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_openai_response
TESTS += fuzz/replay_openai_response
fuzz_replay_openai_response_SOURCES = fuzz/fuzz_openai_response.c fuzz/replay.c
fuzz_replay_openai_response_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_openai_response_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_anthropic_response
TESTS += fuzz/replay_anthropic_response
fuzz_replay_anthropic_response_SOURCES = fuzz/fuzz_anthropic_response.c fuzz/replay.c
fuzz_replay_anthropic_response_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_anthropic_response_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_junit_text
TESTS += fuzz/replay_junit_text
fuzz_replay_junit_text_SOURCES = fuzz/fuzz_junit_text.c fuzz/replay.c
fuzz_replay_junit_text_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_junit_text_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_normalize_metrics
TESTS += fuzz/replay_normalize_metrics
fuzz_replay_normalize_metrics_SOURCES = fuzz/fuzz_normalize_metrics.c fuzz/replay.c
fuzz_replay_normalize_metrics_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_normalize_metrics_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_constraints_file
TESTS += fuzz/replay_constraints_file
fuzz_replay_constraints_file_SOURCES = fuzz/fuzz_constraints_file.c fuzz/replay.c
fuzz_replay_constraints_file_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_constraints_file_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_spool
TESTS += fuzz/replay_spool
fuzz_replay_spool_SOURCES = fuzz/fuzz_spool.c fuzz/replay.c
fuzz_replay_spool_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_spool_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_suite
TESTS += fuzz/replay_suite
fuzz_replay_suite_SOURCES = fuzz/fuzz_suite.c fuzz/replay.c
fuzz_replay_suite_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_suite_LDADD = $(FUZZ_LINK_ADD)

check_PROGRAMS += fuzz/replay_results
TESTS += fuzz/replay_results
fuzz_replay_results_SOURCES = fuzz/fuzz_results.c fuzz/replay.c tests/support/result_same.h
fuzz_replay_results_LDFLAGS = $(FUZZ_LINK_FLAGS)
fuzz_replay_results_LDADD = $(FUZZ_LINK_ADD)

if FUZZING
FUZZERS = fuzz/fuzz_dataset_json \
	fuzz/fuzz_dataset_jsonl \
	fuzz/fuzz_config \
	fuzz/fuzz_judge_response \
	fuzz/fuzz_hallucination_response \
	fuzz/fuzz_openai_response \
	fuzz/fuzz_anthropic_response \
	fuzz/fuzz_junit_text \
	fuzz/fuzz_normalize_metrics \
	fuzz/fuzz_constraints_file \
	fuzz/fuzz_spool \
	fuzz/fuzz_suite \
	fuzz/fuzz_results
noinst_PROGRAMS += $(FUZZERS)

fuzz_fuzz_dataset_json_SOURCES = fuzz/fuzz_dataset_json.c
fuzz_fuzz_dataset_json_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_dataset_json_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_dataset_jsonl_SOURCES = fuzz/fuzz_dataset_jsonl.c
fuzz_fuzz_dataset_jsonl_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_dataset_jsonl_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_config_SOURCES = fuzz/fuzz_config.c
fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_config_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_judge_response_SOURCES = fuzz/fuzz_judge_response.c
fuzz_fuzz_judge_response_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_judge_response_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_hallucination_response_SOURCES = fuzz/fuzz_hallucination_response.c
fuzz_fuzz_hallucination_response_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_hallucination_response_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_openai_response_SOURCES = fuzz/fuzz_openai_response.c
fuzz_fuzz_openai_response_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_openai_response_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_anthropic_response_SOURCES = fuzz/fuzz_anthropic_response.c
fuzz_fuzz_anthropic_response_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_anthropic_response_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_junit_text_SOURCES = fuzz/fuzz_junit_text.c
fuzz_fuzz_junit_text_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_junit_text_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_normalize_metrics_SOURCES = fuzz/fuzz_normalize_metrics.c
fuzz_fuzz_normalize_metrics_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_normalize_metrics_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_constraints_file_SOURCES = fuzz/fuzz_constraints_file.c
fuzz_fuzz_constraints_file_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_constraints_file_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_spool_SOURCES = fuzz/fuzz_spool.c
fuzz_fuzz_spool_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_spool_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_suite_SOURCES = fuzz/fuzz_suite.c
fuzz_fuzz_suite_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_suite_LDADD = $(FUZZ_LINK_ADD)
fuzz_fuzz_results_SOURCES = fuzz/fuzz_results.c
fuzz_fuzz_results_LDFLAGS = $(FUZZ_LINK_FLAGS) $(FUZZ_LDFLAGS)
fuzz_fuzz_results_LDADD = $(FUZZ_LINK_ADD)
else
FUZZERS =
endif

# Build just the fuzzers (in a --enable-fuzzing build directory).
fuzz-targets: $(FUZZERS)

# Run every fuzzer for FUZZ_SECONDS (default 60) each, in a build directory
# of its own (build-fuzz beside the sources, or FUZZ_BUILD_DIR); see
# docs/reliability.md. FUZZ_TARGETS picks some ("config spool").
fuzz:
	FUZZ_SECONDS='$(FUZZ_SECONDS)' FUZZ_TARGETS='$(FUZZ_TARGETS)' \
	  $(SHELL) $(top_srcdir)/fuzz/run.sh

.PHONY: fuzz fuzz-targets
