/* Character properties from utf8proc, shaped to match Python's definitions. */
#include "text/uprops.h"

#include <utf8proc.h>

#include "llmassert/text.h"

const char *llm_unicode_version(void) { return utf8proc_unicode_version(); }

int llm_u_is_space(uint32_t c)
{
    if (c < 0x80)
        return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20);
    const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)c);
    return p->bidi_class == UTF8PROC_BIDI_CLASS_WS || p->bidi_class == UTF8PROC_BIDI_CLASS_B ||
           p->bidi_class == UTF8PROC_BIDI_CLASS_S || p->category == UTF8PROC_CATEGORY_ZS;
}

static int is_letter_or_number(utf8proc_category_t k)
{
    return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO) ||
           (k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO);
}

int llm_u_is_word(uint32_t c)
{
    if (c < 0x80)
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               c == '_';
    return is_letter_or_number(utf8proc_category((utf8proc_int32_t)c));
}

int llm_u_is_punct_or_symbol(uint32_t c)
{
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return (k >= UTF8PROC_CATEGORY_PC && k <= UTF8PROC_CATEGORY_PO) ||
           (k >= UTF8PROC_CATEGORY_SM && k <= UTF8PROC_CATEGORY_SO);
}

/* Cased = Lowercase or Uppercase or Lt. utf8proc has no Other_Lowercase /
 * Other_Uppercase flags, but almost all such characters either carry a case
 * mapping (ⓐ, ⅰ, U+0345) or are modifier letters, which are case-ignorable and
 * therefore never consulted for Cased by the sigma rule. The remainder,
 * without a mapping in utf8proc's data, is this short list (PropList.txt). */
static int other_case_without_mapping(uint32_t c)
{
    return c == 0x00AA || c == 0x00BA ||           /* ª º */
           (c >= 0x1F130 && c <= 0x1F149) ||       /* squared Latin capitals */
           (c >= 0x1F150 && c <= 0x1F169) ||       /* negative circled */
           (c >= 0x1F170 && c <= 0x1F189);         /* negative squared */
}

int llm_u_is_cased(uint32_t c)
{
    utf8proc_int32_t ci = (utf8proc_int32_t)c;
    utf8proc_category_t k = utf8proc_category(ci);
    if (k == UTF8PROC_CATEGORY_LU || k == UTF8PROC_CATEGORY_LL || k == UTF8PROC_CATEGORY_LT)
        return 1;
    if (utf8proc_tolower(ci) != ci || utf8proc_toupper(ci) != ci || utf8proc_totitle(ci) != ci)
        return 1;
    return other_case_without_mapping(c);
}

/* Case_Ignorable = Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or
 * Single_Quote. utf8proc does not carry Word_Break; these are the characters
 * with those three values (WordBreakProperty.txt). */
static int word_break_mid(uint32_t c)
{
    switch (c) {
    case 0x0027: case 0x002E: case 0x003A: case 0x00B7: case 0x0387: case 0x055F:
    case 0x05F4: case 0x2018: case 0x2019: case 0x2024: case 0x2027: case 0xFE13:
    case 0xFE52: case 0xFE55: case 0xFF07: case 0xFF0E: case 0xFF1A:
        return 1;
    default:
        return 0;
    }
}

int llm_u_is_case_ignorable(uint32_t c)
{
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k == UTF8PROC_CATEGORY_MN || k == UTF8PROC_CATEGORY_ME || k == UTF8PROC_CATEGORY_CF ||
           k == UTF8PROC_CATEGORY_LM || k == UTF8PROC_CATEGORY_SK || word_break_mid(c);
}

/* Unicode's Final_Sigma condition, as Python evaluates it: a cased letter
 * before (skipping case-ignorables) and no cased letter after. */
static int final_sigma(const uint32_t *s, size_t n, size_t i)
{
    size_t j = i;
    while (j > 0 && llm_u_is_case_ignorable(s[j - 1]))
        j--;
    if (j == 0 || !llm_u_is_cased(s[j - 1]))
        return 0;
    j = i + 1;
    while (j < n && llm_u_is_case_ignorable(s[j]))
        j++;
    return j == n || !llm_u_is_cased(s[j]);
}

size_t llm_u_lower_full(const uint32_t *s, size_t n, size_t i, uint32_t out[2])
{
    uint32_t c = s[i];
    if (c < 0x80) {
        out[0] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
        return 1;
    }
    /* SpecialCasing.txt has one unconditional lower-case mapping longer than
     * one character; utf8proc_tolower() gives the simple mapping 'i'. */
    if (c == 0x0130) {
        out[0] = 0x0069;
        out[1] = 0x0307;
        return 2;
    }
    if (c == 0x03A3) {
        out[0] = final_sigma(s, n, i) ? 0x03C2 : 0x03C3;
        return 1;
    }
    out[0] = (uint32_t)utf8proc_tolower((utf8proc_int32_t)c);
    return 1;
}
