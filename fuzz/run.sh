#!/usr/bin/env bash
# Run the libFuzzer targets, each for FUZZ_SECONDS (default 60), in a build
# directory configured with clang and --enable-fuzzing (made on first use).
#
#   fuzz/run.sh                       every target, 60 s each
#   FUZZ_SECONDS=600 fuzz/run.sh      ten minutes each
#   FUZZ_TARGETS="config spool" fuzz/run.sh
#   FUZZ_JOBS=2 fuzz/run.sh           two targets at a time
#
# Inputs that found new coverage go to BUILD/fuzz-corpus/NAME (kept between
# runs; the seeds in fuzz/corpus/NAME are only read). A finding stops its
# target and is saved as BUILD/fuzz-findings/NAME-crash-... ; reproduce it
# with BUILD/fuzz/fuzz_NAME FILE (or replay_NAME FILE in a gcc build), fix
# it, and add the file to fuzz/corpus/NAME/ as a regression input. The
# script prints the executions per target and exits 1 if any target found
# something. Environment: FUZZ_BUILD_DIR (default build-fuzz beside the
# sources), CC (default clang), FUZZ_MAX_LEN (default 8192 bytes).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${FUZZ_BUILD_DIR:-$top/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
max_len=${FUZZ_MAX_LEN:-8192}
all="dataset_json dataset_jsonl config judge_response hallucination_response openai_response
anthropic_response junit_text normalize_metrics constraints_file spool suite results"
targets=${FUZZ_TARGETS:-$all}
[ -n "${targets// /}" ] || targets=$all

cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] && [ configure -nt Makefile.am ] || autoreconf -fi
mkdir -p "$build"
want="CC=${CC:-clang} --enable-fuzzing --disable-shared"
if [ ! -f "$build/config.status" ] || [ "$(cat "$build/.configure-args" 2>/dev/null)" != "$want" ]; then
    (cd "$build" && "$top/configure" CC="${CC:-clang}" --enable-fuzzing --disable-shared >configure.log) ||
        { tail -n 20 "$build/configure.log"; exit 2; }
    printf '%s' "$want" >"$build/.configure-args"
fi
progs=""
for t in $targets; do progs="$progs fuzz/fuzz_$t"; done
make -C "$build" -j"$(nproc)" $progs >"$build/fuzz-build.log" 2>&1 ||
    { tail -n 40 "$build/fuzz-build.log"; exit 2; }

mkdir -p "$build/fuzz-findings" "$build/fuzz-logs"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

run_one() {
    local t=$1 dict=() log="$build/fuzz-logs/$1.log"
    mkdir -p "$build/fuzz-corpus/$t"
    case $t in
    dataset_*|config|*_response|constraints_file|suite|results) dict=(-dict="$top/fuzz/json.dict") ;;
    esac
    local rc=0
    "$build/fuzz/fuzz_$t" "$build/fuzz-corpus/$t" "$top/fuzz/corpus/$t" "${dict[@]}" \
        -max_total_time="$seconds" -max_len="$max_len" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/fuzz-findings/$t-" >"$log" 2>&1 || rc=$?
    local execs
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$rc" -eq 0 ]; then
        printf 'fuzz %-24s ok       %10s executions in %ss\n' "$t" "${execs:-?}" "$seconds"
    else
        printf 'fuzz %-24s FINDING  %10s executions; log %s\n' "$t" "${execs:-?}" "$log"
        grep -E 'ERROR|SUMMARY|property does not hold|runtime error|Test unit written' "$log" |
            head -n 8 | sed 's/^/    /'
    fi
    return "$rc"
}

failed=0
if [ "$jobs" -le 1 ]; then
    for t in $targets; do run_one "$t" || failed=1; done
else
    pids=()
    for t in $targets; do
        while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || failed=1; done
        run_one "$t" &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || failed=1; done
fi
if [ "$failed" -ne 0 ]; then
    echo "fuzz: findings in $build/fuzz-findings" >&2
    exit 1
fi
echo "fuzz: no finding"
