/* The transport floor of bench/runner_vs_promptfoo.sh: the requests of the
 * benchmark's workload sent with libcurl's easy interface from C threads,
 * and nothing else. Per case, as llmassert sends them: one chat completion
 * with the case's text, one embeddings request for two texts (the answer the
 * fake subject gives, "echo: TEXT", and the expected output) and one judge
 * chat completion of about the size llmassert's judge prompt has; one after
 * another, like a case's calls. The
 * bodies are printed when sent, from the case's texts read at the start;
 * no answer is parsed, nothing is evaluated or written.
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

/* The judge prompt's fixed part, so that the body has the size of
 * llmassert's (about 2.8 KB with the case's texts):
 * what the floor must carry, not what it says. */
#define JUDGE_PREAMBLE_BYTES 2530

typedef struct text {
    char *data;
    size_t len, cap;
} text;

static char *url_chat, *url_embed;
static struct curl_slist *headers;
static char **texts; /* 2 per case: the input text, the expected output */
static size_t n_cases;
static char preamble[JUDGE_PREAMBLE_BYTES + 1];
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

/* The case's request K (0 the model, 1 the embeddings, 2 the judge)
 * into BODY: the texts need no JSON escapes (checked when read). */
static int body_of(size_t i, int k, text *body)
{
    const char *in = texts[i * 2], *want = texts[i * 2 + 1];
    for (;;) {
        int n = k == 0 ? snprintf(body->data, body->cap,
                                  "{\"model\":\"bench-subject\",\"temperature\":0,"
                                  "\"messages\":[{\"role\":\"user\",\"content\":\"%s\"}]}",
                                  in)
                : k == 1 ? snprintf(body->data, body->cap,
                                    "{\"model\":\"bench-embed\",\"input\":[\"echo: %s\",\"%s\"]}",
                                    in, want)
                         : snprintf(body->data, body->cap,
                                    "{\"model\":\"bench-judge\",\"temperature\":0,"
                                    "\"messages\":[{\"role\":\"system\",\"content\":\"%s\"},"
                                    "{\"role\":\"user\",\"content\":\"Criteria: the answer is "
                                    "polite.\\nQuestion: %s\\nAnswer: echo: %s\"}]}",
                                    preamble, in, in);
        if (n < 0)
            return -1;
        if ((size_t)n < body->cap)
            return 0;
        char *p = realloc(body->data, (size_t)n + 1);
        if (!p)
            return -1;
        body->data = p;
        body->cap = (size_t)n + 1;
    }
}

static void *work(void *arg)
{
    (void)arg;
    CURL *c = curl_easy_init();
    text answer = {0}, body = {0};
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
        for (int k = 0; k < 3; k++) {
            answer.len = 0;
            if (body_of(i, k, &body) < 0) {
                atomic_store(&failed, 1);
                break;
            }
            curl_easy_setopt(c, CURLOPT_URL, k == 1 ? url_embed : url_chat);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data);
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
    free(body.data);
    curl_easy_cleanup(c);
    return NULL;
}

/* A text that can go into JSON as it is. */
static int plain(const char *s)
{
    for (; *s; s++)
        if (*s == '"' || *s == '\\' || (unsigned char)*s < 0x20)
            return 0;
    return 1;
}

/* The input text and expected output of each line of CASES (the
 * benchmark's dataset). */
static int load(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 0;
    char *line = NULL;
    int rc = 0;
    while (getline(&line, &cap, f) > 0) {
        cJSON *ex = cJSON_Parse(line);
        const cJSON *in = cJSON_GetObjectItem(cJSON_GetObjectItem(ex, "input"), "text");
        const cJSON *want = cJSON_GetObjectItem(ex, "expected_output");
        char **more = realloc(texts, (n_cases + 1) * 2 * sizeof *texts);
        if (more)
            texts = more;
        char *input = NULL, *reference = NULL;
        if (!cJSON_IsString(in) || !cJSON_IsString(want) || !plain(in->valuestring) ||
            !plain(want->valuestring) || !more || !(input = strdup(in->valuestring)) ||
            !(reference = strdup(want->valuestring))) {
            fprintf(stderr, "%s:%zu: not a benchmark case\n", path, n_cases + 1);
            free(input);
            cJSON_Delete(ex);
            rc = -1;
            break;
        }
        texts[n_cases * 2] = input;
        texts[n_cases * 2 + 1] = reference;
        cJSON_Delete(ex);
        n_cases++;
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
    memset(preamble, 'x', JUDGE_PREAMBLE_BYTES);
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
    for (size_t i = 0; i < n_cases * 2; i++)
        free(texts[i]);
    free(texts);
    free(url_chat);
    free(url_embed);
    curl_global_cleanup();
    if (!started || atomic_load(&failed))
        return 1;
    return 0;
}
