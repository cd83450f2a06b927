# tests/: one Check suite per module; tests/support holds shared helpers.
check_LTLIBRARIES += tests/support/libtestsupport.la
tests_support_libtestsupport_la_SOURCES = \
	tests/support/testutil.c tests/support/testutil.h \
	tests/support/xmlcheck.c tests/support/xmlcheck.h \
	tests/support/reportrun.c tests/support/reportrun.h
EXTRA_DIST += tests/support/junitparser_counts.py
tests_support_libtestsupport_la_CFLAGS = $(TESTS_CC_FLAGS)

# Test programs are real binaries (no libtool wrapper scripts), so a test can
# run another test binary directly and reports land beside each binary.
TESTS_LINK_FLAGS = -no-install
TESTS_LINK_ADD = tests/support/libtestsupport.la $(TESTS_LINK_LIBS)

check_PROGRAMS += tests/check_common
TESTS += tests/check_common
tests_check_common_SOURCES = tests/check_common.c
tests_check_common_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_common_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_common_LDADD = $(TESTS_LINK_ADD)

# The recorder: a fixture suite (not a test itself: it fails on purpose) run
# by check_recorder in fork, no-fork, threaded and parallel modes.
check_PROGRAMS += tests/recorder_fixture tests/plain_fixture tests/check_recorder
TESTS += tests/check_recorder
tests_recorder_fixture_SOURCES = tests/recorder_fixture.c
tests_recorder_fixture_CFLAGS = $(TESTS_CC_FLAGS)
tests_recorder_fixture_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_recorder_fixture_LDADD = $(TESTS_LINK_ADD)
tests_plain_fixture_SOURCES = tests/plain_fixture.c
tests_plain_fixture_CFLAGS = $(TESTS_CC_FLAGS)
tests_plain_fixture_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_plain_fixture_LDADD = $(TESTS_LINK_ADD)
tests_check_recorder_SOURCES = tests/check_recorder.c
tests_check_recorder_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_recorder_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_recorder_LDADD = $(TESTS_LINK_ADD)
EXTRA_DIST += tests/data/jenkins-xunit-junit-10.xsd

check_PROGRAMS += tests/check_report
TESTS += tests/check_report
tests_check_report_SOURCES = tests/check_report.c
tests_check_report_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_report_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_report_LDADD = $(TESTS_LINK_ADD)

# The deterministic assertion macros, through a fixture suite's JUnit report.
check_PROGRAMS += tests/assert_fixture tests/check_assert
TESTS += tests/check_assert
tests_assert_fixture_SOURCES = tests/assert_fixture.c
tests_assert_fixture_CFLAGS = $(TESTS_CC_FLAGS)
tests_assert_fixture_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_assert_fixture_LDADD = $(TESTS_LINK_ADD)
tests_check_assert_SOURCES = tests/check_assert.c
tests_check_assert_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_assert_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_assert_LDADD = $(TESTS_LINK_ADD)

# Adapters for other frameworks, through the examples that use them.
check_PROGRAMS += tests/check_adapters
TESTS += tests/check_adapters
tests_check_adapters_SOURCES = tests/check_adapters.c
tests_check_adapters_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_adapters_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_adapters_LDADD = $(TESTS_LINK_ADD)

# The flagship example as shipped and with each planted bug.
check_PROGRAMS += tests/check_examples
TESTS += tests/check_examples
tests_check_examples_SOURCES = tests/check_examples.c
tests_check_examples_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_examples_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_examples_LDADD = $(TESTS_LINK_ADD)

# The CI configurations shipped in examples/ci.
dist_check_SCRIPTS += tests/ci_templates.sh
TESTS += tests/ci_templates.sh
# The SaaS example's suite file through `llmassert run` (needs the CLI and
# examples/saas-support/saas-assistant, both built by make check).
dist_check_SCRIPTS += tests/saas_run.sh
TESTS += tests/saas_run.sh
# llmassert(1) covers every command (the page is built with the program).
dist_check_SCRIPTS += tests/manpage.sh
TESTS += tests/manpage.sh
# The SQL panels of docs/dashboard.md over a real history.
dist_check_SCRIPTS += tests/dashboard_queries.sh
TESTS += tests/dashboard_queries.sh
EXTRA_DIST += examples/ci/github-actions.yml examples/ci/gitlab-ci.yml examples/ci/Jenkinsfile
