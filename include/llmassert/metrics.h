/*
 * llmassert/metrics.h: reference-based metrics.
 *
 * Each metric compares a prediction (the model's output) with a reference
 * (the expected answer) after a normalisation (llmassert/text.h) and fills a
 * struct with its score and the parts it is made of. Every score is in
 * [0, 1]. Inputs are NUL-terminated UTF-8; invalid UTF-8 reads as U+FFFD and
 * never fails. A function fails only on a NULL argument, an unknown
 * normalisation or memory exhaustion; the message is in llm_last_error().
 *
 * With LLM_NORM_SQUAD, llm_exact_match() and llm_token_f1() give the same
 * numbers as the official SQuAD v1.1 evaluation script's exact_match_score()
 * and f1_score(), to the last bit of the double, on any text.
 */
#ifndef LLMASSERT_METRICS_H
#define LLMASSERT_METRICS_H

#include <stddef.h>

#include "llmassert/common.h"
#include "llmassert/text.h"

#ifdef __cplusplus
extern "C" {
#endif

/* 1.0 when the normalised texts are identical, else 0.0. Two texts that both
 * normalise to nothing match. */
llm_status llm_exact_match(const char *prediction, const char *reference,
                           llm_normalization norm, double *score);

/* Token-level F1, the SQuAD definition: tokens are counted as multisets
 * ("the cat cat" shares two "cat" with "cat cat" and one with "cat");
 * precision = common / prediction_tokens, recall = common / reference_tokens,
 * f1 = 2PR / (P + R). When no token is shared all three are 0, so two empty
 * answers score f1 0 (but exact match 1), as in the script. */
typedef struct llm_f1 {
    double f1, precision, recall;
    size_t common, prediction_tokens, reference_tokens;
} llm_f1;

llm_status llm_token_f1(const char *prediction, const char *reference,
                        llm_normalization norm, llm_f1 *out);

/* ROUGE-L on tokens: the longest common subsequence (in order, gaps
 * allowed); precision = lcs / prediction_tokens, recall = lcs /
 * reference_tokens, f = 2PR / (P + R) (beta = 1). 0 when either side has no
 * tokens, like the rouge-score package. Time is O(prediction_tokens x
 * reference_tokens), memory O(reference_tokens). */
typedef struct llm_rouge_l_score {
    double f, precision, recall;
    size_t lcs, prediction_tokens, reference_tokens;
} llm_rouge_l_score;

llm_status llm_rouge_l(const char *prediction, const char *reference,
                       llm_normalization norm, llm_rouge_l_score *out);

/* Levenshtein distance on Unicode code points of the normalised texts
 * (insertions, deletions and substitutions each cost 1), and similarity =
 * 1 - distance / max(length_a, length_b); two empty texts are identical
 * (similarity 1). Time O(length_a x length_b), memory O(length_b). */
typedef struct llm_levenshtein_score {
    double similarity;
    size_t distance, length_a, length_b;
} llm_levenshtein_score;

llm_status llm_levenshtein(const char *a, const char *b, llm_normalization norm,
                           llm_levenshtein_score *out);

#ifdef __cplusplus
}
#endif

#endif /* LLMASSERT_METRICS_H */
