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

# The same requests sent by libcurl alone (the CPU floor of any runner on
# libcurl's easy interface), printed next to both tools.
check_PROGRAMS += bench/http_floor
bench_http_floor_SOURCES = bench/http_floor.c
bench_http_floor_CFLAGS = $(TESTS_CC_FLAGS) $(CURL_CFLAGS)
bench_http_floor_LDADD = $(CURL_LIBS) $(CJSON_LIBS) $(PTHREAD_LIBS)
