# src/run: the evaluation runner behind `llmassert run`: suite files, the
# worker pool, the three model kinds, the metric table, results JSONL,
# aggregation (JUnit, summary, gate), history (SQLite), shards and merges.
LLM_SOURCES += \
	src/core/suggest.c src/core/suggest.h \
	src/run/schema.c src/run/schema.h \
	src/run/fields.c src/run/fields.h \
	src/run/metric.c src/run/metric.h \
	src/run/metric_builtin.c \
	src/run/metric_llm.c \
	src/run/suite.c src/run/suite.h \
	src/run/command.c src/run/command.h \
	src/run/model.c src/run/model.h \
	src/run/results.c src/run/results.h \
	src/run/result_fast.c src/run/result_fast.h \
	src/run/aggregate.c src/run/aggregate.h \
	src/run/history.c src/run/history.h \
	src/run/scores.c \
	src/run/shard.c \
	src/run/merge.c \
	src/run/run.c

llmassertinclude_HEADERS += include/llmassert/run.h
