#!/bin/sh
# Every SQL panel of docs/dashboard.md runs against a real history: the SaaS
# example evaluated as shipped, then with the refund-window bug. The figures
# must move the way the bug says (hallucinations up, golden pass rate down),
# and the hallucination alert fires only after the bad run.
set -eu
top=$(cd "${top_srcdir:-.}" && pwd)
build=$(cd "${top_builddir:-.}" && pwd)
py="${PYTHON3_SYSTEM:-/usr/bin/python3}"
work=$(mktemp -d "${TMPDIR:-/tmp}/llmassert-dashboard.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Run from the scratch directory: nothing may be left in the build tree.
cd "$work"
unset LLMASSERT_CONFIG OPENAI_API_KEY ANTHROPIC_API_KEY SAAS_BUG 2>/dev/null || true
PATH="$build/examples/saas-support:$PATH"
export PATH
db="$work/history.sqlite"
run() {
    status=0
    env "$@" "$build/llmassert" run -q --cache off --history "$db" -o "$work/out" \
        "$top/examples/saas-support/suite.json" >"$work/run.txt" 2>&1 || status=$?
}
query() { # query STAGE: run every panel, check the figures of STAGE
    "$py" - "$top/docs/dashboard.md" "$db" "$1" <<'PY'
import re, sqlite3, sys
doc, db, stage = sys.argv[1:4]
blocks = re.findall(r"```sql\n(.*?)```", open(doc).read(), re.S)
panels = {}
for b in blocks:
    m = re.match(r"-- panel: (\w+)\n", b)
    assert m, "a SQL block of dashboard.md has no '-- panel: NAME' line"
    panels[m.group(1)] = b
want = {"pass_rate_by_partition", "hallucination_rate", "judge_mean_p10",
        "constraint_violations", "latency", "errors_and_cost", "alert_hallucination_rate"}
assert set(panels) == want, sorted(set(panels) ^ want)
con = sqlite3.connect(db)
con.row_factory = sqlite3.Row
# The SaaS suite's metric names; offline the judge is skipped, so the
# percentile panel is exercised on the similarity scores.
params = {"suite": "orbit-boards-support", "hallucination_metric": "hallucination",
          "judge_metric": "semantic", "constraint_metric": "support_rules"}
rows = {name: [dict(r) for r in con.execute(sql, params)] for name, sql in panels.items()}
runs = 1 if stage == "shipped" else 2
def series(name, key):
    return [r[key] for r in rows[name]]
prs = rows["pass_rate_by_partition"]
assert len(prs) == 4 * runs, prs
golden = [r["pass_rate"] for r in prs if r["partition"] == "golden"]
assert golden[0] == 1.0, golden
hall = series("hallucination_rate", "hallucination_rate")
assert len(hall) == runs and hall[0] == 0.0, hall
for r in rows["judge_mean_p10"]:
    assert r["judged"] > 200 and 0 < r["judge_p10"] <= r["judge_mean"] <= 1, r
for r in rows["latency"]:
    assert 0 < r["p50_ms"] <= r["p95_ms"], r
assert len(rows["constraint_violations"]) == runs and len(rows["errors_and_cost"]) == runs
fired = rows["alert_hallucination_rate"]
if stage == "shipped":
    assert not fired, fired
else:
    assert golden[1] == 0.8, golden
    assert hall[1] > 0.02, hall
    assert len(fired) == 1 and fired[0]["checked"] >= 50, fired
print("%s: %d panels ran; golden pass rate %s, hallucination rate %s, alert %s"
      % (stage, len(panels), golden, ["%.3f" % h for h in hall], "fired" if fired else "quiet"))
PY
}
run
[ "$status" -eq 0 ] || { cat "$work/run.txt" >&2; echo "FAIL: shipped run exited $status" >&2; exit 1; }
query shipped
sleep 1 # the second run starts in a later second: the panels order by start time
run SAAS_BUG=refund-window
[ "$status" -eq 1 ] || { cat "$work/run.txt" >&2; echo "FAIL: bug run exited $status" >&2; exit 1; }
query bug
