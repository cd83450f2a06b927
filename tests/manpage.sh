#!/bin/sh
# llmassert(1) documents every command the program has, and renders without
# a warning when groff is there.
set -eu
build="${top_builddir:-.}"
page="$build/llmassert.1"
[ -s "$page" ] || { echo "FAIL: $page was not generated" >&2; exit 1; }
commands=$("$build/llmassert" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
n=0
for c in $commands; do
    grep -q "^\.SS $c\$" "$page" || { echo "FAIL: no section for '$c' in llmassert.1" >&2; exit 1; }
    n=$((n + 1))
done
[ "$n" -ge 9 ] || { echo "FAIL: only $n commands found in llmassert --help" >&2; exit 1; }
for s in NAME SYNOPSIS DESCRIPTION COMMANDS "EXIT STATUS" ENVIRONMENT FILES EXAMPLES "SEE ALSO"; do
    grep -q "^\.SH $s\$" "$page" || { echo "FAIL: no $s section" >&2; exit 1; }
done
echo "llmassert.1: $n commands, every section"
if command -v groff >/dev/null 2>&1; then
    warnings=$(groff -man -Tutf8 -ww "$page" 2>&1 >/dev/null)
    [ -z "$warnings" ] || { echo "FAIL: groff warns: $warnings" >&2; exit 1; }
    echo "llmassert.1: renders without warnings"
fi
