/* LLM-as-judge: absolute 1-5 scores with n samples, and pairwise comparison
 * in both orders. The model only answers; every statistic and verdict is
 * computed here. */
#include "llmassert/judge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/error.h"
#include "llm/answer.h"
#include "llm/family.h"
#include "llm/judge_internal.h"
#include "llm/thresholds.h"
#include "llmassert/recorder.h"

#define MAX_SAMPLES 50

void llm_warning_add(char *w, size_t size, const char *text)
{
    if (!text || !*text)
        return;
    size_t n = strlen(w);
    snprintf(w + n, size - n, "%s%s", n ? "; " : "", text);
}

/* ---- the judge handle ---------------------------------------------------- */

llm_status llm_judge_handle_open(llm_provider *explicit_judge, const char *subject,
                                 llm_judge_handle *h)
{
    memset(h, 0, sizeof *h);
    if (!(h->defaults = llm_defaults_acquire()))
        return LLM_ERR_NOMEM;
    if (!(h->cfg = llm_defaults_config(h->defaults)))
        return llm_last_status();
    llm_status st = LLM_OK;
    if (explicit_judge)
        h->judge = explicit_judge;
    else
        st = llm_defaults_provider(h->defaults, LLM_ROLE_JUDGE, &h->judge);
    if (st != LLM_OK)
        return st;
    llm_provider_kind kind = llm_provider_get_kind(h->judge);
    if (kind == LLM_PROVIDER_OFFLINE)
        return llm_error(LLM_ERR_UNAVAILABLE,
                         "the judge given is the offline provider, which cannot write text");
    const char *model = llm_provider_model(h->judge);
    llm_backend_name(kind, model, 0, h->backend, sizeof h->backend);

    /* Self-preference: a judge tends to favour answers written the way it
     * would write them. */
    char subject_buf[200] = "";
    if (subject && *subject) {
        snprintf(subject_buf, sizeof subject_buf, "%s", subject);
    } else {
        const llm_provider_config *sc = llm_config_role(h->cfg, LLM_ROLE_SUBJECT);
        if (sc && sc->kind != LLM_PROVIDER_OFFLINE && sc->model)
            llm_backend_name(sc->kind, sc->model, 0, subject_buf, sizeof subject_buf);
    }
    char jf[64], sf[64];
    llm_model_family(kind, model, jf, sizeof jf);
    llm_backend_family(subject_buf, sf, sizeof sf);
    if (jf[0] && sf[0] && !strcmp(jf, sf)) {
        h->same_family = 1;
        snprintf(h->family_warning, sizeof h->family_warning,
                 "judge %s and subject %s are both from the %s model family: a judge tends to "
                 "prefer its own family's answers; use a judge from another family",
                 h->backend, subject_buf, jf);
    }
    return LLM_OK;
}

void llm_judge_handle_close(llm_judge_handle *h)
{
    llm_defaults_release(h->defaults);
    memset(h, 0, sizeof *h);
}

/* ---- one question, one retry ---------------------------------------------- */

static llm_status ask(llm_provider *judge, const llm_message *msgs, size_t n,
                      const llm_judge_call *c, llm_completion *out)
{
    llm_complete_params par = LLM_COMPLETE_PARAMS_INIT;
    par.temperature = c->temperature;
    par.json_output = 1;
    par.sample = c->sample;
    par.max_tokens = c->max_tokens;
    char tag[96];
    snprintf(tag, sizeof tag, "llmassert/%s/%s", c->tmpl->name, c->version ? c->version : "");
    par.cache_tag = tag;
    return llm_provider_complete(judge, msgs, n, &par, out);
}

/* Parse TEXT and run the caller's check; 0 when usable. */
static int readable(const llm_judge_call *c, const char *text, char *why, size_t size)
{
    cJSON *obj = llm_answer_object(text, why, size);
    if (!obj)
        return -1;
    int rc = c->check(obj, c->state, why, size);
    cJSON_Delete(obj);
    return rc;
}

