/* Any bytes as the judge's claims answer of a hallucination check. Accepted
 * answers give claims with text and a known status, tallies that add up, and
 * a faithfulness in [0, 1] computed here (never the model's own figure). */
#include <math.h>
#include <string.h>

#include "fuzz/fuzz.h"
#include "llm/judge_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    char why[256] = "";
    llm_hallucination_result r;
    if (llm_hallucination_read_answer(text, &r, why, sizeof why) == 0) {
        FZ_CHECK(r.n_claims == 0 || r.claims != NULL);
        for (size_t i = 0; i < r.n_claims; i++) {
            FZ_CHECK(r.claims[i].text && *r.claims[i].text);
            FZ_CHECK(llm_claim_status_name(r.claims[i].status) != NULL);
        }
        FZ_CHECK(r.supported + r.unsupported + r.not_checkable + r.inferred == r.n_claims);
        FZ_CHECK(isfinite(r.faithfulness) && r.faithfulness >= 0 && r.faithfulness <= 1);
        FZ_CHECK(r.has_hallucinations == (r.unsupported > 0));
    } else {
        FZ_CHECK(why[0] != '\0');
        FZ_CHECK(r.claims == NULL && r.n_claims == 0);
    }
    llm_hallucination_result_free(&r);
    free(text);
    return 0;
}
