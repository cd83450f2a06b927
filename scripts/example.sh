#!/usr/bin/env bash
# The main job: install what is needed, build, and run the example evaluation
# with offline defaults (no API key, no network).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" build
cd "$top/build"
make -j"$(nproc)" examples/quickstart/check_support
srcdir="$top" exec examples/quickstart/check_support
