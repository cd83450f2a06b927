# src/calibrate: agreement of automatic metrics with human labels (`llmassert
# calibrate`), calibration records in the history, the judge verbosity probe,
# and review samples (`llmassert sample-for-review`).
LLM_SOURCES += \
	src/core/csv.c src/core/csv.h \
	src/calibrate/calibrate.h \
	src/calibrate/labels.c \
	src/calibrate/calibrate.c \
	src/calibrate/store.c \
	src/calibrate/inputs.c \
	src/calibrate/review.c \
	src/calibrate/probe.c
