#!/bin/sh
# Run one test program under valgrind's memcheck (the LOG_COMPILER of
# `make check-valgrind`). Any memory error or definite leak, in the test or in
# a program it starts (Check forks each test; tests run fixtures and the CLI),
# makes that process exit 99, which fails the test.
#
# Not followed: the system's programs (/usr, /bin: the shell, cat, sleep,
# Python for junitparser, xmllint), which tests use as fixtures or to read
# reports; every program built here is followed. Suppressions (scripts/valgrind.supp) cover third-party
# libraries only, each with its reason.
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
# A test script is run as it is (its interpreter is not what is under test).
if [ "$(head -c 2 "$1" 2>/dev/null)" = "#!" ]; then
    exec "$@"
fi
# Everything runs 20-50 times slower: let Check's per-test timeouts grow too.
# Timing tests keep only their lower bounds (tests/support/testutil.h).
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-20}
LLMASSERT_TEST_SLOW=1
export CK_TIMEOUT_MULTIPLIER LLMASSERT_TEST_SLOW
exec valgrind --tool=memcheck --quiet \
    --leak-check=full --show-leak-kinds=definite --errors-for-leak-kinds=definite \
    --error-exitcode=99 --track-origins=no --num-callers=30 \
    --trace-children=yes \
    --trace-children-skip='/usr/*,/bin/*,*/python3*,*/xmllint,*/sh,*/bash,*/env' \
    --suppressions="$top/scripts/valgrind.supp" \
    "$@"
