# bench/: benchmarks, each runnable with one command (bench/*.sh). Their
# programs are built on demand (EXTRA_PROGRAMS), not by `make` or `make check`.
EXTRA_PROGRAMS = bench/junit_report
bench_junit_report_SOURCES = bench/junit_report.c
bench_junit_report_LDADD = libllmassert.la
bench_junit_report_LDFLAGS = -no-install
EXTRA_DIST += bench/junit_report.sh
CLEANFILES += $(EXTRA_PROGRAMS)

# squad_f1: token F1 over 100,000 pairs, llmassert score against the Python
# SQuAD reference (bench/squad_f1.sh; it builds the llmassert command).
EXTRA_DIST += bench/squad_f1.sh bench/squad_f1/gen_pairs.py bench/squad_f1/run.py \
	bench/squad_f1/README.md
