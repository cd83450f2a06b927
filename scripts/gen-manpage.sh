#!/bin/sh
# Write llmassert(1) to stdout: the hand-written sections below around every
# command's own --help, so the page can never drift from the program.
#
#   scripts/gen-manpage.sh ./llmassert VERSION > llmassert.1
set -eu
cli=$1
version=${2:-unknown}

# --help text as roff: a no-fill block; backslashes doubled, and a line that
# starts with "." or "'" protected so it is not read as a request.
roff_block() {
    printf '.nf\n'
    sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
    printf '.fi\n'
}

commands=$("$cli" --help | sed -n '/^commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$commands" ] || { echo "gen-manpage: no commands in '$cli --help'" >&2; exit 1; }

cat <<EOF
.TH LLMASSERT 1 "" "llmassert $version" "User Commands"
.SH NAME
llmassert \\- evaluate LLM features: score outputs, check datasets, run suites, compare versions
.SH SYNOPSIS
.B llmassert
.I COMMAND
.RI [ ARGS ...]
.br
.B llmassert
.I COMMAND
.B \\-\\-help
.br
.B llmassert \\-\\-version
.SH DESCRIPTION
.B llmassert
is the command-line side of the llmassert library. The library puts
assertions about LLM output (semantic similarity, hallucination, an LLM
judge, reference metrics, constraints) inside C unit tests and reports them
as JUnit XML tagged by partition (golden, regression, adversarial,
distribution). The command runs whole datasets through a model and its
metrics, gates a merge on the result, keeps a history of runs, compares a
candidate with a baseline with proper statistics, and measures how far a
metric agrees with people.
.PP
Nothing calls a model service unless a provider is configured (see
.BR ENVIRONMENT );
the offline defaults need no key and no network.
.SH COMMANDS
Each command below is shown with its own
.B \\-\\-help
text.
EOF

for c in $commands; do
    printf '.SS %s\n' "$c"
    "$cli" "$c" --help 2>&1 | roff_block
done

cat <<'EOF'
.SH EXIT STATUS
.TP
.B 0
success: the check passed, the gate passed.
.TP
.B 1
the check failed: a gate, a dataset validation, a regression found by
.BR compare ,
a judge below its minimum agreement in
.BR calibrate .
.TP
.B 2
usage or setup error (a bad flag, an unreadable or invalid file, a missing
provider); the message names the file, line and column where it can.
.TP
.B 3
.B run
stopped early by
.B \-\-budget
or
.BR \-\-max\-cost ;
the gate passed on what finished.
.TP
.BR 130 ", " 143
.B run
interrupted by SIGINT or SIGTERM; every finished result is kept and reported.
.SH ENVIRONMENT
.TP
.B LLMASSERT_CONFIG
the provider configuration file (JSON): roles, keys' variable names, rate
limits, prices, thresholds.
.TP
.BR LLMASSERT_ROLE_PROVIDER ", " LLMASSERT_ROLE_MODEL ", " LLMASSERT_ROLE_BASE_URL ", " LLMASSERT_ROLE_API_KEY_ENV
per role, with ROLE one of SUBJECT (the model under test), JUDGE and
EMBEDDER: provider
.RB ( openai ", " anthropic ", " offline ),
model, base URL of an OpenAI-compatible service, and the name of the variable
that holds the key.
.TP
.BR OPENAI_API_KEY ", " ANTHROPIC_API_KEY
the default key variables. Keys are read only from the environment or the
configuration and are redacted from every message, log, report and cache key.
.TP
.BR LLMASSERT_CACHE ", " LLMASSERT_CACHE_MODE
the response cache file and mode
.RB ( off ", " readwrite ", " replay ", " refresh ).
.TP
.B LLMASSERT_DISTRIBUTION_MIN_RATE
the pass rate the distribution partition needs (default 0.95).
.TP
.BR LLMASSERT_JUDGE_SAMPLES ", " LLMASSERT_JUDGE_TEMPERATURE ", " LLMASSERT_REQUIRE_JUDGE
judge settings: samples per verdict, temperature, and whether a missing
judge is an error rather than a skip.
.TP
.B LLMASSERT_JUDGE_MIN_KAPPA
the weighted kappa below which a judge metric is marked uncalibrated
(default 0.6).
.TP
.BR LLMASSERT_JUNIT ", " LLMASSERT_JUNIT_DIR ", " LLMASSERT_JUNIT_FORMAT
where test programs write their JUnit report, and its form
.RB ( rich " or " strict ).
.TP
.B LLMASSERT_VERBOSE
log timings and provider activity to standard error.
.SH FILES
.TP
.I .llmassert/history.sqlite
the run history
.RB ( run ", " history ", " compare ", " calibrate ).
.TP
.I .llmassert/cache.sqlite
the response cache.
.TP
.IR llmassert-out/results.jsonl ", " junit.xml ", " summary.json
what
.B run
writes by default.
.SH EXAMPLES
Evaluate a suite and gate on the result:
.PP
.RS
.nf
llmassert run evals/support.json
.fi
.RE
.PP
Check datasets and lock the golden set:
.PP
.RS
.nf
llmassert dataset check data/*.json
llmassert dataset lock data/golden.json
.fi
.RE
.PP
Is the candidate worse than the baseline?
.PP
.RS
.nf
llmassert compare \-\-baseline 20261101T090000Z\-3da5ba7b \-\-candidate latest
llmassert compare \-\-baseline base.jsonl \-\-candidate cand.jsonl \-\-json
.fi
.RE
.SH SEE ALSO
The guides installed with the documentation, or in the source tree:
.IR docs/user\-guide.md ,
.IR docs/reference.md ,
.IR docs/runner.md ,
.IR docs/statistics.md ,
.IR docs/providers.md ,
.IR docs/datasets.md .
EOF
