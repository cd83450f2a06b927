/* A deliberately tiny "assistant" for the quickstart: it answers from a fixed
 * FAQ by keyword. In your project this is the code that calls your model. */
#ifndef FAQ_BOT_H
#define FAQ_BOT_H

const char *faq_bot_answer(const char *question);

#endif
