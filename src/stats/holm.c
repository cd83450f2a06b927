/* Holm's step-down adjustment for several simultaneous tests. */
#include <stdlib.h>

#include "core/error.h"
#include "stats/internal.h"

typedef struct indexed {
    double p;
    size_t i;
} indexed;

static int cmp_indexed(const void *pa, const void *pb)
{
    const indexed *a = pa, *b = pb;
    if (a->p != b->p)
        return a->p < b->p ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

llm_status llm_stats_holm(const double *p, size_t m, double *adjusted)
{
    static const char fn[] = "llm_stats_holm";
    if (m == 0)
        return LLM_OK;
    if (!p || !adjusted)
        return llm_error(LLM_ERR_INVALID, "%s: %s is NULL but m is %zu", fn,
                         p ? "adjusted" : "p", m);
    for (size_t i = 0; i < m; i++)
        if (!(p[i] >= 0.0 && p[i] <= 1.0))
            return llm_error(LLM_ERR_INVALID, "%s: p[%zu] is %g; expected a p-value in [0, 1]",
                             fn, i, p[i]);
    indexed *v = malloc(m * sizeof *v);
    if (!v)
        return llm_error(LLM_ERR_NOMEM, "%s: out of memory for %zu p-values", fn, m);
    for (size_t i = 0; i < m; i++) {
        v[i].p = p[i];
        v[i].i = i;
    }
    qsort(v, m, sizeof *v, cmp_indexed);
    /* The k-th smallest (k from 0) is multiplied by m - k; a running maximum
     * keeps the adjusted values in the order of the raw ones. */
    double run = 0.0;
    for (size_t k = 0; k < m; k++) {
        double a = (double)(m - k) * v[k].p;
        if (a > run)
            run = a;
        if (run > 1.0)
            run = 1.0;
        v[k].p = run;
    }
    for (size_t k = 0; k < m; k++) /* p was copied: adjusted may alias it */
        adjusted[v[k].i] = v[k].p;
    free(v);
    return LLM_OK;
}
