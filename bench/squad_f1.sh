#!/usr/bin/env bash
# Token F1 over 100,000 prediction/reference pairs: `llmassert score` against
# a Python implementation of the official SQuAD v1.1 evaluation script, on
# the same file. Prints both times, their ratio and the 50x target, and
# checks that the two agree on every pair (exact doubles).
#
# Usage: bench/squad_f1.sh [BUILD_DIR]      (default: build; configured and
#                                            built if needed)
# Environment: PAIRS (default 100000), PYTHON (default /usr/bin/python3),
#              RUNS (timed runs of each side, best kept; default 3)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
case $build in /*) ;; *) build=$PWD/$build ;; esac
python=${PYTHON:-/usr/bin/python3}
pairs=${PAIRS:-100000}
runs=${RUNS:-3}

if [ ! -f "$build/Makefile" ]; then
    "$top/scripts/build.sh" "$build"
else
    make -s -C "$build" llmassert >/dev/null
fi

# The libtool wrapper script in the build tree costs a shell start-up per
# run; time the program itself, as it runs once installed.
bin=$build/llmassert
if [ -x "$build/.libs/llmassert" ]; then
    bin=$build/.libs/llmassert
    export LD_LIBRARY_PATH="$build/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/llmassert-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$python" "$top/bench/squad_f1/gen_pairs.py" "$pairs" "$work/pairs.jsonl"
exec "$python" "$top/bench/squad_f1/run.py" --runs "$runs" --work "$work" \
    --llmassert "$bin" --reference "$top/tests/squad_ref.py" \
    --python "$python" "$work/pairs.jsonl"
