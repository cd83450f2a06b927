#!/usr/bin/env bash
# The fault matrix (docs/reliability.md, "Fault matrix"): build if needed,
# then run `llmassert run` against every fault of the fake provider, a
# killed provider, a full disk and SIGTERM, and print the matrix. Exits 1
# when a row fails.
#
#   scripts/fault-matrix.sh                 the full matrix (24 examples a row)
#   scripts/fault-matrix.sh --short         the short form make check runs
#   scripts/fault-matrix.sh --only 429 -v   some rows, with each run's stderr
#   scripts/fault-matrix.sh --keep          keep the runs' files
#
# Environment: LLMASSERT_BUILD_DIR (default build).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LLMASSERT_BUILD_DIR:-build}
case $build in /*) ;; *) build=$top/$build ;; esac
full=--full
args=()
for a in "$@"; do
    if [ "$a" = --short ]; then full=; else args+=("$a"); fi
done
if [ ! -f "$build/Makefile" ]; then
    "$top/scripts/build.sh" "$build" >/dev/null
fi
make -C "$build" -j"$(nproc)" llmassert tests/fault_matrix tests/support/fake_provider \
    >"$build/fault-matrix-build.log" 2>&1 || { tail -n 30 "$build/fault-matrix-build.log"; exit 2; }
export top_builddir=$build top_srcdir=$top
exec "$build/tests/fault_matrix" $full ${args[@]+"${args[@]}"}
