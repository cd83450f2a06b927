# src/core: errors, buffers, files, recorder, report model, JUnit writer, gate.
libllmassert_la_SOURCES += \
	src/core/error.c src/core/error.h \
	src/core/buf.c src/core/buf.h \
	src/core/fileio.c src/core/fileio.h

llmassertinclude_HEADERS += \
	include/llmassert/common.h

# A fast reader for flat JSONL records (falls back to cJSON); used by score.
libllmassert_la_SOURCES += src/core/json_flat.c src/core/json_flat.h
# Strict JSON validation with line:column messages (json_valid, constraint files).
libllmassert_la_SOURCES += src/core/json_check.c src/core/json_check.h
