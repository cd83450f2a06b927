/* A program outside this source tree, built against the *installed* library
 * with pkg-config (make installcheck / make distcheck build and run it):
 *
 *   cc consumer.c $(pkg-config --cflags --libs llmassert) -o consumer
 */
#include <llmassert/plain.h>
#include <stdio.h>

int main(void)
{
    printf("linked against llmassert %s\n", llm_version());
    LLM_BEGIN("installed_library_works", "golden");
    LLM_ASSERT_F1_GE("Refunds take five business days.", "Refunds take five business days", 0.9);
    LLM_ASSERT_WORDS_BETWEEN("Refunds take five business days.", 3, 20);
    LLM_END();
    return llm_plain_finish();
}
