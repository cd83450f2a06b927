#!/usr/bin/env bash
# One command: `llmassert run` against promptfoo 0.121.20 on the same workload,
# the same fake provider (bench/eval_server on 127.0.0.1), the same latency and
# concurrency. Each of N cases is one model call and three checks: contains,
# embedding similarity (two texts embedded) and a judge rubric (one chat
# request). promptfoo sends each text to embed in its own request, 4 requests
# per case; llmassert, with its cache off, sends both in one, 3 per case.
# Both must embed the same texts and ask the model and the judge as often.
#
# For each tool and setting it prints wall time, CPU time (user+sys of the
# process tree), peak memory (max RSS, GNU time), the requests the server
# counted, the latency floor (requests / concurrency x latency), pass/fail
# counts (both tools must agree with each other and with the data), and the
# ratios against the targets: wall <= 1.05x floor (llmassert), promptfoo CPU /
# llmassert CPU >= 50, promptfoo RSS / llmassert RSS >= 20.
#
# A third row, libcurl, is bench/http_floor: llmassert's requests sent by
# libcurl's easy interface from C threads with nothing else (no parsing, no
# evaluation, no files). Its CPU is the least any runner on libcurl spends
# here, so promptfoo's CPU over it ("CPU ceiling") is the best ratio such a
# runner can reach on this machine.
#
# Usage: bench/runner_vs_promptfoo.sh [OPTIONS]
#   --quick             N = 1000 only (default: 1000 and 5000)
#   --n LIST            case counts, comma-separated (e.g. 1000,5000)
#   --concurrency LIST  default 16,64
#   --latency LIST      milliseconds per request, default 50,0
#   --tools LIST        llmassert,libcurl,promptfoo (default all three)
#   --runs K            run each tool K times per setting, the tools taking
#                       turns, and compare medians (default 1). Both tools vary
#                       from run to run (promptfoo's peak memory by up to half
#                       on this kind of machine), so one run of each can flatter
#                       either; the table then also gives each figure's range.
# Env: BUILD_DIR   the llmassert build (default: build; built if needed)
#      PROMPTFOO_DIR where promptfoo is installed on first use (npm, ~1.4 GB):
#                  default ${XDG_CACHE_HOME:-~/.cache}/llmassert-bench/promptfoo-0.121.20
#      KEEP=1      keep the work directory (printed)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$top/build}
pf_version=0.121.20
pf_dir=${PROMPTFOO_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/llmassert-bench/promptfoo-$pf_version}
ns=1000,5000
concs=16,64
lats=50,0
tools=llmassert,libcurl,promptfoo
runs=1
while [ $# -gt 0 ]; do
    case $1 in
    --quick) ns=1000 ;;
    --n) ns=$2; shift ;;
    --concurrency) concs=$2; shift ;;
    --latency) lats=$2; shift ;;
    --tools) tools=$2; shift ;;
    --runs) runs=$2; shift ;;
    -h | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "runner_vs_promptfoo.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done
IFS=, read -ra ns <<<"$ns"
IFS=, read -ra concs <<<"$concs"
IFS=, read -ra lats <<<"$lats"
IFS=, read -ra tools <<<"$tools"
case $runs in '' | *[!0-9]* | 0) echo "runner_vs_promptfoo.sh: --runs wants a count >= 1, not '$runs'" >&2; exit 2 ;; esac

timer=/usr/bin/time
[ -x "$timer" ] || { echo "needs GNU time (Debian: apt-get install time)" >&2; exit 2; }

# ---- the tools ----
[ -f "$build/Makefile" ] || "$top/scripts/build.sh" "$(basename "$build")" >/dev/null
make -C "$build" -s -j2 llmassert bench/eval_server bench/http_floor >/dev/null
llmassert=$build/llmassert
server=$build/bench/eval_server
http_floor=$build/bench/http_floor
case ",${tools[*]}," in *promptfoo*) want_pf=1 ;; *) want_pf=0 ;; esac
promptfoo=$pf_dir/node_modules/.bin/promptfoo
if [ $want_pf = 1 ] && ! [ -x "$promptfoo" ]; then
    echo "installing promptfoo@$pf_version into $pf_dir (once; ~1.4 GB)..." >&2
    mkdir -p "$pf_dir"
    [ -f "$pf_dir/package.json" ] || echo '{"name":"llmassert-bench-promptfoo","private":true}' \
        >"$pf_dir/package.json"
    (cd "$pf_dir" && npm install --no-audit --no-fund --loglevel=error "promptfoo@$pf_version") >&2
