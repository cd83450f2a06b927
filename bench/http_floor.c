/* The transport floor of bench/runner_vs_promptfoo.sh: the requests of the
 * benchmark's workload sent with libcurl's easy interface from C threads,
 * and nothing else. Per case: one chat completion with the case's text, two
 * embeddings (the answer the fake subject gives, "echo: TEXT", and the
 * expected output) and one judge chat completion of about the size
 * llmassert's judge prompt has; one after another, like a case's calls. No
 * answer is parsed, nothing is evaluated or written.
 *
 * Its CPU time is what the machine's kernel and libcurl alone cost for the
 * workload: no runner built on libcurl's easy interface spends less, which
 * bounds the CPU ratio any such runner can reach against promptfoo here.
 *
 * Usage: http_floor BASE_URL CASES.jsonl CONCURRENCY
 * (BASE_URL as given to the tools, ending in /v1). Exits 1 when a request
 * fails or is not answered 200. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The judge prompt's fixed part, at the size of llmassert's (~2.3 KB):
 * what the floor must carry, not what it says. */
#define JUDGE_PREAMBLE_BYTES 2300

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static char *url_chat, *url_embed;
static struct curl_slist *headers;
static char **bodies; /* 4 per case */
static size_t n_cases;
static atomic_size_t next_case;
static atomic_int failed;

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
    text *t = ud;
    size_t len = size * n;
    if (t->len + len + 1 > t->cap) {
        size_t cap = (t->len + len + 1) * 2;
        char *p = realloc(t->data, cap);
        if (!p)
            return 0;
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, data, len);
    t->len += len;
    return len;
}

static void *work(void *arg)
{
    (void)arg;
    CURL *c = curl_easy_init();
    text answer = {0};
    if (!c) {
        atomic_store(&failed, 1);
        return NULL;
    }
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, 4096L);
    for (;;) {
        size_t i = atomic_fetch_add(&next_case, 1);
        if (i >= n_cases)
            break;
        for (int k = 0; k < 4; k++) {
            answer.len = 0;
            curl_easy_setopt(c, CURLOPT_URL, k == 1 || k == 2 ? url_embed : url_chat);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, bodies[i * 4 + (size_t)k]);
            long status = 0;
            CURLcode rc = curl_easy_perform(c);
            curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
            if (rc != CURLE_OK || status != 200) {
                fprintf(stderr, "http_floor: case %zu request %d: %s, HTTP %ld\n", i, k,
                        curl_easy_strerror(rc), status);
                atomic_store(&failed, 1);
            }
        }
    }
    free(answer.data);
    curl_easy_cleanup(c);
    return NULL;
}

static char *print_json(cJSON *v)
{
    char *s = cJSON_PrintUnformatted(v);
    cJSON_Delete(v);
    return s;
}

static char *chat_body(const char *model, const char *system, const char *user)
{
    cJSON *b = cJSON_CreateObject(), *msgs = cJSON_AddArrayToObject(b, "messages"), *m;
    cJSON_AddStringToObject(b, "model", model);
    cJSON_AddNumberToObject(b, "temperature", 0);
    if (system) {
        cJSON_AddItemToArray(msgs, m = cJSON_CreateObject());
        cJSON_AddStringToObject(m, "role", "system");
        cJSON_AddStringToObject(m, "content", system);
    }
    cJSON_AddItemToArray(msgs, m = cJSON_CreateObject());
    cJSON_AddStringToObject(m, "role", "user");
    cJSON_AddStringToObject(m, "content", user);
    return print_json(b);
}

static char *embed_body(const char *input)
{
    cJSON *b = cJSON_CreateObject();
    cJSON_AddStringToObject(b, "model", "bench-embed");
    cJSON_AddStringToObject(b, "input", input);
    return print_json(b);
}

/* Four request bodies per line of CASES (the benchmark's dataset). */
static int load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char preamble[JUDGE_PREAMBLE_BYTES + 1];
    memset(preamble, 'x', JUDGE_PREAMBLE_BYTES);
    preamble[JUDGE_PREAMBLE_BYTES] = '\0';
    size_t cap = 0;
    char *line = NULL;
    ssize_t len;
    int rc = 0;
    while ((len = getline(&line, &cap, f)) > 0) {
        cJSON *ex = cJSON_Parse(line);
        const cJSON *in = cJSON_GetObjectItem(cJSON_GetObjectItem(ex, "input"), "text");
        const cJSON *want = cJSON_GetObjectItem(ex, "expected_output");
        char **more = realloc(bodies, (n_cases + 1) * 4 * sizeof *bodies);
        if (!cJSON_IsString(in) || !cJSON_IsString(want) || !more) {
            fprintf(stderr, "%s:%zu: not a benchmark case\n", path, n_cases + 1);
            cJSON_Delete(ex);
            if (more)
                bodies = more;
            rc = -1;
            break;
        }
        bodies = more;
        char *answer = NULL, *judged = NULL;
        if (asprintf(&answer, "echo: %s", in->valuestring) < 0 ||
            asprintf(&judged, "Criteria: the answer is polite.\nQuestion: %s\nAnswer: %s",
                     in->valuestring, answer) < 0) {
            cJSON_Delete(ex);
            rc = -1;
            break;
        }
        char **b = bodies + n_cases * 4;
        b[0] = chat_body("bench-subject", NULL, in->valuestring);
        b[1] = embed_body(answer);
        b[2] = embed_body(want->valuestring);
        b[3] = chat_body("bench-judge", preamble, judged);
        free(answer);
        free(judged);
        cJSON_Delete(ex);
        n_cases++;
        if (!b[0] || !b[1] || !b[2] || !b[3]) {
            rc = -1;
            break;
        }
    }
    free(line);
    fclose(f);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: http_floor BASE_URL CASES.jsonl CONCURRENCY\n");
        return 2;
    }
    int conc = atoi(argv[3]);
    if (conc < 1 || asprintf(&url_chat, "%s/chat/completions", argv[1]) < 0 ||
        asprintf(&url_embed, "%s/embeddings", argv[1]) < 0 || load(argv[2]) < 0)
        return 2;
    if ((size_t)conc > n_cases)
        conc = n_cases ? (int)n_cases : 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    /* The headers llmassert sends over loopback. */
    headers = curl_slist_append(headers, "User-Agent: llmassert/0.1.0");
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, "Accept: application/json");
    headers = curl_slist_append(headers, "Expect:");
    pthread_t *t = calloc((size_t)conc, sizeof *t);
    int started = 0;
    for (; t && started < conc; started++)
        if (pthread_create(&t[started], NULL, work, NULL) != 0)
            break;
    for (int i = 0; i < started; i++)
        pthread_join(t[i], NULL);
    free(t);
    curl_slist_free_all(headers);
    for (size_t i = 0; i < n_cases * 4; i++)
        free(bodies[i]);
    free(bodies);
    free(url_chat);
    free(url_embed);
    curl_global_cleanup();
    if (!started || atomic_load(&failed))
        return 1;
    return 0;
}