llm_status llm_judge_call_run(llm_provider *judge, llm_judge_call *c)
{
    c->retried = 0;
    c->from_cache = 0;
    c->failed_answer = NULL;
    llm_message msgs[4] = {{"system", c->tmpl->system}, {"user", c->user}, {NULL, NULL},
                           {NULL, NULL}};
    llm_completion first;
    llm_status st = ask(judge, msgs, 2, c, &first);
    if (st != LLM_OK)
        return st;
    char why1[256];
    if (readable(c, first.text, why1, sizeof why1) == 0) {
        c->from_cache = first.from_cache;
        llm_completion_free(&first);
        return LLM_OK;
    }
    /* Once more, saying what was wrong. */
    c->retried = 1;
    llm_prompt_var v = {"why", why1};
    char *retry = llm_prompt_render(c->tmpl->retry, &v, 1);
    if (!retry) {
        llm_completion_free(&first);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    msgs[2].role = "assistant";
    msgs[2].content = first.text && *first.text ? first.text : "(empty reply)";
    msgs[3].role = "user";
    msgs[3].content = retry;
    llm_completion second;
    st = ask(judge, msgs, 4, c, &second);
    free(retry);
    if (st != LLM_OK) {
        llm_completion_free(&first);
        return st;
    }
    char why2[256];
    if (readable(c, second.text, why2, sizeof why2) == 0) {
        c->from_cache = second.from_cache;
        llm_completion_free(&first);
        llm_completion_free(&second);
        return LLM_OK;
    }
    char excerpt[240];
    llm_answer_excerpt(second.text, excerpt, sizeof excerpt);
    c->failed_answer = second.text ? strdup(second.text) : NULL;
    st = llm_error(LLM_ERR_PARSE,
                   "%s: the judge's answer could not be read, even after asking again: %s "
                   "(first answer: %s); last answer: \"%s\"",
                   llm_provider_describe(judge), why2, why1, excerpt);
    llm_completion_free(&first);
    llm_completion_free(&second);
    return st;
}

/* ---- absolute scores --------------------------------------------------------- */

const char *llm_judge_rule_name(llm_judge_rule rule)
{
    switch (rule) {
    case LLM_JUDGE_MEAN: return "mean";
    case LLM_JUDGE_AT_LEAST_K: return "k_of_n";
    case LLM_JUDGE_ALL: return "all";
    }
    return "unknown";
}

static const char *const reasoning_names[] = {"reasoning", "reason", "explanation", "rationale",
                                              "justification", NULL};

/* The reasoning member as text ("" when absent; other types printed). */
static char *reasoning_of(const cJSON *obj)
{
    const cJSON *r = llm_answer_member(obj, reasoning_names);
    if (!r || cJSON_IsNull(r))
        return strdup("");
    if (cJSON_IsString(r))
        return strdup(r->valuestring);
    char *s = cJSON_PrintUnformatted(r);
    return s ? s : strdup("");
}

typedef struct score_state {
    int score;
    char *reasoning;
} score_state;

static int check_score(const cJSON *obj, void *state, char *why, size_t size)
{
    static const char *const names[] = {"score", "rating", "grade", NULL};
    score_state *s = state;
    const cJSON *item = llm_answer_member(obj, names);
    double x;
    if (!item) {
        snprintf(why, size, "the JSON object has no \"score\"");
        return -1;
    }
    if (llm_answer_number(item, &x) != 0) {
        char *p = cJSON_PrintUnformatted(item);
        snprintf(why, size, "\"score\" is not a number (found %.40s)", p ? p : "?");
        free(p);
        return -1;
    }
    if (x != floor(x)) {
        snprintf(why, size, "\"score\" %g is not a whole number from 1 to 5", x);
        return -1;
    }
    if (x < 1 || x > 5) {
        snprintf(why, size, "\"score\" %g is outside 1..5", x);
        return -1;
    }
    char *reasoning = reasoning_of(obj);
    if (!reasoning) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    free(s->reasoning);
    s->reasoning = reasoning;
    s->score = (int)x;
    return 0;
}

/* The anchors as prompt text, each in its own delimited block. */
static llm_status render_anchors(const llm_judge_options *o, const char *tag, char **out)
{
    *out = NULL;
    if (!o || !o->n_anchors)
        return LLM_OK;
    if (!o->anchors)
        return llm_error(LLM_ERR_INVALID, "judge options: n_anchors is %zu but anchors is NULL",
                         o->n_anchors);
    llm_buf b = LLM_BUF_INIT;
    llm_buf_puts(&b, "\nReference examples with their agreed scores. Calibrate your scale to "
                     "them; they are not the response to grade.\n");
    for (size_t i = 0; i < o->n_anchors; i++) {
        const llm_judge_anchor *a = &o->anchors[i];
        if (!a->response || a->score < 1 || a->score > 5) {
            llm_buf_free(&b);
            return llm_error(LLM_ERR_INVALID,
                             "judge options: anchor %zu needs a response and a score from 1 to "
                             "5 (found %s, %d)",
                             i + 1, a->response ? "a response" : "no response", a->score);
        }
        llm_buf_printf(&b, "\nExample %zu, score %d.\n", i + 1, a->score);
        if (a->input)
            llm_buf_printf(&b, "<<<EXAMPLE-%zu-INPUT-%s>>>\n%s\n<<<END-EXAMPLE-%zu-INPUT-%s>>>\n",
                           i + 1, tag, a->input, i + 1, tag);
        llm_buf_printf(&b, "<<<EXAMPLE-%zu-OUTPUT-%s>>>\n%s\n<<<END-EXAMPLE-%zu-OUTPUT-%s>>>\n",
                       i + 1, tag, a->response, i + 1, tag);
        if (a->why)
            llm_buf_printf(&b, "Why %d: %s\n", a->score, a->why);
    }
    if (b.oom) {
        llm_buf_free(&b);
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    }
    *out = llm_buf_steal(&b);
    return LLM_OK;
}

/* The anchors without the tag, for the prompt version: the same anchors give
 * the same version whatever is being graded. */
static char *anchors_identity(const llm_judge_options *o)
{
    if (!o || !o->n_anchors || !o->anchors)
        return NULL;
    llm_buf b = LLM_BUF_INIT;
    for (size_t i = 0; i < o->n_anchors; i++)
        llm_buf_printf(&b, "%d\x1f%s\x1f%s\x1f%s\x1e", o->anchors[i].score,
                       o->anchors[i].input ? o->anchors[i].input : "",
                       o->anchors[i].response ? o->anchors[i].response : "",
                       o->anchors[i].why ? o->anchors[i].why : "");
    if (b.oom) {
        llm_buf_free(&b);
        return NULL;
    }
    return llm_buf_steal(&b);
}

static char *task_section(const char *task)
{
    char *s = NULL;
    if (task && *task) {
        if (asprintf(&s, "\nWhat the assistant is for: %s\n", task) < 0)
            s = NULL;
    } else {
        s = strdup("");
    }
    return s;
}

void llm_judge_result_free(llm_judge_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->samples[i].reasoning);
    free(r->samples);
    free(r->failed_answer);
    memset(r, 0, sizeof *r);
}

