#!/usr/bin/env bash
# Benchmark: JUnit report of 100,000 recorded cases (target: < 1 s, < 64 MB).
# Usage: bench/junit_report.sh [BUILD_DIR]   (default: build; built if needed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
[ -f "$build/Makefile" ] || "$top/scripts/build.sh" "$(basename "$build")"
make -C "$build" -s bench/junit_report
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/junit_report" 100000 "$tmp/report.xml" 2>&1 </dev/null | cat
echo "  report size: $(du -h "$tmp/report.xml" | cut -f1)"
