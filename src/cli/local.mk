# src/cli: the llmassert command, one file per subcommand.
bin_PROGRAMS += llmassert
llmassert_SOURCES = src/cli/main.c src/cli/cli.h
llmassert_LDADD = libllmassert_core.la $(DEP_LIBS)
llmassert_SOURCES += src/cli/cmd_cache.c
llmassert_SOURCES += src/cli/cmd_dataset.c
llmassert_SOURCES += src/cli/cmd_score.c
llmassert_SOURCES += src/cli/score_llm.c src/cli/score_llm.h
llmassert_SOURCES += src/cli/cmd_run.c src/cli/cmd_history.c src/cli/cmd_merge.c
llmassert_SOURCES += src/cli/cmd_compare.c src/cli/cmd_calibrate.c src/cli/cmd_review.c
