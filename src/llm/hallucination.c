/* Hallucination check: claims from the judge model or from the offline
 * grounding checker; the faithfulness score is always computed here from the
 * claims, never taken from a model. */
#include "llmassert/hallucination.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "llm/answer.h"
#include "llm/judge_internal.h"
#include "llm/thresholds.h"
#include "llmassert/recorder.h"
#include "metrics/grounding.h"

const char *llm_claim_status_name(llm_claim_status status)
{
    switch (status) {
    case LLM_CLAIM_SUPPORTED: return "SUPPORTED";
    case LLM_CLAIM_UNSUPPORTED: return "UNSUPPORTED";
    case LLM_CLAIM_NOT_CHECKABLE: return "NOT_CHECKABLE";
    case LLM_CLAIM_REASONABLE_INFERENCE: return "REASONABLE_INFERENCE";
    }
    return "UNKNOWN";
}

static const char *const checker_names[] = {"auto", "offline", "judge"};

const char *llm_hallucination_checker_name(llm_hallucination_checker c)
{
    return (unsigned)c < 3 ? checker_names[c] : "unknown";
}

llm_status llm_hallucination_checker_parse(const char *name, llm_hallucination_checker *out)
{
    for (int i = 0; i < 3; i++)
        if (name && !strcmp(name, checker_names[i])) {
            *out = (llm_hallucination_checker)i;
            return LLM_OK;
        }
    return llm_error(LLM_ERR_INVALID, "unknown checker '%s' (expected auto, offline or judge)",
                     name ? name : "");
}

const char *llm_hallucination_prompt_version(void)
{
    return llm_prompt_builtin_version(&llm_prompt_claims);
}

void llm_hallucination_result_free(llm_hallucination_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_claims; i++) {
        free(r->claims[i].text);
        free(r->claims[i].evidence);
        free(r->claims[i].reason);
    }
    free(r->claims);
    free(r->failed_answer);
    memset(r, 0, sizeof *r);
}

/* ---- reading the judge's claims -------------------------------------------- */

typedef struct claims_state {
    llm_claim *claims;
    size_t n;
    double model_faithfulness;
} claims_state;

static void free_claims(llm_claim *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].text);
        free(c[i].evidence);
        free(c[i].reason);
    }
    free(c);
}

/* "SUPPORTED", "supported", "Not checkable", "reasonable-inference"... */
static int parse_status(const char *s, llm_claim_status *out)
{
    char norm[40];
    size_t n = 0;
    while (*s == ' ')
        s++;
    for (; *s && n + 1 < sizeof norm; s++)
        norm[n++] = (*s == ' ' || *s == '-') ? '_' : (char)toupper((unsigned char)*s);
    while (n && norm[n - 1] == '_')
        n--;
    norm[n] = '\0';
    static const struct {
        const char *name;
        llm_claim_status status;
    } names[] = {
        {"SUPPORTED", LLM_CLAIM_SUPPORTED},
        {"UNSUPPORTED", LLM_CLAIM_UNSUPPORTED},
        {"NOT_SUPPORTED", LLM_CLAIM_UNSUPPORTED},
        {"CONTRADICTED", LLM_CLAIM_UNSUPPORTED},
        {"NOT_CHECKABLE", LLM_CLAIM_NOT_CHECKABLE},
        {"UNCHECKABLE", LLM_CLAIM_NOT_CHECKABLE},
        {"REASONABLE_INFERENCE", LLM_CLAIM_REASONABLE_INFERENCE},
        {"INFERENCE", LLM_CLAIM_REASONABLE_INFERENCE},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(norm, names[i].name)) {
            *out = names[i].status;
            return 0;
        }
    return -1;
}

