/* Model families, from the model's name. Vendors name their models with a
 * stable prefix (gpt-, claude-, gemini-, llama...), and OpenAI-compatible
 * servers (Ollama, vLLM, OpenRouter) carry other vendors' models, so the name
 * decides, not the wire format; only Anthropic's API serves one family. */
#include "llm/family.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    const char *prefix, *family;
} prefixes[] = {
    {"gpt", "openai"},        {"chatgpt", "openai"},    {"o1", "openai"},
    {"o3", "openai"},         {"o4", "openai"},         {"davinci", "openai"},
    {"text-", "openai"},      {"claude", "anthropic"},  {"gemini", "google"},
    {"gemma", "google"},      {"palm", "google"},       {"llama", "meta"},
    {"codellama", "meta"},    {"meta-llama", "meta"},   {"mistral", "mistral"},
    {"mixtral", "mistral"},   {"codestral", "mistral"}, {"ministral", "mistral"},
    {"pixtral", "mistral"},   {"magistral", "mistral"}, {"qwen", "qwen"},
    {"qwq", "qwen"},          {"deepseek", "deepseek"}, {"phi", "microsoft"},
    {"command", "cohere"},    {"c4ai", "cohere"},       {"grok", "xai"},
};

void llm_model_family(llm_provider_kind kind, const char *model, char *out, size_t size)
{
    out[0] = '\0';
    if (kind == LLM_PROVIDER_ANTHROPIC) {
        snprintf(out, size, "anthropic");
        return;
    }
    if (!model || !*model)
        return;
    /* "openai/gpt-4o" (OpenRouter), "meta-llama/Llama-3-8B" (Hugging Face). */
    const char *slash = strrchr(model, '/');
    const char *name = slash && slash[1] ? slash + 1 : model;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i].prefix);
        if (!strncasecmp(name, prefixes[i].prefix, n)) {
            snprintf(out, size, "%s", prefixes[i].family);
            return;
        }
    }
    size_t n = 0;
    for (const char *p = name; isalpha((unsigned char)*p) && n + 1 < size; p++)
        out[n++] = (char)tolower((unsigned char)*p);
    out[n] = '\0';
}

void llm_backend_family(const char *backend, char *out, size_t size)
{
    out[0] = '\0';
    if (!backend || !*backend)
        return;
    const char *colon = strchr(backend, ':');
    llm_provider_kind kind = LLM_PROVIDER_OPENAI;
    const char *model = backend;
    if (colon) {
        size_t n = (size_t)(colon - backend);
        if (n == 9 && !strncmp(backend, "anthropic", n))
            kind = LLM_PROVIDER_ANTHROPIC;
        model = colon + 1;
    }
    llm_model_family(kind, model, out, size);
}

void llm_backend_name(llm_provider_kind kind, const char *model, int embedder, char *out,
                      size_t size)
{
    if (kind == LLM_PROVIDER_OFFLINE)
        snprintf(out, size, "%s", embedder ? "lexical" : "offline");
    else
        snprintf(out, size, "%s:%s", llm_provider_kind_name(kind), model ? model : "?");
}
