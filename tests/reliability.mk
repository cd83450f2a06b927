# Reliability passes over the test suite (docs/reliability.md).
#
# make check-valgrind   every test under valgrind's memcheck: zero errors and
#                       zero definite leaks (a plain build: not with the
#                       sanitizers, which valgrind cannot run under).
# make check-tsan       the concurrency tests in a build configured with
#                       --enable-tsan: the recorder's threads, the rate
#                       limiter, the provider's 16-thread test, the cache,
#                       the runner's workers and `llmassert score`'s pipeline.
# make fuzz             see fuzz/local.mk.

EXTRA_DIST += scripts/valgrind-test.sh scripts/valgrind.supp scripts/tsan.supp \
	scripts/valgrind.sh scripts/tsan.sh

check-valgrind:
	$(MAKE) $(AM_MAKEFLAGS) check \
	  LOG_COMPILER='$(SHELL) $(abs_top_srcdir)/scripts/valgrind-test.sh'

TSAN_TESTS = tests/check_recorder tests/check_ratelimit tests/check_provider tests/check_cache \
	tests/check_run tests/check_cli_score

if TSAN
check-tsan:
	TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$(abs_top_srcdir)/scripts/tsan.supp $$TSAN_OPTIONS" \
	  LLMASSERT_TEST_SLOW=1 CK_TIMEOUT_MULTIPLIER=$${CK_TIMEOUT_MULTIPLIER:-5} \
	  $(MAKE) $(AM_MAKEFLAGS) check TESTS='$(TSAN_TESTS)'
else
check-tsan:
	@echo "check-tsan: run it in a build directory configured with --enable-tsan" >&2; exit 2
endif

.PHONY: check-valgrind check-tsan

# Security checks: secrets reach no artefact; judge delimiters hold.
check_PROGRAMS += tests/check_security
TESTS += tests/check_security
tests_check_security_SOURCES = tests/check_security.c
tests_check_security_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_security_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_security_LDADD = $(TESTS_LINK_ADD)
