#include "faq_bot.h"

#include <string.h>
#include <strings.h>

static const struct {
    const char *keyword;
    const char *answer;
} faq[] = {
    {"price", "The Pro plan costs $49 per user per month. Happy to help!"},
    {"refund", "Refunds are processed within 5 business days of your request. Happy to help!"},
    {"password", "Use the Forgot password link on the sign-in page to reset it. Happy to help!"},
    {"export", "You can export your data as CSV from Settings > Data. Happy to help!"},
};

const char *faq_bot_answer(const char *question)
{
    for (size_t i = 0; i < sizeof faq / sizeof faq[0]; i++)
        if (question && strcasestr(question, faq[i].keyword))
            return faq[i].answer;
    return "I can only help with questions about our product. Happy to help!";
}
