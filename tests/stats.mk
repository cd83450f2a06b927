# tests/ for src/stats: the Check suite and the reference-freshness check.
check_PROGRAMS += tests/check_stats
TESTS += tests/check_stats tests/stats_reference_fresh.sh
tests_check_stats_SOURCES = tests/check_stats.c
tests_check_stats_CFLAGS = $(TESTS_CC_FLAGS)
tests_check_stats_LDFLAGS = $(TESTS_LINK_FLAGS)
tests_check_stats_LDADD = $(TESTS_LINK_ADD)
dist_check_SCRIPTS += tests/stats_reference_fresh.sh
EXTRA_DIST += tests/data/stats_reference.py
