/* Any bytes as two texts (split at the first NUL): every normalisation, the
 * tokens, and every reference metric on the pair and on each text with
 * itself. Scores are finite and in [0, 1]; counts agree with the tokens;
 * identical texts score 1; Levenshtein is symmetric. The lexical embedder and
 * the offline grounding checker get the same texts. */
#include <math.h>
#include <string.h>

#include "core/xmltext.h"
#include "fuzz/fuzz.h"
#include "llmassert/embed.h"
#include "llmassert/metrics.h"
#include "llmassert/text.h"
#include "metrics/grounding.h"

#define UNIT(x) FZ_CHECK(isfinite(x) && (x) >= 0.0 && (x) <= 1.0)

static void check_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;
    while (i < n) {
        unsigned cp;
        size_t k = llm_xml_utf8_decode(p + i, n - i, &cp);
        FZ_CHECK(k > 0);
        i += k;
    }
}

static size_t tokens_of(const char *text, llm_normalization norm)
{
    char *out = NULL;
    FZ_CHECK(llm_normalize(text, norm, &out) == LLM_OK && out != NULL);
    check_utf8(out);
    free(out);
    llm_tokens t;
    FZ_CHECK(llm_tokenize(text, norm, &t) == LLM_OK);
    for (size_t i = 0; i < t.count; i++) {
        FZ_CHECK(t.lengths[i] > 0 && strlen(t.items[i]) == t.lengths[i]);
        FZ_CHECK(strpbrk(t.items[i], " \t\n\r") == NULL);
        check_utf8(t.items[i]);
    }
    size_t n = t.count;
    llm_tokens_free(&t);
    return n;
}

static void pair(const char *a, const char *b, llm_normalization norm, size_t na, size_t nb)
{
    double em;
    FZ_CHECK(llm_exact_match(a, b, norm, &em) == LLM_OK);
    FZ_CHECK(em == 0.0 || em == 1.0);

    llm_f1 f;
    FZ_CHECK(llm_token_f1(a, b, norm, &f) == LLM_OK);
    UNIT(f.f1);
    UNIT(f.precision);
    UNIT(f.recall);
    FZ_CHECK(f.prediction_tokens == na && f.reference_tokens == nb);
    FZ_CHECK(f.common <= na && f.common <= nb);

    llm_rouge_l_score r;
    FZ_CHECK(llm_rouge_l(a, b, norm, &r) == LLM_OK);
    UNIT(r.f);
    UNIT(r.precision);
    UNIT(r.recall);
    FZ_CHECK(r.prediction_tokens == na && r.reference_tokens == nb);
    FZ_CHECK(r.lcs <= f.common); /* a common subsequence is common */

    llm_levenshtein_score l, back;
    FZ_CHECK(llm_levenshtein(a, b, norm, &l) == LLM_OK);
    UNIT(l.similarity);
    FZ_CHECK(l.distance <= (l.length_a > l.length_b ? l.length_a : l.length_b));
    FZ_CHECK(llm_levenshtein(b, a, norm, &back) == LLM_OK);
    FZ_CHECK(back.distance == l.distance);
    if (em == 1.0)
        FZ_CHECK(l.distance == 0 && l.similarity == 1.0);
}

static void self(const char *a, llm_normalization norm, size_t n)
{
    double em;
    FZ_CHECK(llm_exact_match(a, a, norm, &em) == LLM_OK && em == 1.0);
    llm_f1 f;
    FZ_CHECK(llm_token_f1(a, a, norm, &f) == LLM_OK);
    FZ_CHECK(n == 0 ? f.f1 == 0.0 : f.f1 == 1.0);
    llm_rouge_l_score r;
    FZ_CHECK(llm_rouge_l(a, a, norm, &r) == LLM_OK);
    FZ_CHECK(n == 0 ? r.f == 0.0 : r.f == 1.0);
    llm_levenshtein_score l;
    FZ_CHECK(llm_levenshtein(a, a, norm, &l) == LLM_OK);
    FZ_CHECK(l.distance == 0 && l.similarity == 1.0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *a, *b;
    fz_split2(data, size, &a, &b);
    static const llm_normalization norms[] = {LLM_NORM_NONE, LLM_NORM_SQUAD, LLM_NORM_UNICODE};
    for (size_t i = 0; i < sizeof norms / sizeof norms[0]; i++) {
        size_t na = tokens_of(a, norms[i]), nb = tokens_of(b, norms[i]);
        pair(a, b, norms[i], na, nb);
        self(a, norms[i], na);
    }

    double sim;
    FZ_CHECK(llm_lexical_similarity(a, b, &sim) == LLM_OK);
    UNIT(sim);
    FZ_CHECK(llm_lexical_similarity(a, a, &sim) == LLM_OK);
    UNIT(sim);
    float v[64];
    FZ_CHECK(llm_lexical_embed(a, v, 64) == LLM_OK);
    double len = 0;
    for (size_t i = 0; i < 64; i++) {
        FZ_CHECK(isfinite(v[i]) && v[i] >= 0);
        len += (double)v[i] * v[i];
    }
    FZ_CHECK(len == 0 || fabs(len - 1) < 1e-4);

    llm_claim *claims = NULL;
    size_t n = 0;
    FZ_CHECK(llm_grounding_check(a, b, &claims, &n) == LLM_OK);
    for (size_t i = 0; i < n; i++) {
        FZ_CHECK(claims[i].text != NULL);
        FZ_CHECK(llm_claim_status_name(claims[i].status) != NULL);
    }
    llm_grounding_claims_free(claims, n);
    free(a);
    free(b);
    return 0;
}
