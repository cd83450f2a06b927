# src/data: datasets (JSON, JSONL), validation, golden lock, leakage checks.
LLM_SOURCES += \
	src/core/quote.c src/core/quote.h \
	src/core/utf8check.c src/core/utf8check.h \
	src/data/json.c src/data/json.h \
	src/data/problem.c src/data/problem.h \
	src/data/timestamp.c src/data/timestamp.h \
	src/data/idmap.c src/data/idmap.h \
	src/data/example.c src/data/example.h \
	src/data/example_parse.c \
	src/data/reader.c src/data/reader.h \
	src/data/dataset.c \
	src/data/stats.c \
	src/data/lock.c src/data/lock.h \
	src/data/leakage.c src/data/leakage.h \
	src/data/checker.c \
	src/data/cases.c

llmassertinclude_HEADERS += \
	include/llmassert/dataset.h \
	include/llmassert/cases.h
