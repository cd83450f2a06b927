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
