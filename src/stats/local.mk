# src/stats: distributions, hypothesis tests, intervals, effect size and power,
# agreement with human labels. Public API: include/llmassert/stats.h.
LLM_SOURCES += \
	src/stats/internal.h \
	src/stats/common.c \
	src/stats/beta.c \
	src/stats/gamma.c \
	src/stats/dist.c \
	src/stats/ttest.c \
	src/stats/rank.c \
	src/stats/proportion.c \
	src/stats/holm.c \
	src/stats/rng.c src/stats/rng.h \
	src/stats/bootstrap.c \
	src/stats/power.c \
	src/stats/agreement.c

llmassertinclude_HEADERS += \
	include/llmassert/stats.h