llm_status llm_judge_score(const llm_judge_options *opts, const char *input, const char *output,
                           const char *criteria, llm_judge_result *out)
{
    static const llm_judge_options dflt = LLM_JUDGE_OPTIONS_INIT;
    const llm_judge_options *o = opts ? opts : &dflt;
    memset(out, 0, sizeof *out);
    out->mean = out->variance = out->min_score = out->temperature = NAN;
    out->threshold_source = "default";
    out->rule = o->rule;
    out->k = o->k;
    if (!output)
        return llm_error(LLM_ERR_INVALID, "llm_judge_score: the output to judge is NULL");
    if (!criteria || !*criteria)
        return llm_error(LLM_ERR_INVALID,
                         "llm_judge_score: no criteria: say what a good response does");
    if (!input)
        input = "";

    llm_judge_handle h;
    llm_status st = llm_judge_handle_open(o->judge, o->subject, &h);
    if (st != LLM_OK) {
        llm_judge_handle_close(&h);
        return st;
    }
    snprintf(out->backend, sizeof out->backend, "%s", h.backend);
    out->same_family = h.same_family;
    llm_warning_add(out->warning, sizeof out->warning, h.family_warning);
    const llm_assert_settings *s = llm_config_assert_settings(h.cfg);

    int n = o->samples > 0 ? o->samples : s->judge_samples > 0 ? s->judge_samples : 1;
    double temp = !isnan(o->temperature)         ? o->temperature
                  : !isnan(s->judge_temperature) ? s->judge_temperature
                                                 : 0.2;
    out->temperature = temp;
    llm_threshold_pick pick;
    char *anchors = NULL, *identity = NULL, *task = NULL, *user = NULL;
    if (n > MAX_SAMPLES)
        st = llm_error(LLM_ERR_INVALID, "judge options: %d samples; at most %d", n, MAX_SAMPLES);
    else if (!(temp >= 0 && temp <= 2))
        st = llm_error(LLM_ERR_INVALID, "judge options: temperature %g is outside 0..2", temp);
    else if (o->rule > LLM_JUDGE_ALL)
        st = llm_error(LLM_ERR_INVALID, "judge options: unknown rule %d", (int)o->rule);
    else if (o->rule == LLM_JUDGE_AT_LEAST_K && (o->k < 1 || o->k > n))
        st = llm_error(LLM_ERR_INVALID,
                       "judge options: rule k_of_n needs k from 1 to the %d samples, found %d", n,
                       o->k);
    if (st == LLM_OK)
        st = llm_threshold_pick_for(h.cfg, LLM_THR_JUDGE, llm_current_partition(), h.backend,
                                    o->min_score, &pick);
    if (st != LLM_OK)
        goto done;
    out->min_score = pick.value;
    out->threshold_source = pick.source;
    llm_warning_add(out->warning, sizeof out->warning, pick.warning);

    /* The tag must not occur in anything placed in the prompt. */
    const char *texts[64];
    size_t nt = 0;
    texts[nt++] = input;
    texts[nt++] = output;
    texts[nt++] = criteria;
    texts[nt++] = o->task;
    for (size_t i = 0; o->anchors && i < o->n_anchors && nt + 2 <= 64; i++) {
        texts[nt++] = o->anchors[i].input;
        texts[nt++] = o->anchors[i].response;
    }
    char tag[16];
    llm_prompt_tag(texts, nt, tag);
    if ((st = render_anchors(o, tag, &anchors)) != LLM_OK)
        goto done;
    identity = anchors_identity(o);
    llm_prompt_version(&llm_prompt_judge, identity, out->prompt_version);
    task = task_section(o->task);
    llm_prompt_var vars[] = {{"task", task},     {"criteria", criteria}, {"anchors", anchors},
                             {"tag", tag},       {"input", input},       {"output", output}};
    user = task ? llm_prompt_render(llm_prompt_judge.user, vars, 6) : NULL;
    if (!user || !(out->samples = calloc((size_t)n, sizeof *out->samples))) {
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
        goto done;
    }

    for (int i = 0; i < n; i++) {
        score_state ss = {0, NULL};
        llm_judge_call c;
        memset(&c, 0, sizeof c);
        c.tmpl = &llm_prompt_judge;
        c.user = user;
        c.version = out->prompt_version;
        c.temperature = temp;
        c.sample = (unsigned)i;
        c.max_tokens = 1024;
        c.check = check_score;
        c.state = &ss;
        st = llm_judge_call_run(h.judge, &c);
        if (st != LLM_OK) {
            free(ss.reasoning);
            out->failed_answer = c.failed_answer;
            if (n > 1)
                llm_error_prefix("sample %d of %d: ", i + 1, n);
            goto done;
        }
        llm_judge_sample *smp = &out->samples[out->n++];
        smp->score = ss.score;
        smp->reasoning = ss.reasoning;
        smp->retried = c.retried;
        smp->from_cache = c.from_cache;
    }

    double sum = 0, sq = 0;
    for (size_t i = 0; i < out->n; i++)
        sum += out->samples[i].score;
    out->mean = sum / (double)out->n;
    for (size_t i = 0; i < out->n; i++)
        sq += (out->samples[i].score - out->mean) * (out->samples[i].score - out->mean);
    out->variance = sq / (double)out->n;
    out->stable = out->variance < 0.5;
    for (size_t i = 0; i < out->n; i++)
        out->passing += out->samples[i].score >= out->min_score;
    out->flaky = out->passing > 0 && out->passing < out->n;
    switch (o->rule) {
    case LLM_JUDGE_MEAN: out->passed = out->mean >= out->min_score; break;
    case LLM_JUDGE_AT_LEAST_K: out->passed = out->passing >= (size_t)o->k; break;
    case LLM_JUDGE_ALL: out->passed = out->passing == out->n; break;
    }
done:
    free(anchors);
    free(identity);
    free(task);
    free(user);
    llm_judge_handle_close(&h);
    return st;
}

