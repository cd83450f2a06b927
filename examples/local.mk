# examples/: runnable examples, built and run by `make check`.
