# bench/: benchmarks, each runnable with one command (bench/*.sh). Their
# programs are built on demand (EXTRA_PROGRAMS), not by `make` or `make check`.
EXTRA_PROGRAMS = bench/junit_report
bench_junit_report_SOURCES = bench/junit_report.c
bench_junit_report_LDADD = libllmassert.la
bench_junit_report_LDFLAGS = -no-install
EXTRA_DIST += bench/junit_report.sh
CLEANFILES += $(EXTRA_PROGRAMS)
