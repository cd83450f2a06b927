#!/usr/bin/env bash
# Load and validate a 100,000-example JSONL dataset; print time and peak memory
# next to a Python reference (json.loads per line into objects, as the lesson's
# EvalDataset does) and the targets: under 1 s, under 2x the file's size.
#
# Usage: bench/dataset_load.sh [N]      (default 100000 examples)
# Env:   BUILD_DIR (default build-bench: an optimised build without sanitizers)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
n=${1:-100000}
build=${BUILD_DIR:-$top/build-bench}
log="$build.log"
if ! { "$top/scripts/build.sh" "$build" && make -C "$build" -s bench/dataset_load; } >"$log" 2>&1; then
    echo "build failed; see $log" >&2
    exit 2
fi
prog="$build/bench/dataset_load"
data="$build/bench-data/dataset_$n.jsonl"
mkdir -p "$(dirname "$data")"
[ -s "$data" ] || "$prog" gen "$data" "$n"

results=()
for mode in load stream check; do
    results+=("$("$prog" "$mode" "$data")")
done
ref=""
py=/usr/bin/python3
if [ -x "$py" ]; then
    ref=$("$py" "$top/bench/dataset_load_ref.py" "$data")
fi

awk -v ref="$ref" '
function mb(kib) { return kib / 1024 }
{
    mode[NR] = $1; ex[NR] = $2; t[NR] = $3; kib[NR] = $4; size = $5; probs[NR] = $6
}
END {
    printf "dataset load benchmark: %d examples, JSONL of %.1f MB\n\n", ex[1], size / 1048576
    printf "%-34s %9s %12s %10s\n", "", "time", "peak RSS", "RSS/file"
    label["load"] = "llmassert load (validate, keep all)"
    label["stream"] = "llmassert stream (validate only)"
    label["check"] = "llmassert dataset check"
    for (i = 1; i <= NR; i++)
        printf "%-34s %7.3f s %9.1f MB %9.2fx%s\n", label[mode[i]], t[i], mb(kib[i]),
               kib[i] * 1024 / size,
               (probs[i] > 0 ? sprintf("   (%d near-duplicates in the data)", probs[i]) : "")
    if (ref != "") {
        split(ref, r, " ")
        printf "%-34s %7.3f s %9.1f MB %9.2fx\n", "python json reference", r[3], mb(r[4]),
               r[4] * 1024 / size
    }
    printf "%-34s %7s   %9s    %8s\n", "target (load)", "< 1 s", sprintf("< %.1f MB", 2 * size / 1048576), "< 2.00x"
    ok = (t[1] < 1.0 && kib[1] * 1024 < 2 * size)
    printf "\nload target: %s\n", ok ? "met" : "NOT met"
}' <<<"$(printf '%s\n' "${results[@]}")"
