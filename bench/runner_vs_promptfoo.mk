# bench/runner_vs_promptfoo.sh: `llmassert run` against promptfoo on the same
# workload; bench/eval_server is the fake provider answering both tools
# (a judge verdict that depends on the request). Built by make check so it
# cannot rot.
check_PROGRAMS += bench/eval_server
bench_eval_server_SOURCES = bench/eval_server.c
bench_eval_server_CFLAGS = $(TESTS_CC_FLAGS)
bench_eval_server_LDFLAGS = $(TESTS_LINK_FLAGS)
bench_eval_server_LDADD = $(TESTS_LINK_ADD)
EXTRA_DIST += bench/runner_vs_promptfoo.sh bench/runner_vs_promptfoo_data.py
