# Tests of the LLM-backed assertions (judge, hallucination, semantic
# similarity), all against the fake provider on 127.0.0.1.
tests_support_libtestsupport_la_SOURCES += tests/support/llmtest.c tests/support/llmtest.h

check_PROGRAMS += tests/check_judge tests/check_hallucination tests/check_semantic
TESTS += tests/check_judge tests/check_hallucination tests/check_semantic

tests_check_judge_SOURCES = tests/check_judge.c
tests_check_judge_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_judge_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_judge_LDADD = $(TESTS_LINK_ADD)

tests_check_hallucination_SOURCES = tests/check_hallucination.c
tests_check_hallucination_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_hallucination_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_hallucination_LDADD = $(TESTS_LINK_ADD)

tests_check_semantic_SOURCES = tests/check_semantic.c
tests_check_semantic_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_semantic_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_semantic_LDADD = $(TESTS_LINK_ADD)

EXTRA_DIST += \
	tests/data/hallucination_exercise.json \
	tests/data/hallucination_calibration.json \
	tests/data/hallucination_holdout.json