/* ---- pairwise ----------------------------------------------------------------- */

const char *llm_pairwise_verdict_name(llm_pairwise_verdict v)
{
    switch (v) {
    case LLM_PAIRWISE_A: return "A";
    case LLM_PAIRWISE_B: return "B";
    case LLM_PAIRWISE_TIE: return "tie";
    case LLM_PAIRWISE_INCONSISTENT: return "position-inconsistent";
    }
    return "unknown";
}

typedef struct winner_state {
    llm_pairwise_verdict winner;
    char *reasoning;
} winner_state;

static int check_winner(const cJSON *obj, void *state, char *why, size_t size)
{
    static const char *const names[] = {"winner", "verdict", "preferred", "better", "choice",
                                        NULL};
    winner_state *w = state;
    const cJSON *item = llm_answer_member(obj, names);
    if (!item) {
        snprintf(why, size, "the JSON object has no \"winner\"");
        return -1;
    }
    if (!cJSON_IsString(item)) {
        snprintf(why, size, "\"winner\" must be the string \"A\", \"B\" or \"tie\"");
        return -1;
    }
    const char *v = item->valuestring;
    while (*v == ' ')
        v++;
    if (!strncasecmp(v, "response ", 9))
        v += 9;
    char word[16];
    size_t n = 0;
    while (v[n] && v[n] != ' ' && v[n] != '.' && n + 1 < sizeof word) {
        word[n] = v[n];
        n++;
    }
    word[n] = '\0';
    llm_pairwise_verdict verdict;
    if (!strcasecmp(word, "A"))
        verdict = LLM_PAIRWISE_A;
    else if (!strcasecmp(word, "B"))
        verdict = LLM_PAIRWISE_B;
    else if (!strcasecmp(word, "tie") || !strcasecmp(word, "equal") ||
             !strcasecmp(word, "neither") || !strcasecmp(word, "both"))
        verdict = LLM_PAIRWISE_TIE;
    else {
        snprintf(why, size, "\"winner\" is \"%.40s\"; expected \"A\", \"B\" or \"tie\"",
                 item->valuestring);
        return -1;
    }
    char *reasoning = reasoning_of(obj);
    if (!reasoning) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    free(w->reasoning);
    w->reasoning = reasoning;
    w->winner = verdict;
    return 0;
}

