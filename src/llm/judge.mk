# LLM-backed assertions: semantic similarity, hallucination (a judge model or
# the offline grounding checker), LLM-as-judge with versioned prompts, the
# "assertions" configuration section and the process-wide defaults.
LLM_SOURCES += \
	src/core/sha256.c src/core/sha256.h \
	src/llm/config_assert.c src/llm/config_assert.h \
	src/llm/defaults.c src/llm/defaults.h \
	src/llm/thresholds.c src/llm/thresholds.h \
	src/llm/family.c src/llm/family.h \
	src/llm/prompts.c src/llm/prompts.h \
	src/llm/answer.c src/llm/answer.h \
	src/llm/judge.c src/llm/judge_internal.h \
	src/llm/hallucination.c \
	src/llm/semantic.c src/llm/semantic_internal.h \
	src/metrics/grounding.c src/metrics/grounding.h \
	src/assert/props.c src/assert/props.h \
	src/assert/judge.c \
	src/assert/hallucination.c \
	src/assert/semantic.c

llmassertinclude_HEADERS += \
	include/llmassert/assert_config.h \
	include/llmassert/judge.h \
	include/llmassert/semantic.h \
	include/llmassert/hallucination.h
