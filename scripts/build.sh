#!/usr/bin/env bash
# Configure (once) and build llmassert in a build directory.
# Usage: scripts/build.sh [BUILD_DIR [CONFIGURE_ARGS...]]   (default: build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
shift || true
cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || autoreconf -fi
mkdir -p "$dir"
cd "$dir"
want="$*"
if [ ! -f config.status ] || [ "$(cat .configure-args 2>/dev/null)" != "$want" ]; then
    "$top/configure" "$@"
    printf '%s' "$want" > .configure-args
fi
make -j"$(nproc)"
