# Tests for src/text, src/metrics and the score command (see tests/local.mk
# for the pattern). Differential tests run tests/squad_ref.py with
# $(PYTHON3_SYSTEM).
EXTRA_DIST += tests/squad_ref.py

check_PROGRAMS += tests/check_text
TESTS += tests/check_text
tests_check_text_SOURCES = tests/check_text.c
tests_check_text_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_text_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_text_LDADD = $(TESTS_LINK_ADD)

check_PROGRAMS += tests/check_metrics
TESTS += tests/check_metrics
tests_check_metrics_SOURCES = tests/check_metrics.c
tests_check_metrics_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_metrics_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_metrics_LDADD = $(TESTS_LINK_ADD)

check_PROGRAMS += tests/check_constraints
TESTS += tests/check_constraints
tests_check_constraints_SOURCES = tests/check_constraints.c
tests_check_constraints_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_constraints_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_constraints_LDADD = $(TESTS_LINK_ADD)
EXTRA_DIST += tests/data/constraints_support.json tests/data/constraints_syntax_error.json

check_PROGRAMS += tests/check_embed
TESTS += tests/check_embed
tests_check_embed_SOURCES = tests/check_embed.c
tests_check_embed_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_embed_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_embed_LDADD = $(TESTS_LINK_ADD)

check_PROGRAMS += tests/check_cli_score
TESTS += tests/check_cli_score
tests_check_cli_score_SOURCES = tests/check_cli_score.c
tests_check_cli_score_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_cli_score_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_cli_score_LDADD = $(TESTS_LINK_ADD)
EXTRA_DIST += tests/data/metrics_pairs.jsonl tests/data/metrics_malformed.jsonl

check_PROGRAMS += tests/check_json
TESTS += tests/check_json
tests_check_json_SOURCES = tests/check_json.c
tests_check_json_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_json_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_json_LDADD = $(TESTS_LINK_ADD)