void llm_pairwise_result_free(llm_pairwise_result *r)
{
    if (!r)
        return;
    free(r->reasoning_first);
    free(r->reasoning_swapped);
    free(r->failed_answer);
    memset(r, 0, sizeof *r);
}

/* One order: FIRST shown as A, SECOND as B. */
static llm_status pairwise_once(llm_judge_handle *h, const char *user_tmpl_task,
                                const char *criteria, const char *input, const char *first,
                                const char *second, const char *version, double temp,
                                winner_state *w, char **failed)
{
    const char *texts[] = {input, first, second, criteria, user_tmpl_task};
    char tag[16];
    llm_prompt_tag(texts, 5, tag);
    llm_prompt_var vars[] = {{"task", user_tmpl_task}, {"criteria", criteria}, {"tag", tag},
                             {"input", input},         {"response_a", first},  {"response_b", second}};
    char *user = llm_prompt_render(llm_prompt_pairwise.user, vars, 6);
    if (!user)
        return llm_error(LLM_ERR_NOMEM, "out of memory");
    llm_judge_call c;
    memset(&c, 0, sizeof c);
    c.tmpl = &llm_prompt_pairwise;
    c.user = user;
    c.version = version;
    c.temperature = temp;
    c.max_tokens = 1024;
    c.check = check_winner;
    c.state = w;
    llm_status st = llm_judge_call_run(h->judge, &c);
    *failed = c.failed_answer;
    free(user);
    return st;
}

