/* Internal: fast number formatting for report output, where printf's float
 * formatting dominated the cost of writing 100,000 test cases. */
#ifndef LLM_CORE_NUMFMT_H
#define LLM_CORE_NUMFMT_H

#include <stddef.h>

/* Like "%.{sig}g" (1 <= sig <= 15): at most sig significant digits, trailing
 * zeros dropped, plain notation for 1e-5 <= |v| < 1e15 and printf's otherwise
 * (also for NaN and infinities). Rounds half away from zero on the decimal
 * value, which can differ from printf's exact-binary rounding in the last
 * digit of ties; it is for display. out needs 32 bytes. Returns the length. */
size_t llm_fmt_g(char *out, double v, int sig);

/* The shortest "%.{15,16,17}g" that reads back as exactly v: Python's
 * repr() digits, so results compare digit for digit with Python tools.
 * out needs 32 bytes. Returns the length. */
size_t llm_fmt_shortest(char *out, double v);

/* Like "%lld": an integer in decimal, without printf's cost. out needs 21
 * bytes. Returns the length. */
size_t llm_fmt_int(char *out, long long v);

/* Like "%.3f" for 0 <= v < 1e12 (seconds in reports), printf's otherwise,
 * and "%.3e" when "%.3f" would not fit in 32 bytes. out needs 32 bytes.
 * Returns the length. */
size_t llm_fmt_fixed3(char *out, double v);

#endif
