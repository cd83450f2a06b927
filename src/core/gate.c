#include "core/gate.h"

#include "core/error.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double llm_gate_pass_rate(const llm_partition_stats *s)
{
    size_t judged = s->passed + s->failed + s->errors;
    return judged ? (double)s->passed / (double)judged : NAN;
}

void llm_gate_evaluate(const llm_report *r, double min_rate, llm_gate_result *out)
{
    memset(out, 0, sizeof *out);
    out->distribution_min_rate = min_rate;
    for (size_t i = 0; i < r->n_cases; i++) {
        const llm_report_case *c = r->cases[i];
        llm_partition_stats *s = &out->partitions[c->partition];
        s->cases++;
        switch (c->outcome) {
        case LLM_OUTCOME_PASS: s->passed++; break;
        case LLM_OUTCOME_FAIL: s->failed++; break;
        case LLM_OUTCOME_ERROR: s->errors++; break;
        case LLM_OUTCOME_SKIP: s->skipped++; break;
        }
    }
    out->passed = 1;
    for (int p = 0; p < LLM_PARTITION_COUNT; p++) {
        const llm_partition_stats *s = &out->partitions[p];
        int ok;
        if (p == LLM_PARTITION_DISTRIBUTION) {
            double rate = llm_gate_pass_rate(s);
            /* Compare with a little slack for rates like 0.95 = 19/20 that
             * are not exact in binary floating point. */
            ok = isnan(rate) || rate + 1e-12 >= min_rate;
        } else {
            ok = s->failed == 0 && s->errors == 0;
        }
        out->partition_passed[p] = ok;
        out->passed &= ok;
    }
}

void llm_gate_print(FILE *out, const llm_gate_result *g, const char *report_path)
{
    static const int order[] = {LLM_PARTITION_GOLDEN, LLM_PARTITION_REGRESSION,
                                LLM_PARTITION_ADVERSARIAL, LLM_PARTITION_DISTRIBUTION,
                                LLM_PARTITION_NONE};
    fprintf(out, "\n%-14s %7s %7s %7s %7s %7s %10s  %s\n", "partition", "cases", "passed",
            "failed", "errors", "skipped", "pass rate", "gate");
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        int p = order[k];
        const llm_partition_stats *s = &g->partitions[p];
        if (!s->cases)
            continue;
        char rate[16], need[32];
        double r = llm_gate_pass_rate(s);
        if (isnan(r))
            snprintf(rate, sizeof rate, "n/a");
        else
            snprintf(rate, sizeof rate, "%.1f%%", 100.0 * r);
        if (p == LLM_PARTITION_DISTRIBUTION)
            snprintf(need, sizeof need, "needs >= %.1f%%", 100.0 * g->distribution_min_rate);
        else
            snprintf(need, sizeof need, "needs 100%%");
        fprintf(out, "%-14s %7zu %7zu %7zu %7zu %7zu %10s  %s (%s)\n",
                p == LLM_PARTITION_NONE ? "(undeclared)" : llm_partition_name(p), s->cases,
                s->passed, s->failed, s->errors, s->skipped, rate,
                g->partition_passed[p] ? "pass" : "FAIL", need);
    }
    fprintf(out, "gate: %s", g->passed ? "PASS" : "FAIL");
    if (!g->passed) {
        const char *sep = " (";
        for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
            if (!g->partition_passed[order[k]]) {
                fprintf(out, "%s%s", sep,
                        order[k] == LLM_PARTITION_NONE ? "undeclared tests"
                                                       : llm_partition_name(order[k]));
                sep = ", ";
            }
        fputc(')', out);
    }
    fputc('\n', out);
    if (report_path)
        fprintf(out, "JUnit report: %s\n", report_path);
}

llm_status llm_gate_rate_from_env(double *rate)
{
    const char *env = getenv("LLMASSERT_DISTRIBUTION_MIN_RATE");
    *rate = 0.95;
    if (!env || !*env)
        return LLM_OK;
    char *end;
    double v = strtod(env, &end);
    if (*end || !(v >= 0 && v <= 1))
        return llm_error(LLM_ERR_INVALID,
                         "LLMASSERT_DISTRIBUTION_MIN_RATE=\"%s\": expected a pass rate between "
                         "0 and 1, e.g. 0.95",
                         env);
    *rate = v;
    return LLM_OK;
}
