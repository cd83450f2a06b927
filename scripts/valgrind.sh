#!/usr/bin/env bash
# Run the whole test suite under valgrind's memcheck (make check-valgrind) in
# a plain build directory (default build; configured and built if needed).
# Zero errors and zero definite leaks, or the failing suites' logs are shown.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${VALGRIND_BUILD_DIR:-build}
command -v valgrind >/dev/null || { echo "valgrind: not installed (apt-get install valgrind)" >&2; exit 2; }
if [ ! -f "$top/$build/config.status" ]; then
    "$top/scripts/build.sh" "$build" "$@"
fi
cd "$top/$build"
make -j"$(nproc)" check-valgrind || {
    for trs in $(find . -name '*.trs'); do
        if grep -q ':test-result: \(FAIL\|ERROR\)' "$trs"; then
            log=${trs%.trs}.log
            echo "===== $log"
            grep -B2 -A30 '^==[0-9]*== [A-Z].*\(Invalid\|uninitialised\|definitely lost\|Mismatched\|overlap\)' "$log" | head -n 100 ||
                tail -n 60 "$log"
        fi
    done
    exit 1
}
