/* Any bytes as an llmassert.json configuration: parsed, every role read, the
 * assertion settings read. A refused file always says why, naming the file. */
#include <math.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "llm/config_assert.h"
#include "llmassert/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    llm_config *cfg = NULL;
    llm_status st = llm_config_parse(text, "fuzz.json", &cfg);
    if (st != LLM_OK) {
        FZ_CHECK(cfg == NULL);
        const char *msg = llm_last_error();
        FZ_CHECK(msg && *msg);
        FZ_CHECK(strstr(msg, "fuzz.json") != NULL || st == LLM_ERR_NOMEM);
    } else {
        FZ_CHECK(cfg != NULL);
        for (int r = 0; r < LLM_ROLE_COUNT; r++) {
            const llm_provider_config *pc = llm_config_role(cfg, (llm_role)r);
            if (!pc)
                continue;
            FZ_CHECK(llm_provider_kind_name(pc->kind) != NULL);
            FZ_CHECK(!isnan(pc->timeout) && !isnan(pc->connect_timeout));
            FZ_CHECK(pc->max_attempts >= 1);
        }
        (void)llm_config_judge_required(cfg);
        (void)llm_config_cache_path(cfg);
        FZ_CHECK(llm_cache_mode_name(llm_config_cache_mode(cfg)) != NULL);
        FZ_CHECK(llm_config_assert_settings(cfg) != NULL);
        llm_config_free(cfg);
    }
    free(text);
    return 0;
}
