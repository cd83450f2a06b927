# bench/provider_throughput: the provider layer against the fake provider
# (run bench/provider_throughput.sh). Built by make check so it cannot rot.
check_PROGRAMS += bench/provider_throughput
bench_provider_throughput_SOURCES = bench/provider_throughput.c
bench_provider_throughput_LDADD = libllmassert.la $(DEP_LIBS)
EXTRA_DIST += bench/provider_throughput.sh
