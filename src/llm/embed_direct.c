/* Reading an OpenAI-style embeddings answer straight into floats.
 *
 * The general path parses the answer into a cJSON tree, one allocated node
 * and one locale lookup per number, then copies the numbers out: two thirds
 * of the CPU of an embedding call once the HTTP is done. Here the strict
 * parser of data/json.h reads the answer into one reused node array and the
 * numbers go straight to the rows, converted exactly as on the general path
 * (strtod, then float). Anything unusual (another shape, items out of
 * order, a non-number) is left to the general path, which also writes the
 * error messages: this one only ever says yes or "not me". */
#include "llm/embed_direct.h"

#include <stdlib.h>
#include <string.h>

#include "data/json.h"

/* OBJ.NAME as a count, as llm_json_long reads it: 0 when absent, not a
 * number, negative or beyond 2^53. */
static long count_member(const llm_jdoc *d, uint32_t obj, const char *name)
{
    uint32_t m = obj && d->nodes[obj].type == LLM_JOBJECT ? llm_jdoc_member(d, obj, name) : 0;
    if (!m || d->nodes[m].type != LLM_JNUMBER)
        return 0;
    double v = strtod(llm_jdoc_str(d, &d->nodes[m]), NULL);
    return v >= 0 && v <= 9007199254740992.0 ? (long)v : 0;
}

int llm_embed_direct(const char *body, size_t len, size_t n, llm_embeddings *out,
                     llm_usage *usage)
{
    llm_jdoc d;
    llm_jdoc_init(&d);
    llm_jparser p;
    llm_jparser_init(&p, body, len, 1, 0);
    int ok = 0;
    size_t count0 = out->count, dim0 = out->dim;
    uint32_t root = llm_jparser_value(&p, &d);
    if (root)
        llm_jparser_skip_ws(&p);
    if (!root || p.pos != len || d.nodes[root].type != LLM_JOBJECT)
        goto done;
    uint32_t data = llm_jdoc_member(&d, root, "data");
    if (!data || d.nodes[data].type != LLM_JARRAY || d.nodes[data].count != n)
        goto done;
    size_t pos = 0;
    for (uint32_t item = d.nodes[data].child; item; item = d.nodes[item].next, pos++) {
        if (d.nodes[item].type != LLM_JOBJECT)
            goto done;
        uint32_t idx = llm_jdoc_member(&d, item, "index");
        if (idx && (d.nodes[idx].type != LLM_JNUMBER ||
                    strtod(llm_jdoc_str(&d, &d.nodes[idx]), NULL) != (double)pos))
            goto done; /* out of order: the general path sorts */
        uint32_t emb = llm_jdoc_member(&d, item, "embedding");
        if (!emb || d.nodes[emb].type != LLM_JARRAY || d.nodes[emb].count == 0)
            goto done;
        size_t dim = d.nodes[emb].count;
        if (out->dim && dim != out->dim)
            goto done;
        float *grown = realloc(out->vectors, (out->count + 1) * dim * sizeof *grown);
        if (!grown)
            goto done;
        out->vectors = grown;
        out->dim = dim;
        float *row = grown + out->count * dim;
        size_t j = 0;
        for (uint32_t x = d.nodes[emb].child; x; x = d.nodes[x].next) {
            if (d.nodes[x].type != LLM_JNUMBER)
                goto done;
            row[j++] = (float)strtod(llm_jdoc_str(&d, &d.nodes[x]), NULL);
        }
        out->count++;
    }
    usage->prompt_tokens = count_member(&d, llm_jdoc_member(&d, root, "usage"), "prompt_tokens");
    usage->completion_tokens = 0;
    ok = 1;
done:
    if (!ok) { /* as it was: the general path starts from here */
        out->count = count0;
        out->dim = dim0;
    }
    llm_jdoc_free(&d);
    return ok;
}
