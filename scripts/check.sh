#!/usr/bin/env bash
# Install what is needed, build, and run the whole test suite (make check),
# then prove the release tarball builds and passes too (make distcheck).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" build
cd "$top/build"
make -j"$(nproc)" check
make -j"$(nproc)" distcheck
