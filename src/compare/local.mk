# src/compare: reading runs back (history, results JSONL, plain score files)
# and comparing two of them: `llmassert compare`, and the calibration and
# review-sample commands that read runs the same way.
LLM_SOURCES += \
	src/compare/rundata.c src/compare/rundata.h \
	src/compare/compare.c src/compare/compare.h \
	src/compare/render.c