static int check_claims(const cJSON *obj, void *state, char *why, size_t size)
{
    static const char *const list_names[] = {"claims", "statements", "facts", NULL};
    static const char *const text_names[] = {"claim", "text", "statement", NULL};
    static const char *const status_names[] = {"status", "label", "verdict", NULL};
    static const char *const evidence_names[] = {"evidence", "quote", "source", NULL};
    static const char *const score_names[] = {"overall_faithfulness_score", "faithfulness",
                                              "faithfulness_score", NULL};
    claims_state *cs = state;
    const cJSON *list = llm_answer_member(obj, list_names);
    if (!list) {
        snprintf(why, size, "the JSON object has no \"claims\" list");
        return -1;
    }
    if (!cJSON_IsArray(list)) {
        snprintf(why, size, "\"claims\" must be a list of objects");
        return -1;
    }
    size_t n = (size_t)cJSON_GetArraySize(list), i = 0;
    llm_claim *claims = calloc(n ? n : 1, sizeof *claims);
    if (!claims) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    int ok = 1;
    for (const cJSON *c = list->child; c && ok; c = c->next, i++) {
        if (!cJSON_IsObject(c)) {
            snprintf(why, size, "claim %zu is not an object with \"claim\" and \"status\"", i + 1);
            ok = 0;
            break;
        }
        const cJSON *text = llm_answer_member(c, text_names);
        const cJSON *status = llm_answer_member(c, status_names);
        const cJSON *evidence = llm_answer_member(c, evidence_names);
        if (!cJSON_IsString(text) || !*text->valuestring) {
            snprintf(why, size, "claim %zu has no \"claim\" text", i + 1);
            ok = 0;
        } else if (!cJSON_IsString(status)) {
            snprintf(why, size, "claim %zu has no \"status\" string", i + 1);
            ok = 0;
        } else if (parse_status(status->valuestring, &claims[i].status) != 0) {
            snprintf(why, size,
                     "claim %zu has status \"%.40s\"; expected SUPPORTED, UNSUPPORTED, "
                     "REASONABLE_INFERENCE or NOT_CHECKABLE",
                     i + 1, status->valuestring);
            ok = 0;
        } else if (evidence && !cJSON_IsNull(evidence) && !cJSON_IsString(evidence) &&
                   !cJSON_IsArray(evidence)) {
            snprintf(why, size, "claim %zu: \"evidence\" must be a quote or null", i + 1);
            ok = 0;
        } else {
            claims[i].text = strdup(text->valuestring);
            if (cJSON_IsString(evidence) && *evidence->valuestring) {
                claims[i].evidence = strdup(evidence->valuestring);
            } else if (cJSON_IsArray(evidence)) {
                /* Several quotes: keep them all. */
                llm_buf b = LLM_BUF_INIT;
                for (const cJSON *q = evidence->child; q; q = q->next)
                    if (cJSON_IsString(q))
                        llm_buf_printf(&b, "%s%s", b.len ? " ... " : "", q->valuestring);
                claims[i].evidence = b.len ? llm_buf_steal(&b) : NULL;
                llm_buf_free(&b);
            }
            if (!claims[i].text) {
                snprintf(why, size, "out of memory");
                ok = 0;
            }
        }
    }
    if (!ok) {
        free_claims(claims, n);
        return -1;
    }
    double mf = NAN;
    const cJSON *score = llm_answer_member(obj, score_names);
    if (score && llm_answer_number(score, &mf) != 0)
        mf = NAN;
    free_claims(cs->claims, cs->n);
    cs->claims = claims;
    cs->n = n;
    cs->model_faithfulness = mf;
    return 0;
}

/* ---- the check ----------------------------------------------------------------- */

static void tally(llm_hallucination_result *r)
{
    r->supported = r->unsupported = r->not_checkable = r->inferred = 0;
    for (size_t i = 0; i < r->n_claims; i++) {
        switch (r->claims[i].status) {
        case LLM_CLAIM_SUPPORTED: r->supported++; break;
        case LLM_CLAIM_UNSUPPORTED: r->unsupported++; break;
        case LLM_CLAIM_NOT_CHECKABLE: r->not_checkable++; break;
        case LLM_CLAIM_REASONABLE_INFERENCE: r->inferred++; break;
        }
    }
    size_t checkable = r->supported + r->inferred + r->unsupported;
    r->faithfulness = checkable ? (double)(r->supported + r->inferred) / (double)checkable : 1.0;
    r->has_hallucinations = r->unsupported > 0;
}

