#!/usr/bin/env bash
# Build llmassert with ThreadSanitizer in its own directory (default
# build-tsan) and run the concurrency tests (make check-tsan): the recorder's
# threaded and parallel modes, the rate limiter, the provider's 16-thread
# test, the cache, the runner, `llmassert score`'s pipeline. Any data race
# fails the run.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${TSAN_BUILD_DIR:-build-tsan}
"$top/scripts/build.sh" "$build" --enable-tsan "$@"
cd "$top/$build"
make -j"$(nproc)" check-tsan || {
    for t in tests/check_recorder tests/check_ratelimit tests/check_provider tests/check_cache tests/check_run \
        tests/check_cli_score; do
        if grep -q ':test-result: \(FAIL\|ERROR\)' "$t.trs" 2>/dev/null; then
            echo "===== $t.log"
            grep -A40 'WARNING: ThreadSanitizer' "$t.log" | head -n 120 || tail -n 60 "$t.log"
        fi
    done
    exit 1
}
