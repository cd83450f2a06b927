# src/cli: the llmassert command, one file per subcommand.
bin_PROGRAMS += llmassert
llmassert_SOURCES = src/cli/main.c src/cli/cli.h src/cli/options.c
llmassert_LDADD = libllmassert_core.la $(DEP_LIBS)
llmassert_SOURCES += src/cli/cmd_cache.c
llmassert_SOURCES += src/cli/cmd_dataset.c
llmassert_SOURCES += src/cli/cmd_score.c
llmassert_SOURCES += src/cli/score_llm.c src/cli/score_llm.h
llmassert_SOURCES += src/cli/cmd_run.c src/cli/cmd_history.c src/cli/cmd_merge.c
llmassert_SOURCES += src/cli/cmd_compare.c src/cli/cmd_calibrate.c src/cli/cmd_review.c

# llmassert(1): hand-written sections around every command's own --help
# (scripts/gen-manpage.sh), so the page cannot drift from the program.
man1_MANS = llmassert.1
CLEANFILES += llmassert.1
llmassert.1: llmassert$(EXEEXT) $(top_srcdir)/scripts/gen-manpage.sh
	$(AM_V_GEN)$(SHELL) $(top_srcdir)/scripts/gen-manpage.sh ./llmassert$(EXEEXT) \
	  $(PACKAGE_VERSION) > $@.tmp && mv $@.tmp $@

# The guides, installed next to the page that points to them.
dist_doc_DATA = README.md docs/user-guide.md docs/reference.md docs/runner.md \
	docs/statistics.md docs/providers.md docs/datasets.md docs/metrics.md \
	docs/llm-assertions.md docs/reliability.md docs/dashboard.md
