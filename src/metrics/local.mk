# src/metrics: reference-based metrics, the constraint checker, the lexical
# embedder.
LLM_SOURCES += \
	src/metrics/work.c src/metrics/work.h \
	src/metrics/exact_f1.c \
	src/metrics/rouge_l.c \
	src/metrics/levenshtein.c

llmassertinclude_HEADERS += \
	include/llmassert/metrics.h
