# bench/dataset_load: load and validate a 100,000-example JSONL (run bench/dataset_load.sh).
noinst_PROGRAMS += bench/dataset_load
bench_dataset_load_SOURCES = bench/dataset_load.c
bench_dataset_load_LDADD = libllmassert.la $(DEP_LIBS) -lm
EXTRA_DIST += bench/dataset_load.sh bench/dataset_load_ref.py
