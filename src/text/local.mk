# src/text: UTF-8 decoding, character properties, normalisations, tokens.
LLM_SOURCES += \
	src/text/utf8.c src/text/utf8.h \
	src/text/uprops.c src/text/uprops.h \
	src/text/normalize.c src/text/norm.h

llmassertinclude_HEADERS += \
	include/llmassert/text.h
