#!/usr/bin/env bash
# One command: 10,000 completions through the provider layer at concurrency 64
# against the fake provider answering after 20 ms; prints wall time against the
# floor (10000 / 64 x 20 ms = 3.125 s) and the 1.15x target.
#   bench/provider_throughput.sh [BUILD_DIR]    (default: build)
#   REQUESTS=.. CONCURRENCY=.. LATENCY_MS=.. override the defaults.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
requests=${REQUESTS:-10000}
concurrency=${CONCURRENCY:-64}
latency=${LATENCY_MS:-20}
[ -f "$build/Makefile" ] || "$top/scripts/build.sh" "$(basename "$build")"
make -C "$build" -s -j2 tests/support/fake_provider bench/provider_throughput >/dev/null

out=$(mktemp)
"$build/tests/support/fake_provider" --port 0 --latency "$latency" >"$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do
    [ -s "$out" ] && break
    sleep 0.05
done
url=$(sed -n 's/^listening on //p' "$out")
[ -n "$url" ] || { echo "fake provider did not start" >&2; exit 2; }
"$build/bench/provider_throughput" --url "$url" --requests "$requests" \
    --concurrency "$concurrency" --latency-ms "$latency"
