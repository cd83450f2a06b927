# examples/: runnable examples, built and run by `make check`. They link the
# installed-style public library, as a user's program would.

# quickstart: a Check suite over a small FAQ dataset.
check_PROGRAMS += examples/quickstart/check_support
TESTS += examples/quickstart/check_support
examples_quickstart_check_support_SOURCES = examples/quickstart/check_support.c \
	examples/quickstart/faq_bot.c examples/quickstart/faq_bot.h
examples_quickstart_check_support_CFLAGS = $(TESTS_CC_FLAGS)
examples_quickstart_check_support_LDFLAGS = -no-install
examples_quickstart_check_support_LDADD = libllmassert.la $(CHECK_LIBS)
EXTRA_DIST += examples/quickstart/faq.json

# saas-support: the flagship example (README's main job): a RAG support
# assistant for a fictional SaaS product, evaluated with every headline macro.
check_PROGRAMS += examples/saas-support/check_saas
TESTS += examples/saas-support/check_saas
examples_saas_support_check_saas_SOURCES = examples/saas-support/check_saas.c \
	examples/saas-support/assistant.c examples/saas-support/assistant.h
examples_saas_support_check_saas_CFLAGS = $(TESTS_CC_FLAGS)
examples_saas_support_check_saas_LDFLAGS = -no-install
examples_saas_support_check_saas_LDADD = libllmassert.la $(CHECK_LIBS)
# The same assistant as a program, the model under test of suite.json
# (`llmassert run`): one example's input on stdin, the answer on stdout.
check_PROGRAMS += examples/saas-support/saas-assistant
examples_saas_support_saas_assistant_SOURCES = examples/saas-support/saas_assistant.c \
	examples/saas-support/assistant.c examples/saas-support/assistant.h
examples_saas_support_saas_assistant_CFLAGS = $(TESTS_CC_FLAGS) \
	-DSAAS_SRCDIR='"$(abs_top_srcdir)/examples/saas-support"'
examples_saas_support_saas_assistant_LDFLAGS = -no-install
examples_saas_support_saas_assistant_LDADD = libllmassert.la $(CJSON_LIBS)
EXTRA_DIST += examples/saas-support/knowledge_base.txt examples/saas-support/dataset.json \
	examples/saas-support/distribution.jsonl examples/saas-support/gen_distribution.py \
	examples/saas-support/constraints.json examples/saas-support/llmassert.json \
	examples/saas-support/suite.json \
	examples/saas-support/README.md

# cmocka: the cmocka adapter (tests/check_adapters runs it passing and failing).
check_PROGRAMS += examples/cmocka/cmocka_support
TESTS += examples/cmocka/cmocka_support
examples_cmocka_cmocka_support_SOURCES = examples/cmocka/cmocka_support.c
examples_cmocka_cmocka_support_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
examples_cmocka_cmocka_support_LDFLAGS = -no-install
examples_cmocka_cmocka_support_LDADD = libllmassert.la $(CMOCKA_LIBS)

# consumer: built against the installed library with pkg-config, by
# `make installcheck` (which `make distcheck` runs after installing).
EXTRA_DIST += examples/consumer/consumer.c
installcheck-local:
	rm -rf installcheck-consumer && $(MKDIR_P) installcheck-consumer
	PKG_CONFIG_PATH='$(libdir)/pkgconfig' && export PKG_CONFIG_PATH && \
	  $(CC) $(CFLAGS) $(srcdir)/examples/consumer/consumer.c \
	    `$(PKG_CONFIG) --cflags --libs llmassert` -o installcheck-consumer/consumer
	cd installcheck-consumer && LD_LIBRARY_PATH='$(libdir)' LLMASSERT_JUNIT=consumer.xml ./consumer
	grep -q 'name="installed_library_works"' installcheck-consumer/consumer.xml
	rm -rf installcheck-consumer
	test -s '$(DESTDIR)$(man1dir)/llmassert.1'
	test -s '$(DESTDIR)$(docdir)/user-guide.md'

# Reports the examples and test programs write beside themselves.
CLEANFILES += examples/*/*.junit.xml tests/*.junit.xml
