# tests for src/llm: the provider through the real HTTP path against the fake
# provider, the cache, the rate limiter and the configuration.

# The fake provider joins the shared test support library, so every later
# suite can start one.
tests_support_libtestsupport_la_SOURCES += \
	tests/support/fake_provider.c tests/support/fake_provider.h
tests_support_libtestsupport_la_LIBADD = $(MHD_LIBS) $(CJSON_LIBS) $(PTHREAD_LIBS)

# The server as a program, for benchmarks and trying things by hand.
check_PROGRAMS += tests/support/fake_provider
tests_support_fake_provider_SOURCES = tests/support/fake_provider_main.c
tests_support_fake_provider_CFLAGS = $(TESTS_CC_FLAGS)
tests_support_fake_provider_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_support_fake_provider_LDADD = $(TESTS_LINK_ADD)

check_PROGRAMS += tests/check_provider tests/check_provider_config tests/check_cache \
	tests/check_ratelimit
TESTS += tests/check_provider tests/check_provider_config tests/check_cache \
	tests/check_ratelimit

tests_check_provider_SOURCES = tests/check_provider.c
tests_check_provider_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_provider_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_provider_LDADD = $(TESTS_LINK_ADD) $(CURL_LIBS)

tests_check_provider_config_SOURCES = tests/check_provider_config.c
tests_check_provider_config_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_provider_config_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_provider_config_LDADD = $(TESTS_LINK_ADD)

tests_check_cache_SOURCES = tests/check_cache.c
tests_check_cache_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_cache_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_cache_LDADD = $(TESTS_LINK_ADD)

tests_check_ratelimit_SOURCES = tests/check_ratelimit.c
tests_check_ratelimit_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_ratelimit_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_ratelimit_LDADD = $(TESTS_LINK_ADD)
