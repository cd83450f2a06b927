# src/llm: the provider interface, HTTP (libcurl), wire formats, configuration,
# response cache (SQLite) and client-side rate limits.
LLM_SOURCES += \
	src/llm/canon.c src/llm/canon.h \
	src/llm/log.c src/llm/log.h \
	src/llm/http.c src/llm/http.h \
	src/llm/ratelimit.c src/llm/ratelimit.h \
	src/llm/config.c \
	src/llm/cache.c src/llm/cache_internal.h \
	src/llm/provider.c src/llm/provider_internal.h \
	src/llm/openai.c \
	src/llm/embed_direct.c src/llm/embed_direct.h \
	src/llm/complete_direct.c src/llm/complete_direct.h \
	src/llm/anthropic.c \
	src/llm/offline.c

LLM_SOURCES += \
	src/core/redact.c src/core/redact.h \
	src/core/jsonpos.c src/core/jsonpos.h

llmassertinclude_HEADERS += \
	include/llmassert/config.h \
	include/llmassert/cache.h \
	include/llmassert/provider.h
