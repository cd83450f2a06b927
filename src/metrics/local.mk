# src/metrics: reference-based metrics, the constraint checker, the lexical
# embedder.
LLM_SOURCES += \
	src/metrics/work.c src/metrics/work.h \
	src/metrics/exact_f1.c \
	src/metrics/rouge_l.c \
	src/metrics/levenshtein.c \
	src/metrics/constraints.c src/metrics/constraint_impl.h \
	src/metrics/constraint_text.c \
	src/metrics/constraint_sentences.c \
	src/metrics/constraint_regex.c \
	src/metrics/constraint_json.c \
	src/metrics/constraint_file.c \
	src/metrics/embed.c

llmassertinclude_HEADERS += \
	include/llmassert/metrics.h \
	include/llmassert/constraints.h \
	include/llmassert/embed.h