static llm_status judge_claims(llm_judge_handle *h, const char *context, const char *output,
                               llm_hallucination_result *out)
{
    const char *texts[] = {context, output};
    char tag[16];
    llm_prompt_tag(texts, 2, tag);
    llm_prompt_version(&llm_prompt_claims, NULL, out->prompt_version);
    llm_prompt_var vars[] = {{"tag", tag}, {"context", context}, {"output", output}};
    char *user = llm_prompt_render(llm_prompt_claims.user, vars, 3);
    if (!user)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    const llm_assert_settings *s = llm_config_assert_settings(h->cfg);
    claims_state cs = {NULL, 0, NAN};
    llm_judge_call c;
    memset(&c, 0, sizeof c);
    c.tmpl = &llm_prompt_claims;
    c.user = user;
    c.version = out->prompt_version;
    /* Claims are facts, not taste: as deterministic as the service allows. */
    c.temperature = !isnan(s->judge_temperature) ? s->judge_temperature : 0.0;
    c.max_tokens = 4096;
    c.check = check_claims;
    c.state = &cs;
    llm_status st = llm_judge_call_run(h->judge, &c);
    free(user);
    out->retried = c.retried;
    out->failed_answer = c.failed_answer;
    if (st != LLM_OK) {
        free_claims(cs.claims, cs.n);
        return st;
    }
    out->claims = cs.claims;
    out->n_claims = cs.n;
    out->model_faithfulness = cs.model_faithfulness;
    return LLM_OK;
}

int llm_hallucination_read_answer(const char *text, llm_hallucination_result *out, char *why,
                                  size_t size)
{
    memset(out, 0, sizeof *out);
    claims_state cs = {NULL, 0, NAN};
    cJSON *obj = llm_answer_object(text, why, size);
    int rc = obj ? check_claims(obj, &cs, why, size) : -1;
    cJSON_Delete(obj);
    out->model_faithfulness = NAN;
    if (rc != 0)
        return -1;
    out->claims = cs.claims;
    out->n_claims = cs.n;
    out->model_faithfulness = cs.model_faithfulness;
    tally(out);
    return 0;
}

llm_status llm_hallucination_check(const llm_hallucination_options *opts, const char *context,
                                   const char *output, llm_hallucination_result *out)
{
    static const llm_hallucination_options dflt = LLM_HALLUCINATION_OPTIONS_INIT;
    const llm_hallucination_options *o = opts ? opts : &dflt;
    memset(out, 0, sizeof *out);
    out->faithfulness = out->min_faithfulness = out->model_faithfulness = NAN;
    out->threshold_source = "default";
    if (!context || !output)
        return llm_error(LLM_ERR_INVALID, "llm_hallucination_check: the %s is NULL",
                         context ? "output" : "context");
    if ((unsigned)o->checker > LLM_CHECKER_JUDGE)
        return llm_error(LLM_ERR_INVALID, "hallucination options: unknown checker %d",
                         (int)o->checker);

    llm_judge_handle h;
    llm_status st = llm_judge_handle_open(o->judge, o->subject, &h);
    int use_judge = st == LLM_OK && o->checker != LLM_CHECKER_OFFLINE;
    if (h.cfg && o->checker == LLM_CHECKER_OFFLINE) {
        st = LLM_OK; /* asked for the rules: no judge needed */
        llm_clear_error();
    } else if (st == LLM_ERR_UNAVAILABLE && h.cfg && o->checker == LLM_CHECKER_AUTO && !o->judge &&
               !llm_defaults_require_judge(h.defaults, o->require_judge)) {
        st = LLM_OK; /* no judge, and none required: the rules do the job */
        llm_clear_error();
    } else if (st == LLM_ERR_UNAVAILABLE && o->checker == LLM_CHECKER_AUTO) {
        llm_error_prefix("the configuration requires a judge for hallucination checks: ");
    }
    if (st != LLM_OK) {
        llm_judge_handle_close(&h);
        return st;
    }

    if (use_judge) {
        snprintf(out->backend, sizeof out->backend, "%s", h.backend);
        out->same_family = h.same_family;
        llm_warning_add(out->warning, sizeof out->warning, h.family_warning);
    } else {
        snprintf(out->backend, sizeof out->backend, "%s", LLM_GROUNDING_BACKEND);
    }
    llm_threshold_pick pick;
    st = llm_threshold_pick_for(h.cfg, LLM_THR_FAITHFULNESS, llm_current_partition(),
                                out->backend, o->min_faithfulness, &pick);
    if (st == LLM_OK) {
        out->min_faithfulness = pick.value;
        out->threshold_source = pick.source;
        llm_warning_add(out->warning, sizeof out->warning, pick.warning);
        if (use_judge)
            st = judge_claims(&h, context, output, out);
        else
            st = llm_grounding_check(context, output, &out->claims, &out->n_claims);
    }
    if (st == LLM_OK) {
        tally(out);
        out->passed = out->faithfulness >= out->min_faithfulness;
    }
    llm_judge_handle_close(&h);
    return st;
}
