# bench/: benchmarks, each runnable with one command (see bench/README.md).
