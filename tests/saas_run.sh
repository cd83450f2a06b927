#!/bin/sh
# The SaaS example's suite file through `llmassert run`, offline: the gate
# passes as shipped, and each planted bug fails it, naming the golden and
# regression cases it breaks. The JUnit report stays well-formed either way.
set -eu
src="$(cd "${top_srcdir:-.}" && pwd)/examples/saas-support"
build=$(cd "${top_builddir:-.}" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/llmassert-saas-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
# Run from the scratch directory: nothing may be left in the build tree.
cd "$work"
# Offline defaults whatever the caller's environment holds.
unset LLMASSERT_CONFIG OPENAI_API_KEY ANTHROPIC_API_KEY SAAS_BUG 2>/dev/null || true
PATH="$build/examples/saas-support:$PATH"
export PATH

run() { # run NAME [VAR=VALUE]: exit status in $status, summary in $work/NAME.txt
    name=$1; shift
    status=0
    env "$@" "$build/llmassert" run -q --no-history --cache off -o "$work/$name" "$src/suite.json" \
        >"$work/$name.txt" 2>"$work/$name.err" || status=$?
    if [ -n "${XMLLINT:-}" ] && [ "$XMLLINT" != ":" ]; then
        "$XMLLINT" --noout "$work/$name/junit.xml"
    fi
    results=$(grep -c '^{"record":"result"' "$work/$name/results.jsonl" || true)
    [ "$results" -eq 250 ] || { echo "$name: $results results in results.jsonl, want 250" >&2; exit 1; }
}
fail() { echo "FAIL: $*" >&2; cat "$work/$name.txt" "$work/$name.err" >&2; exit 1; }

run shipped
[ "$status" -eq 0 ] || fail "shipped: exit status $status, want 0"
grep -q '^gate: PASS' "$work/shipped.txt" || fail "shipped: no gate: PASS"
grep -q '^note: judge_answer skipped 7 times (no judge model configured' "$work/shipped.txt" ||
    fail "shipped: the skipped judge is not counted"
echo "shipped: gate passes, judge skips counted"

run refund SAAS_BUG=refund-window
[ "$status" -eq 1 ] || fail "refund-window: exit status $status, want 1"
grep -q '^gate: FAIL (golden, regression' "$work/refund.txt" || fail "refund-window: gate"
grep -q '^  golden  *golden-cancellation: hallucination' "$work/refund.txt" ||
    fail "refund-window: golden-cancellation not named"
grep -q '^  regression  *regression-refund-window: hallucination' "$work/refund.txt" ||
    fail "refund-window: regression-refund-window not named"
grep -q 'classname="orbit-boards-support.golden"[^>]*>' "$work/refund/junit.xml" ||
    fail "refund-window: no golden testsuite classname in the JUnit report"
echo "refund-window: gate fails on golden-cancellation and regression-refund-window"

run holiday SAAS_BUG=holiday
[ "$status" -eq 1 ] || fail "holiday: exit status $status, want 1"
grep -q '^  golden  *golden-pricing: support_rules' "$work/holiday.txt" ||
    fail "holiday: golden-pricing not failed on the support rules"
echo "holiday: gate fails on the support rules"