fi
# No telemetry, update checks, sharing or log files; no key of anybody's.
export PROMPTFOO_DISABLE_TELEMETRY=1 PROMPTFOO_DISABLE_UPDATE=1 PROMPTFOO_DISABLE_SHARING=1 \
    PROMPTFOO_DISABLE_DEBUG_LOG=1 PROMPTFOO_DISABLE_ERROR_LOG=1 \
    PROMPTFOO_DISABLE_REMOTE_GENERATION=1 OPENAI_API_KEY=bench-dummy-key
unset OPENAI_BASE_URL OPENAI_API_BASE_URL LLMASSERT_CONFIG
if [ $want_pf = 1 ]; then
    pf_ver=$("$promptfoo" --version 2>/dev/null | tail -1) # also warms the page cache
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/runner_vs_promptfoo.XXXXXX")
spid=
cleanup() {
    [ -n "$spid" ] && kill "$spid" 2>/dev/null && wait "$spid" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "work directory kept: $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

start_server() { # LATENCY_MS LOG
    "$server" --latency "$1" >"$2" 2>&1 &
    spid=$!
    for _ in $(seq 100); do
        grep -q '^listening on ' "$2" && break
        sleep 0.05
    done
    url=$(sed -n 's/^listening on //p' "$2")
    [ -n "$url" ] || { echo "eval_server did not start: $(cat "$2")" >&2; exit 2; }
}
# Not in a $(...) subshell: there the server is no child, `wait` returns at
# once, and the log was read before the server had written its counters.
stop_server() { # LOG -> the counters line in $counts
    kill "$spid"
    wait "$spid" || true
    spid=
    counts=$(grep '^requests=' "$1")
}
# A counter, or "-" when missing, so that the line keeps its columns.
kv() {
    local v
    v=$(sed -n "s/.*\\b$1=\\([0-9]*\\).*/\\1/p" <<<"$2")
    echo "${v:--}"
}

# One run: TOOL N C LAT RUN -> a line "tool n c lat wall user sys rss_kb requests subject judge
# embeddings pass fail errors expected_pass expected_fail judge_fail embedded_texts"
run_one() {
    local tool=$1 n=$2 c=$3 lat=$4 dir="$work/$1-$2-$3-$4-$5"
    mkdir -p "$dir"
    start_server "$lat" "$dir/server.log"
    local expect
    expect=$(python3 "$top/bench/runner_vs_promptfoo_data.py" "$dir" "$n" "$c" "$url")
    local rc=0 pass=- fail=- errs=-
    if [ "$tool" = llmassert ]; then
        (cd "$dir" && "$timer" -o time.txt -f '%e %U %S %M' "$llmassert" run -q -j "$c" \
            --cache off suite.json >stdout.txt 2>stderr.txt) || rc=$?
        if [ -s "$dir/llmassert-out/summary.json" ]; then
            read -r pass fail errs < <(python3 -c 'import json,sys
t=json.load(open(sys.argv[1]))["totals"]; print(t["passed"], t["failed"], t["errors"])' \
                "$dir/llmassert-out/summary.json")
        fi
        [ $rc = 0 ] || [ $rc = 1 ] || echo "llmassert exited with $rc: $(tail -3 "$dir/stderr.txt")" >&2
    elif [ "$tool" = libcurl ]; then
        (cd "$dir" && "$timer" -o time.txt -f '%e %U %S %M' "$http_floor" "$url" cases.jsonl "$c" \
            >stdout.txt 2>stderr.txt) || rc=$?
        [ $rc = 0 ] || echo "http_floor exited with $rc: $(tail -3 "$dir/stderr.txt")" >&2
    else
        mkdir -p "$dir/pfhome"
        (cd "$dir" && PROMPTFOO_CONFIG_DIR="$dir/pfhome" "$timer" -o time.txt -f '%e %U %S %M' \
            "$promptfoo" eval -c promptfooconfig.json --no-cache -j "$c" --no-table \
            --no-progress-bar >stdout.txt 2>stderr.txt) || rc=$?
        # "✓ 3,506 passed (70.12%)", "✗ 1,494 failed", "0 errors"
        pass=$(tr -d , <"$dir/stdout.txt" | sed -n 's/.*✓ \([0-9]*\) passed.*/\1/p')
        fail=$(tr -d , <"$dir/stdout.txt" | sed -n 's/.*✗ \([0-9]*\) failed.*/\1/p')
        errs=$(tr -d , <"$dir/stdout.txt" | sed -n 's/^ *\([0-9]*\) errors.*/\1/p')
        [ $rc = 0 ] || [ $rc = 100 ] || echo "promptfoo exited with $rc: $(tail -3 "$dir/stderr.txt")" >&2
    fi
    local counts
    stop_server "$dir/server.log"
    echo "$tool $n $c $lat $(tail -1 "$dir/time.txt") $(kv requests "$counts") $(kv subject "$counts")" \
        "$(kv judge "$counts") $(kv embeddings "$counts") ${pass:--} ${fail:--} ${errs:--}" \
        "$(kv pass "$expect") $(kv fail "$expect") $(kv judge_fail "$counts")" \
        "$(kv embedded_texts "$counts")"
}

echo "llmassert run vs promptfoo ${pf_ver:-(not run)}: N cases x (1 model call + contains +"
echo "similarity + judge rubric), fake provider on loopback; $(nproc) CPUs; $(uptime | sed 's/^ *//')"
[ "$runs" = 1 ] || echo "each tool run $runs times per setting, taking turns; figures are medians [min-max]"
echo
results=()
for n in "${ns[@]}"; do
    for c in "${concs[@]}"; do
        for lat in "${lats[@]}"; do
            for run in $(seq "$runs"); do
                for tool in "${tools[@]}"; do
                    line=$(run_one "$tool" "$n" "$c" "$lat" "$run")
                    results+=("$line")
                    printf '  done: %s\n' "$line" >&2
                done
            done
        done
    done
done

printf '%s\n' "${results[@]}" | awk -v load="$(uptime | sed 's/.*load average: //')" '
# Several runs of a tool in one setting: each figure is kept, the table gives
# their median (and range); a verdict or request count must hold in every run.
function median(v, m,    i, j, t, a) {
    for (i = 1; i <= m; i++) a[i] = v[i]
    for (i = 2; i <= m; i++)
        for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
    return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function figure(what, k, tool, fmt,    i, m, v, lo, hi) {
    m = runs[k, tool]
    for (i = 1; i <= m; i++) {
        v[i] = what == "wall" ? wall[k, tool, i] : what == "cpu" ? cpu[k, tool, i] : rss[k, tool, i]
        if (i == 1 || v[i] < lo) lo = v[i]
        if (i == 1 || v[i] > hi) hi = v[i]
    }
    med[what, k, tool] = median(v, m) # the ratios below use these
    if (m == 1) return sprintf(fmt, v[1])
    return sprintf(fmt " [" fmt "-" fmt "]", med[what, k, tool], lo, hi)
}
{
    tool = $1; key = $2 " " $3 " " $4
    if (!(key in seen)) { seen[key] = 1; keys[++nk] = key }
    n[key] = $2; c[key] = $3; lat[key] = $4
    r = ++runs[key, tool]
    wall[key, tool, r] = $5; cpu[key, tool, r] = $6 + $7; rss[key, tool, r] = $8 / 1024
    if ((r > 1 && ($9 != req[key, tool] || $18 != jfail[key, tool] || $19 != texts[key, tool] ||
                   $13 != pass[key, tool] ||
                   $14 != fail[key, tool] || $15 != err[key, tool])) || $9 == "-")
        unsteady[key, tool] = 1
    # A run without the server counters keeps the counts of the others.
    if ($9 != "-" || !((key, tool) in req)) {
        req[key, tool] = $9; subj[key, tool] = $10; judge[key, tool] = $11; emb[key, tool] = $12
        texts[key, tool] = $19
    }
    pass[key, tool] = $13; fail[key, tool] = $14; err[key, tool] = $15
    xpass[key] = $16; xfail[key] = $17; jfail[key, tool] = $18
    has[key, tool] = 1
}
END {
    order[1] = "llmassert"; order[2] = "libcurl"; order[3] = "promptfoo"
    wide = 0
    for (i = 1; i <= nk; i++)
        for (t = 1; t <= 3; t++)
            if (runs[keys[i], order[t]] > 1) wide = 1
    ws = wide ? 20 : 8; ps = wide ? 22 : 9
    printf "%-17s %-9s %" ws "s %8s %7s %" ws "s %" ps "s %14s %12s\n", "N / conc / lat", "tool",
           "wall s", "floor s", "w/floor", "CPU s", "peak MB", "requests", "pass/fail/err"
    for (i = 1; i <= nk; i++) {
        k = keys[i]
        label = sprintf("%d / %d / %d ms", n[k], c[k], lat[k])
        for (t = 1; t <= 3; t++) {
            tool = order[t]
            if (!has[k, tool]) continue
            floor = req[k, tool] / c[k] * lat[k] / 1000
            fw = figure("wall", k, tool, "%.2f"); fc = figure("cpu", k, tool, "%.2f")
            fr = figure("rss", k, tool, "%.1f")
            printf "%-17s %-9s %" ws "s %8.2f %7s %" ws "s %" ps "s %14s %12s\n", label, tool,
                   fw, floor, (floor > 0 ? sprintf("%.3f", med["wall", k, tool] / floor) : "-"),
                   fc, fr,
                   sprintf("%d=%d+%d+%d", req[k, tool], subj[k, tool], judge[k, tool], emb[k, tool]),
                   pass[k, tool] "/" fail[k, tool] "/" err[k, tool] (unsteady[k, tool] ? " VARIED" : "")
            label = ""
        }
    }
    print ""
    print "requests = model + judge + embeddings requests, as counted by the fake server"
    print "(each tool embeds 2 texts per case: promptfoo one per request, llmassert both in"
    print "one); floor = requests / concurrency x latency; CPU = user + sys of the tool and"
    print "its children; peak MB = max RSS of the largest process (GNU time); libcurl = the"
    print "requests llmassert sends and nothing else (bench/http_floor): no evaluation."
    print ""
    printf "%-17s %11s %11s %11s %11s %9s %s\n", "N / conc / lat", "wall/floor", "CPU ratio",
           "CPU ceiling", "RSS ratio", "verdicts",
           "(targets: llmassert wall/floor <= 1.05, CPU ratio >= 50, RSS ratio >= 20)"
    met_w = met_c = met_r = tot_w = tot_c = 0; same_all = 1
    for (i = 1; i <= nk; i++) {
        k = keys[i]
        a = "llmassert"; p = "promptfoo"
        floor = has[k, a] ? req[k, a] / c[k] * lat[k] / 1000 : 0
        wf = floor > 0 ? med["wall", k, a] / floor : -1
        if (wf >= 0) { tot_w++; if (wf <= 1.05) met_w++ }
        both = has[k, a] && has[k, p]
        cr = both && med["cpu", k, a] > 0 ? med["cpu", k, p] / med["cpu", k, a] : -1
        rr = both && med["rss", k, a] > 0 ? med["rss", k, p] / med["rss", k, a] : -1
        if (both) { tot_c++; if (cr >= 50) met_c++; if (rr >= 20) met_r++ }
        # promptfoo CPU over the CPU of libcurl alone making the same requests
        ceil = has[k, "libcurl"] && has[k, p] && med["cpu", k, "libcurl"] > 0 ? med["cpu", k, p] / med["cpu", k, "libcurl"] : -1
        same = 1
        for (t = 1; t <= 2; t++) {
            tool = t == 1 ? a : p
            if (has[k, tool] && (pass[k, tool] != xpass[k] || fail[k, tool] != xfail[k] || err[k, tool] != 0))
                same = 0
        }
        # Equal work: the model and the judge asked as often, the same texts
        # embedded (in however many requests), the same judge verdicts.
        if (both && (subj[k, a] != subj[k, p] || judge[k, a] != judge[k, p] ||
                     texts[k, a] != texts[k, p] || jfail[k, a] != jfail[k, p])) same = 0
        if (unsteady[k, a] || unsteady[k, p]) same = 0
        if (has[k, "libcurl"] && (req[k, "libcurl"] != 3 * n[k] || texts[k, "libcurl"] != 2 * n[k] ||
                                  unsteady[k, "libcurl"])) same = 0
        if (!same) same_all = 0
        printf "%-17s %11s %11s %11s %11s %9s\n", sprintf("%d / %d / %d ms", n[k], c[k], lat[k]),
               (wf >= 0 ? sprintf("%.3fx", wf) : "-"), (cr >= 0 ? sprintf("%.1fx", cr) : "-"),
               (ceil >= 0 ? sprintf("%.1fx", ceil) : "-"), (rr >= 0 ? sprintf("%.1fx", rr) : "-"),
               (same ? "same" : "DIFFER")
    }
    print ""
    printf "verdicts: %s (pass/fail as the data says, no errors%s)\n",
           (same_all ? "both tools agree" : "NOT the same"),
           (tot_c ? "; the same model and judge calls and texts embedded" : "")
    if (tot_w) printf "wall <= 1.05x floor: %d of %d settings with latency\n", met_w, tot_w
    if (tot_c) printf "CPU >= 50x less: %d of %d; peak memory >= 20x less: %d of %d\n", met_c, tot_c, met_r, tot_c
    if (tot_c && has[keys[1], "libcurl"])
        print "CPU ceiling = promptfoo CPU / libcurl CPU: the best CPU ratio a runner on libcurl can reach here"
    printf "load average at the end: %s\n", load
}'
