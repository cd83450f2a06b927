# bench/: benchmarks, each runnable with one command (see bench/README.md).

# squad_f1: token F1 over 100,000 pairs, llmassert score against the Python
# SQuAD reference (bench/squad_f1.sh; it builds the llmassert command).
EXTRA_DIST += bench/squad_f1.sh bench/squad_f1/gen_pairs.py bench/squad_f1/run.py \
	bench/squad_f1/README.md