llm_status llm_judge_pairwise(const llm_judge_options *opts, const char *input,
                              const char *response_a, const char *response_b,
                              const char *criteria, llm_pairwise_result *out)
{
    static const llm_judge_options dflt = LLM_JUDGE_OPTIONS_INIT;
    const llm_judge_options *o = opts ? opts : &dflt;
    memset(out, 0, sizeof *out);
    out->verdict = out->first = out->swapped = LLM_PAIRWISE_TIE;
    if (!response_a || !response_b)
        return llm_error(LLM_ERR_INVALID, "llm_judge_pairwise: a response to compare is NULL");
    if (!criteria || !*criteria)
        return llm_error(LLM_ERR_INVALID,
                         "llm_judge_pairwise: no criteria: say what a better response does");
    if (!input)
        input = "";
    llm_judge_handle h;
    llm_status st = llm_judge_handle_open(o->judge, o->subject, &h);
    if (st != LLM_OK) {
        llm_judge_handle_close(&h);
        return st;
    }
    snprintf(out->backend, sizeof out->backend, "%s", h.backend);
    out->same_family = h.same_family;
    llm_warning_add(out->warning, sizeof out->warning, h.family_warning);
    llm_prompt_version(&llm_prompt_pairwise, NULL, out->prompt_version);
    const llm_assert_settings *s = llm_config_assert_settings(h.cfg);
    double temp = !isnan(o->temperature)         ? o->temperature
                  : !isnan(s->judge_temperature) ? s->judge_temperature
                                                 : 0.2;
    char *task = task_section(o->task);
    winner_state w1 = {LLM_PAIRWISE_TIE, NULL}, w2 = {LLM_PAIRWISE_TIE, NULL};
    if (!(temp >= 0 && temp <= 2))
        st = llm_error(LLM_ERR_INVALID, "judge options: temperature %g is outside 0..2", temp);
    else if (!task)
        st = llm_error(LLM_ERR_NOMEM, "out of memory");
    if (st == LLM_OK)
        st = pairwise_once(&h, task, criteria, input, response_a, response_b,
                           out->prompt_version, temp, &w1, &out->failed_answer);
    if (st == LLM_OK) {
        out->first = w1.winner;
        out->reasoning_first = w1.reasoning;
        w1.reasoning = NULL;
        out->swapped = out->first;
        out->verdict = out->first;
    }
    if (st == LLM_OK && !o->single_order) {
        st = pairwise_once(&h, task, criteria, input, response_b, response_a,
                           out->prompt_version, temp, &w2, &out->failed_answer);
        if (st == LLM_OK) {
            out->both_orders = 1;
            /* B was shown first: map its letters back. */
            out->swapped = w2.winner == LLM_PAIRWISE_A   ? LLM_PAIRWISE_B
                           : w2.winner == LLM_PAIRWISE_B ? LLM_PAIRWISE_A
                                                         : LLM_PAIRWISE_TIE;
            out->reasoning_swapped = w2.reasoning;
            w2.reasoning = NULL;
            out->verdict = out->first == out->swapped ? out->first : LLM_PAIRWISE_INCONSISTENT;
        } else {
            llm_error_prefix("second order (B shown first): ");
        }
    }
    free(w1.reasoning);
    free(w2.reasoning);
    free(task);
    llm_judge_handle_close(&h);
    return st;
}

const char *llm_judge_prompt_version(void)
{
    return llm_prompt_builtin_version(&llm_prompt_judge);
}

const char *llm_pairwise_prompt_version(void)
{
    return llm_prompt_builtin_version(&llm_prompt_pairwise);
}

/* ---- reading one answer, without a provider (fuzz targets, tests) ---------- */

int llm_judge_read_score(const char *text, int *score, char **reasoning, char *why, size_t size)
{
    score_state s = {0, NULL};
    llm_judge_call c;
    memset(&c, 0, sizeof c);
    c.check = check_score;
    c.state = &s;
    int rc = readable(&c, text, why, size);
    *score = rc == 0 ? s.score : 0;
    *reasoning = rc == 0 ? s.reasoning : NULL;
    if (rc != 0)
        free(s.reasoning);
    return rc;
}

int llm_judge_read_winner(const char *text, llm_pairwise_verdict *winner, char **reasoning,
                          char *why, size_t size)
{
    winner_state w = {LLM_PAIRWISE_TIE, NULL};
    llm_judge_call c;
    memset(&c, 0, sizeof c);
    c.check = check_winner;
    c.state = &w;
    int rc = readable(&c, text, why, size);
    *winner = w.winner;
    *reasoning = rc == 0 ? w.reasoning : NULL;
    if (rc != 0)
        free(w.reasoning);
    return rc;
}
