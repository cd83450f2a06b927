#!/usr/bin/env bash
# Install what is needed, build, and run the whole test suite (make check),
# then prove the release tarball builds and passes too (make distcheck).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${LLMASSERT_BUILD_DIR:-build}
"$top/scripts/deps.sh"
"$top/scripts/build.sh" "$build" "$@"
cd "$top/$build"
# On failure, show the logs of the failing suites so CI output says why.
show_failures() {
    for log in $(find . -name '*.log' -newer config.status 2>/dev/null); do
        trs=${log%.log}.trs
        if [ -f "$trs" ] && grep -q ':test-result: \(FAIL\|ERROR\)' "$trs"; then
            echo "===== $log"
            tail -n 60 "$log"
        fi
    done
    exit 1
}
make -j"$(nproc)" check || show_failures
[ "${LLMASSERT_DISTCHECK:-1}" = 0 ] || make -j"$(nproc)" distcheck
