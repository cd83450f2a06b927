# src/core: errors, buffers, files, recorder, report model, JUnit writer, gate.
LLM_SOURCES += \
	src/core/error.c src/core/error.h \
	src/core/thread_buf.c src/core/thread_buf.h \
	src/core/buf.c src/core/buf.h \
	src/core/arena.c src/core/arena.h \
	src/core/clock.c src/core/clock.h \
	src/core/fileio.c src/core/fileio.h \
	src/core/dynlib.c src/core/dynlib.h \
	src/core/partition.c \
	src/core/record.c src/core/record.h \
	src/core/context.c \
	src/core/session.c src/core/session.h src/core/slots.inc \
	src/core/checklog.c src/core/checklog.h \
	src/core/merge.c src/core/merge.h \
	src/core/report.c src/core/report.h \
	src/core/xmltext.c src/core/xmltext.h \
	src/core/junit.c src/core/junit.h \
	src/core/numfmt.c src/core/numfmt.h \
	src/core/gate.c src/core/gate.h

llmassertinclude_HEADERS += \
	include/llmassert/common.h \
	include/llmassert/partition.h \
	include/llmassert/recorder.h \
	include/llmassert/adapter.h

# src/assert: the llm_assert_* functions behind the LLM_ASSERT_* macros.
LLM_SOURCES += \
	src/assert/score.c \
	src/assert/reference.c \
	src/assert/constraints.c

llmassertinclude_HEADERS += \
	include/llmassert/assert.h \
	include/llmassert/check.h \
	include/llmassert/cmocka.h \
	include/llmassert/plain.h

# A fast reader for flat JSONL records (falls back to cJSON); used by score.
LLM_SOURCES += src/core/json_flat.c src/core/json_flat.h src/core/json_lex.h src/core/scan.h \
	src/core/json_scan.c src/core/json_scan.h
# Strict JSON validation with line:column messages (json_valid, constraint files).
LLM_SOURCES += src/core/json_check.c src/core/json_check.h
