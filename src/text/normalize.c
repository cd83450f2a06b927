/* The three normalisations and tokenising. The SQuAD one follows the
 * official evaluation script step by step; see include/llmassert/text.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "core/error.h"
#include "text/norm.h"
#include "text/uprops.h"
#include "text/utf8.h"

static const char *const norm_names[] = {"none", "squad", "unicode"};

llm_status llm_normalization_parse(const char *name, llm_normalization *out)
{
    for (size_t i = 0; name && i < sizeof norm_names / sizeof norm_names[0]; i++) {
        if (strcasecmp(name, norm_names[i]) == 0) {
            *out = (llm_normalization)i;
            return LLM_OK;
        }
    }
    return llm_error(LLM_ERR_INVALID,
                     "unknown normalisation \"%s\" (expected none, squad or unicode)",
                     name ? name : "(null)");
}

const char *llm_normalization_name(llm_normalization n)
{
    if ((unsigned)n < sizeof norm_names / sizeof norm_names[0])
        return norm_names[n];
    return "unknown";
}

/* ---- growing the token list ------------------------------------------- */

static int grow(void **p, size_t *cap, size_t want, size_t elem)
{
    if (want <= *cap)
        return 0;
    size_t n = *cap ? *cap : 16;
    while (n < want) {
        if (n > ((size_t)-1) / 2 / elem)
            return -1;
        n *= 2;
    }
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int text_reserve(llm_toklist *t, size_t extra)
{
    return grow((void **)&t->text, &t->text_cap, t->text_len + extra + 1 + LLM_TOKLIST_SLACK, 1);
}

/* A token is open while bytes are appended after its start; closing it adds
 * the NUL and records it, unless it is empty. */
typedef struct tok_state {
    size_t start;
} tok_state;

static int tok_close(llm_toklist *t, tok_state *st)
{
    if (t->text_len == st->start)
        return 0;
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        size_t *off = realloc(t->off, cap * sizeof *off);
        if (!off)
            return -1;
        t->off = off;
        size_t *lens = realloc(t->len, cap * sizeof *lens);
        if (!lens)
            return -1;
        t->len = lens;
        t->cap = cap;
    }
    if (text_reserve(t, 0) != 0)
        return -1;
    t->off[t->count] = st->start;
    t->len[t->count] = t->text_len - st->start;
    t->count++;
    t->text[t->text_len++] = '\0';
    st->start = t->text_len;
    return 0;
}

static int tok_put(llm_toklist *t, uint32_t c)
{
    if (text_reserve(t, 4) != 0)
        return -1;
    if (c < 0x80)
        t->text[t->text_len++] = (char)c;
    else
        t->text_len += llm_utf8_encode(c, t->text + t->text_len);
    return 0;
}

static void toklist_reset(llm_toklist *t)
{
    t->text_len = 0;
    t->count = 0;
}

void llm_toklist_free(llm_toklist *t)
{
    free(t->text);
    free(t->off);
    free(t->len);
    free(t->cps);
    free(t->tmp);
    llm_buf_free(&t->scratch);
    memset(t, 0, sizeof *t);
}

static llm_status nomem(void) { return llm_error(LLM_ERR_NOMEM, "out of memory normalising text"); }

/* ---- ASCII classes --------------------------------------------------------- */

/* What the SQuAD normalisation does with each ASCII character: word
 * characters (\w: letters, digits; '_' is punctuation and deleted first),
 * white space (Python's str.isspace), string.punctuation (deleted), and the
 * rest (control characters, kept inside tokens). */
enum { CL_OTHER = 0, CL_WORD, CL_SPACE, CL_PUNCT };

static const unsigned char ascii_class[128] = {
    ['\t'] = CL_SPACE, ['\n'] = CL_SPACE, ['\v'] = CL_SPACE, ['\f'] = CL_SPACE,
    ['\r'] = CL_SPACE, [0x1C] = CL_SPACE, [0x1D] = CL_SPACE, [0x1E] = CL_SPACE,
    [0x1F] = CL_SPACE, [' '] = CL_SPACE,
    ['!'] = CL_PUNCT, ['"'] = CL_PUNCT, ['#'] = CL_PUNCT, ['$'] = CL_PUNCT, ['%'] = CL_PUNCT,
    ['&'] = CL_PUNCT, ['\''] = CL_PUNCT, ['('] = CL_PUNCT, [')'] = CL_PUNCT, ['*'] = CL_PUNCT,
    ['+'] = CL_PUNCT, [','] = CL_PUNCT, ['-'] = CL_PUNCT, ['.'] = CL_PUNCT, ['/'] = CL_PUNCT,
    [':'] = CL_PUNCT, [';'] = CL_PUNCT, ['<'] = CL_PUNCT, ['='] = CL_PUNCT, ['>'] = CL_PUNCT,
    ['?'] = CL_PUNCT, ['@'] = CL_PUNCT, ['['] = CL_PUNCT, ['\\'] = CL_PUNCT, [']'] = CL_PUNCT,
    ['^'] = CL_PUNCT, ['_'] = CL_PUNCT, ['`'] = CL_PUNCT, ['{'] = CL_PUNCT, ['|'] = CL_PUNCT,
    ['}'] = CL_PUNCT, ['~'] = CL_PUNCT,
    ['0'] = CL_WORD, ['1'] = CL_WORD, ['2'] = CL_WORD, ['3'] = CL_WORD, ['4'] = CL_WORD,
    ['5'] = CL_WORD, ['6'] = CL_WORD, ['7'] = CL_WORD, ['8'] = CL_WORD, ['9'] = CL_WORD,
    ['A'] = CL_WORD, ['B'] = CL_WORD, ['C'] = CL_WORD, ['D'] = CL_WORD, ['E'] = CL_WORD,
    ['F'] = CL_WORD, ['G'] = CL_WORD, ['H'] = CL_WORD, ['I'] = CL_WORD, ['J'] = CL_WORD,
    ['K'] = CL_WORD, ['L'] = CL_WORD, ['M'] = CL_WORD, ['N'] = CL_WORD, ['O'] = CL_WORD,
    ['P'] = CL_WORD, ['Q'] = CL_WORD, ['R'] = CL_WORD, ['S'] = CL_WORD, ['T'] = CL_WORD,
    ['U'] = CL_WORD, ['V'] = CL_WORD, ['W'] = CL_WORD, ['X'] = CL_WORD, ['Y'] = CL_WORD,
    ['Z'] = CL_WORD,
    ['a'] = CL_WORD, ['b'] = CL_WORD, ['c'] = CL_WORD, ['d'] = CL_WORD, ['e'] = CL_WORD,
    ['f'] = CL_WORD, ['g'] = CL_WORD, ['h'] = CL_WORD, ['i'] = CL_WORD, ['j'] = CL_WORD,
    ['k'] = CL_WORD, ['l'] = CL_WORD, ['m'] = CL_WORD, ['n'] = CL_WORD, ['o'] = CL_WORD,
    ['p'] = CL_WORD, ['q'] = CL_WORD, ['r'] = CL_WORD, ['s'] = CL_WORD, ['t'] = CL_WORD,
    ['u'] = CL_WORD, ['v'] = CL_WORD, ['w'] = CL_WORD, ['x'] = CL_WORD, ['y'] = CL_WORD,
    ['z'] = CL_WORD,
};

/* ---- squad: normalize_answer() of the official v1.1 script -------------- */

static int is_ascii_punct(uint32_t c)
{
    /* Python's string.punctuation: every printable ASCII character that is
     * neither a letter, a digit nor a space. */
    return (c >= 0x21 && c <= 0x2F) || (c >= 0x3A && c <= 0x40) || (c >= 0x5B && c <= 0x60) ||
           (c >= 0x7B && c <= 0x7E);
}

static int is_article(const uint32_t *w, size_t n)
{
    return (n == 1 && w[0] == 'a') || (n == 2 && w[0] == 'a' && w[1] == 'n') ||
           (n == 3 && w[0] == 't' && w[1] == 'h' && w[2] == 'e');
}

/* The general path: decode everything first, because the final-sigma rule
 * looks at neighbours on both sides. Used when the text has a capital sigma. */
static llm_status build_squad_cps(llm_toklist *t, const char *s, size_t len)
{
    size_t n;
    if (llm_utf8_to_cps(s, len, &t->cps, &t->cps_cap, &n) != 0)
        return nomem();
    /* 1. lower(), 2. delete string.punctuation. Lower-casing can double a
     * character (İ), never more, and never produces ASCII punctuation. */
    if (grow((void **)&t->tmp, &t->tmp_cap, 2 * n + 1, sizeof *t->tmp) != 0)
        return nomem();
    const uint32_t *in = t->cps;
    uint32_t *low = t->tmp;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = in[i];
        if (c < 0x80) {
            if (!is_ascii_punct(c))
                low[m++] = (c >= 'A' && c <= 'Z') ? c + 32 : c;
            continue;
        }
        uint32_t o[2];
        size_t k = llm_u_lower_full(in, n, i, o);
        for (size_t j = 0; j < k; j++)
            low[m++] = o[j];
    }
    /* 3. re.sub(r'\b(a|an|the)\b', ' '): a match is always a whole maximal
     * run of word characters, so each run equal to an article becomes a
     * space. 4. ' '.join(text.split()): tokens are what the spaces leave. */
    tok_state st = {0};
    size_t i = 0;
    while (i < m) {
        uint32_t c = low[i];
        if (llm_u_is_space(c)) {
            if (tok_close(t, &st) != 0)
                return nomem();
            i++;
            continue;
        }
        if (!llm_u_is_word(c)) {
            if (tok_put(t, c) != 0)
                return nomem();
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < m && llm_u_is_word(low[j]))
            j++;
        if (is_article(low + i, j - i)) {
            if (tok_close(t, &st) != 0)
                return nomem();
        } else {
            for (size_t k = i; k < j; k++)
                if (tok_put(t, low[k]) != 0)
                    return nomem();
        }
        i = j;
    }
    return tok_close(t, &st) == 0 ? LLM_OK : nomem();
}

/* The streaming path: one pass over the bytes, ASCII by table. A word run is
 * written as it comes; when it ends and spells an article, it is taken back
 * and counts as a space. */
#define NO_RUN ((size_t)-1)

static int reserve_tokens(llm_toklist *t, size_t n)
{
    if (n <= t->cap)
        return 0;
    size_t *off = realloc(t->off, n * sizeof *off);
    if (!off)
        return -1;
    t->off = off;
    size_t *lens = realloc(t->len, n * sizeof *lens);
    if (!lens)
        return -1;
    t->len = lens;
    t->cap = n;
    return 0;
}

static inline int is_article_bytes(const char *w, size_t n)
{
    return (n == 1 && w[0] == 'a') || (n == 2 && w[0] == 'a' && w[1] == 'n') ||
           (n == 3 && w[0] == 't' && w[1] == 'h' && w[2] == 'e');
}

/* This loop is the hot path of `llmassert score`, so the token list lives in
 * locals and the room is reserved up front: per input byte at most 3 output
 * bytes (an invalid byte becomes U+FFFD) plus a NUL, and a token needs at
 * least one byte of its own and one of separation. */
#define CLOSE_TOKEN()                  \
    do {                               \
        if (ol > tok) {                \
            if (count == cap)          \
                goto overflow;         \
            offs[count] = tok;         \
            lens[count] = ol - tok;    \
            count++;                   \
            o[ol++] = '\0';            \
            tok = ol;                  \
        }                              \
    } while (0)

/* A word run that spells an article is taken back and acts as a space. */
#define END_RUN()                                          \
    do {                                                   \
        if (run != NO_RUN) {                               \
            if (is_article_bytes(o + run, ol - run)) {     \
                ol = run;                                  \
                CLOSE_TOKEN();                             \
            }                                              \
            run = NO_RUN;                                  \
        }                                                  \
    } while (0)

#if defined(__SSE2__)
#include <emmintrin.h>
#define LLM_SQUAD_SIMD 1

/* Remove the bytes whose bits are set in drop from the 16 bytes lo|hi
 * (little-endian: byte 0 is lo's lowest) and the matching bits from *wm,
 * moving what follows down. Highest first, so lower positions stay put. */
static inline unsigned drop_bytes(uint64_t *lo, uint64_t *hi, unsigned *wm, unsigned drop)
{
    uint64_t l = *lo, h = *hi;
    unsigned w = *wm, dropped = 0;
    while (drop) {
        unsigned p = 31u - (unsigned)__builtin_clz(drop);
        drop &= ~(1u << p);
        dropped++;
        unsigned below = (1u << p) - 1;
        w = (w & below) | ((w >> 1) & ~below);
        if (p >= 8) {
            uint64_t keep = (1ull << (8 * (p - 8))) - 1;
            h = (h & keep) | ((h >> 8) & ~keep);
        } else {
            uint64_t keep = (1ull << (8 * p)) - 1;
            l = (l & keep) | ((l >> 8) & ~keep) | (h << 56);
            h >>= 8;
        }
    }
    *lo = l;
    *hi = h;
    *wm = w;
    return dropped;
}

/* Sixteen bytes at a time, or the first avail of them, where they are ASCII
 * letters, digits, white space and punctuation (most of an English text):
 * lower-case them with SSE2, turn white space into NULs, drop the
 * punctuation, store what is left where it goes, then read the tokens off
 * the bit mask of word characters, with the same article rule. The block
 * ends before the first other byte (non-ASCII, a control character); where
 * that is goes to *usedp, and 0 there means nothing was done. The scalar
 * loop's state (write cursor, open token, open word run) is kept. */
/* Inlined whole into the loop below: as a call, its state went through
 * memory and the tokens cost a fifth more instructions. */
#if defined(__GNUC__)
#define SQUAD_BLOCK_INLINE inline __attribute__((always_inline))
#else
#define SQUAD_BLOCK_INLINE inline
#endif
static SQUAD_BLOCK_INLINE void squad_block(const unsigned char *in, unsigned avail, char *o,
                                           size_t *olp, size_t *tokp, size_t *runp,
                                           size_t *offs, size_t *lens, size_t *countp,
                                           size_t cap, unsigned *usedp)
{
    __m128i v = _mm_loadu_si128((const __m128i *)in);
#define RANGE(x, lo, hi) \
    _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8((char)((lo) - 1))), \
                  _mm_cmplt_epi8(x, _mm_set1_epi8((char)((hi) + 1))))
    /* Letters of either case are the bytes whose 0x20 bit set makes a-z. */
    __m128i letter = RANGE(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z');
    __m128i word = _mm_or_si128(letter, RANGE(v, '0', '9'));
    /* Up to ' ' (and the bytes of 0x80 and up, negative as signed): mostly
     * spaces; the exact set of white space only when there is more. */
    __m128i space = _mm_cmplt_epi8(v, _mm_set1_epi8(0x21));
    unsigned high = (unsigned)_mm_movemask_epi8(v);
    unsigned wm = (unsigned)_mm_movemask_epi8(word);
    unsigned sm = (unsigned)_mm_movemask_epi8(space) & ~high;
    unsigned odd = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F))) | high;
    if (sm & ~(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')))) {
        __m128i white = _mm_or_si128(RANGE(v, 0x09, 0x0D), RANGE(v, 0x1C, 0x1F));
        space = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')), white);
        unsigned exact = (unsigned)_mm_movemask_epi8(space);
        odd |= sm & ~exact; /* control characters */
        sm = exact;
    }
#undef RANGE
    /* string.punctuation: printable ASCII that is neither word nor space */
    unsigned pm = ~(wm | sm | odd) & 0xFFFFu;
    odd &= (1u << avail) - 1;
    unsigned n = odd ? (unsigned)__builtin_ctz(odd) : avail; /* bytes taken */
    *usedp = n;
    if (n == 0)
        return;
    size_t base = *olp, tok = *tokp, run = *runp, count = *countp;
    if (count + 16 > cap) { /* cannot happen (see the bound in build_squad); stay safe */
        *usedp = 0;
        return;
    }
    unsigned nmask = (1u << n) - 1;
    __m128i lower = _mm_or_si128(v, _mm_and_si128(letter, _mm_set1_epi8(0x20)));
    __m128i text = _mm_andnot_si128(space, lower);
    pm &= nmask;
    wm &= nmask;
    if (pm) { /* delete the punctuation: what follows moves down */
        uint64_t lo = (uint64_t)_mm_cvtsi128_si64(text);
        uint64_t hi = (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(text, text));
        n -= drop_bytes(&lo, &hi, &wm, pm);
        text = _mm_set_epi64x((long long)hi, (long long)lo);
        if (n == 0) /* only punctuation: a word run goes on across it */
            return;
        nmask = (1u << n) - 1;
    }
    _mm_storeu_si128((__m128i *)(o + base), text);
    /* Where the whole words "a", "an" and "the" start, from byte masks. */
#define EQ(ch) ((unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(text, _mm_set1_epi8(ch))))
    unsigned eq_a = EQ('a'), eq_n = EQ('n'), eq_t = EQ('t'), eq_h = EQ('h'), eq_e = EQ('e');
#undef EQ
    unsigned wstart = wm & ~(wm << 1), wend = wm & ~(wm >> 1);
    unsigned articles = (wstart & wend & eq_a) |
                        (wstart & eq_a & (eq_n >> 1) & (wend >> 1)) |
                        (wstart & eq_t & (eq_h >> 1) & (eq_e >> 2) & (wend >> 2));
    /* A token left open by the general loop: [tok, base), maybe in a word
     * run that started at run. The block's first word joins it. */
    int open = tok < base;
    unsigned lo = 0; /* first bit the bulk below handles */
    if (open) {
        unsigned e0 = (wm & 1) ? (unsigned)__builtin_ctz(~wm | (1u << n)) : 0;
        if (e0 == n) { /* one word across the whole block: keep going */
            *olp = base + n;
            *runp = run != NO_RUN ? run : base;
            return;
        }
        size_t r = run != NO_RUN ? run : (e0 ? base : NO_RUN), end = base + e0;
        if (r != NO_RUN && is_article_bytes(o + r, end - r)) {
            if (tok < r) { /* what preceded the article is a token */
                o[r] = '\0';
                offs[count] = tok;
                lens[count++] = r - tok;
            }
        } else {
            offs[count] = tok;
            lens[count++] = end - tok;
        }
        lo = e0;
    }
    /* A word touching the end goes on into what follows: leave it open. */
    unsigned starts = wstart & nmask & (0xFFFFu << lo);
    unsigned hi = n;
    if ((wm >> (n - 1)) & 1)
        hi = 31u - (unsigned)__builtin_clz(starts);
    unsigned range = (0xFFFFu << lo) & ((1u << hi) - 1);
    unsigned s_bits = starts & range, e_bits = wend & range;
    /* Every word strictly inside: record it unless it is an article, with
     * one well-predicted test per word. */
    while (s_bits) {
        unsigned st = (unsigned)__builtin_ctz(s_bits), en = (unsigned)__builtin_ctz(e_bits);
        s_bits &= s_bits - 1;
        e_bits &= e_bits - 1;
        offs[count] = base + st;
        lens[count] = en - st + 1;
        count += !((articles >> st) & 1);
    }
    if (hi < n) {
        *tokp = base + hi;
        *runp = base + hi;
    } else {
        *tokp = base + n;
        *runp = NO_RUN;
    }
    *olp = base + n;
    *countp = count;
}
#endif

static llm_status build_squad(llm_toklist *t, const char *s, size_t len)
{
    /* A block stores 16 bytes wherever the output has got to. */
    if (text_reserve(t, 4 * len + 16) != 0 || reserve_tokens(t, len / 2 + 2) != 0)
        return nomem();
    const unsigned char *u = (const unsigned char *)s;
    char *o = t->text;
    size_t *offs = t->off, *lens = t->len;
    size_t ol = 0, tok = 0, count = 0, cap = t->cap, run = NO_RUN, i = 0;
#ifdef LLM_SQUAD_SIMD
    size_t simd_from = 0; /* no block attempt before here (one just failed) */
#endif
    while (i < len) {
        unsigned char b = u[i];
#ifdef LLM_SQUAD_SIMD
        if (i >= simd_from) {
            unsigned avail = 16, used;
            if (i + 16 <= len) {
                squad_block(u + i, 16, o, &ol, &tok, &run, offs, lens, &count, cap, &used);
            } else { /* the last bytes, from a copy: nothing is read past the text */
                unsigned char last[16] = {0};
                avail = (unsigned)(len - i);
                memcpy(last, u + i, avail);
                squad_block(last, avail, o, &ol, &tok, &run, offs, lens, &count, cap, &used);
            }
            i += used;
            if (used == avail)
                continue;
            /* The loop below takes the odd byte (an "é", a control
             * character); blocks again right after it. */
            simd_from = i + 1;
            b = u[i];
        }
#endif
        if (b < 0x80) {
            int cl = ascii_class[b];
            if (cl == CL_WORD) {
                /* Letters, digits and the punctuation deleted between them
                 * form one run. */
                if (run == NO_RUN)
                    run = ol;
                for (;;) {
                    if (cl == CL_WORD)
                        o[ol++] = (char)(b >= 'A' && b <= 'Z' ? b + 32 : b);
                    if (++i == len || (b = u[i]) >= 0x80)
                        break;
                    cl = ascii_class[b];
                    if (cl != CL_WORD && cl != CL_PUNCT)
                        break;
                }
                continue;
            }
            i++;
            if (cl == CL_PUNCT)
                continue;
            END_RUN();
            if (cl == CL_SPACE)
                CLOSE_TOKEN();
            else
                o[ol++] = (char)b;
            continue;
        }
        /* A character met before: its lower case and class from the table. */
        size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
        uint32_t key = 0;
        llm_seen_char *seen = NULL;
        if (need <= len - i) {
            key = (uint32_t)u[i] | (uint32_t)u[i + 1] << 8;
            if (need > 2)
                key |= (uint32_t)u[i + 2] << 16;
            if (need > 3)
                key |= (uint32_t)u[i + 3] << 24;
            seen = &t->seen[(key * 0x9E3779B1u) >> 27];
            if (seen->in_len == need && seen->key == key) {
                i += need;
                if (seen->kind == CL_WORD) {
                    if (run == NO_RUN)
                        run = ol;
                } else {
                    END_RUN();
                    if (seen->kind == CL_SPACE) {
                        CLOSE_TOKEN();
                        continue;
                    }
                }
                memcpy(o + ol, seen->out, sizeof seen->out); /* the buffer has the room */
                ol += seen->out_len;
                continue;
            }
        }
        uint32_t c, low[2];
        size_t used = llm_utf8_decode(u + i, len - i, &c);
        i += used;
        if (c == 0x03A3) { /* capital sigma: its case depends on both neighbours */
            t->text_len = t->count = 0;
            return build_squad_cps(t, s, len);
        }
        size_t k = llm_u_lower_full(&c, 1, 0, low);
        if (seen && used == need && c != LLM_REPLACEMENT_CHAR && k == 1) {
            /* (the table only learns valid characters that stay one) */
            uint32_t lc = low[0];
            seen->key = key;
            seen->in_len = (unsigned char)need;
            seen->kind = lc < 0x80         ? ascii_class[lc]
                         : llm_u_is_word(lc)  ? CL_WORD
                         : llm_u_is_space(lc) ? CL_SPACE
                                              : CL_OTHER;
            if (seen->kind == CL_PUNCT) /* cannot happen: lower-casing makes no ASCII punctuation */
                seen->in_len = 0;
            seen->out_len = (unsigned char)llm_utf8_encode(lc, seen->out);
        }
        for (size_t j = 0; j < k; j++) {
            c = low[j];
            if (c < 0x80 ? ascii_class[c] == CL_WORD : llm_u_is_word(c)) {
                if (run == NO_RUN)
                    run = ol;
            } else {
                END_RUN();
                if (c < 0x80 ? ascii_class[c] == CL_SPACE : llm_u_is_space(c)) {
                    CLOSE_TOKEN();
                    continue;
                }
            }
            ol += llm_utf8_encode(c, o + ol);
        }
    }
    END_RUN();
    CLOSE_TOKEN();
    t->text_len = ol;
    t->count = count;
    return LLM_OK;
overflow: /* cannot happen: see the bound above */
    t->text_len = t->count = 0;
    return llm_error(LLM_ERR_INTERNAL, "token table too small");
}

#undef END_RUN

/* ---- none: split on white space ---------------------------------------- */

static llm_status build_none(llm_toklist *t, const char *s, size_t len)
{
    if (text_reserve(t, 4 * len + 1) != 0 || reserve_tokens(t, len / 2 + 2) != 0)
        return nomem();
    const unsigned char *u = (const unsigned char *)s;
    char *o = t->text;
    size_t *offs = t->off, *lens = t->len;
    size_t ol = 0, tok = 0, count = 0, cap = t->cap, i = 0;
    while (i < len) {
        unsigned char b = u[i];
        if (b < 0x80) {
            i++;
            if (ascii_class[b] == CL_SPACE)
                CLOSE_TOKEN();
            else
                o[ol++] = (char)b;
            continue;
        }
        uint32_t c;
        size_t used = llm_utf8_decode(u + i, len - i, &c);
        if (llm_u_is_space(c))
            CLOSE_TOKEN();
        else if (c == LLM_REPLACEMENT_CHAR)
            ol += llm_utf8_encode(c, o + ol);
        else {
            memcpy(o + ol, s + i, used);
            ol += used;
        }
        i += used;
    }
    CLOSE_TOKEN();
    t->text_len = ol;
    t->count = count;
    return LLM_OK;
overflow:
    t->text_len = t->count = 0;
    return llm_error(LLM_ERR_INTERNAL, "token table too small");
}

#undef CLOSE_TOKEN

/* ---- unicode: NFKC + case fold, punctuation and symbols deleted --------- */

int llm_utf8_repair(const char *s, size_t len, llm_buf *out)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    char enc[4];
    while (i < len) {
        size_t run = i;
        while (run < len && u[run] < 0x80)
            run++;
        if (run > i && llm_buf_append(out, s + i, run - i) != 0)
            return -1;
        i = run;
        if (i >= len)
            break;
        uint32_t cp;
        size_t used = llm_utf8_decode(u + i, len - i, &cp);
        if (cp == LLM_REPLACEMENT_CHAR) {
            if (llm_buf_append(out, enc, llm_utf8_encode(cp, enc)) != 0)
                return -1;
        } else if (llm_buf_append(out, s + i, used) != 0) {
            return -1;
        }
        i += used;
    }
    return llm_buf_reserve(out, 0);
}

static const utf8proc_option_t NFKC_CF = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                         UTF8PROC_CASEFOLD | UTF8PROC_IGNORE | UTF8PROC_STRIPCC;

static int is_mark(uint32_t c)
{
    utf8proc_category_t k = utf8proc_category((utf8proc_int32_t)c);
    return k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME;
}

/* utf8proc_map() with our options on valid UTF-8; returns a malloc'd string
 * or NULL on out-of-memory. */
static utf8proc_uint8_t *map_utf8(const char *s, size_t len, utf8proc_option_t opts,
                                  utf8proc_ssize_t *out_len)
{
    utf8proc_uint8_t *mapped = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &mapped,
                                      opts);
    if (r < 0)
        return NULL;
    *out_len = r;
    return mapped;
}

static llm_status build_unicode(llm_toklist *t, const char *s, size_t len)
{
    /* utf8proc needs valid UTF-8: repair only when the input is not. */
    const char *src = s;
    size_t src_len = len;
    for (size_t i = 0; i < len; i++) {
        if ((unsigned char)s[i] >= 0x80) {
            llm_buf_reset(&t->scratch);
            if (llm_utf8_repair(s, len, &t->scratch) != 0)
                return nomem();
            src = t->scratch.data;
            src_len = t->scratch.len;
            break;
        }
    }
    utf8proc_ssize_t mlen = 0;
    utf8proc_uint8_t *mapped = NULL;
    if (src_len > 0 && !(mapped = map_utf8(src, src_len, NFKC_CF, &mlen)))
        return nomem();
    size_t n;
    int rc = llm_utf8_to_cps((const char *)mapped, (size_t)mlen, &t->cps, &t->cps_cap, &n);
    free(mapped);
    if (rc != 0)
        return nomem();
    /* Deleting a symbol can leave a combining mark next to a base it would
     * compose with ("e©\u0301"); compose again then, so that normalising
     * twice changes nothing. */
    int recompose = 0, dropped = 0;
    tok_state st = {0};
    for (size_t i = 0; i < n; i++) {
        uint32_t c = t->cps[i];
        if (c >= 0x80 ? llm_u_is_punct_or_symbol(c) : is_ascii_punct(c)) {
            dropped = 1;
            continue;
        }
        if (dropped && c >= 0x80 && is_mark(c))
            recompose = 1;
        dropped = 0;
        if ((llm_u_is_space(c) ? tok_close(t, &st) : tok_put(t, c)) != 0)
            return nomem();
    }
    if (tok_close(t, &st) != 0)
        return nomem();
    if (!recompose)
        return LLM_OK;
    /* Compose each token again in place of the old ones. */
    llm_buf joined = LLM_BUF_INIT;
    for (size_t i = 0; i < t->count; i++)
        if ((i && llm_buf_putc(&joined, ' ') != 0) ||
            llm_buf_append(&joined, t->text + t->off[i], t->len[i]) != 0) {
            llm_buf_free(&joined);
            return nomem();
        }
    mapped = map_utf8(joined.data, joined.len, UTF8PROC_STABLE | UTF8PROC_COMPOSE, &mlen);
    llm_buf_free(&joined);
    if (!mapped)
        return nomem();
    toklist_reset(t);
    st.start = 0;
    for (utf8proc_ssize_t i = 0; i < mlen; i++) {
        if ((mapped[i] == ' ' ? tok_close(t, &st) : (text_reserve(t, 1) ? -1 : 0)) != 0) {
            free(mapped);
            return nomem();
        }
        if (mapped[i] != ' ')
            t->text[t->text_len++] = (char)mapped[i];
    }
    free(mapped);
    return tok_close(t, &st) == 0 ? LLM_OK : nomem();
}

llm_status llm_toklist_build(llm_toklist *t, const char *s, size_t len, llm_normalization norm)
{
    toklist_reset(t);
    if (!s && len)
        return llm_error(LLM_ERR_INVALID, "text is NULL");
    switch (norm) {
    case LLM_NORM_NONE:
        return build_none(t, s, len);
    case LLM_NORM_SQUAD:
        return build_squad(t, s, len);
    case LLM_NORM_UNICODE:
        return build_unicode(t, s, len);
    }
    return llm_error(LLM_ERR_INVALID, "unknown normalisation %d", (int)norm);
}

llm_status llm_normalize_n(const char *s, size_t len, llm_normalization norm, llm_buf *out)
{
    if (norm == LLM_NORM_NONE) {
        if (!s && len)
            return llm_error(LLM_ERR_INVALID, "text is NULL");
        return llm_utf8_repair(s, len, out) == 0 ? LLM_OK : nomem();
    }
    llm_toklist t = LLM_TOKLIST_INIT;
    llm_status st = llm_toklist_build(&t, s, len, norm);
    for (size_t i = 0; st == LLM_OK && i < t.count; i++)
        if ((i && llm_buf_putc(out, ' ') != 0) ||
            llm_buf_append(out, t.text + t.off[i], t.len[i]) != 0)
            st = nomem();
    if (st == LLM_OK && llm_buf_reserve(out, 0) != 0)
        st = nomem();
    llm_toklist_free(&t);
    return st;
}

/* ---- public API ---------------------------------------------------------- */

llm_status llm_normalize(const char *text, llm_normalization norm, char **out)
{
    if (!out)
        return llm_error(LLM_ERR_INVALID, "llm_normalize: out is NULL");
    *out = NULL;
    if (!text)
        return llm_error(LLM_ERR_INVALID, "llm_normalize: text is NULL");
    llm_buf b = LLM_BUF_INIT;
    llm_status st = llm_normalize_n(text, strlen(text), norm, &b);
    if (st != LLM_OK) {
        llm_buf_free(&b);
        return st;
    }
    *out = llm_buf_steal(&b);
    return *out ? LLM_OK : nomem();
}

llm_status llm_tokenize(const char *text, llm_normalization norm, llm_tokens *out)
{
    if (!out)
        return llm_error(LLM_ERR_INVALID, "llm_tokenize: out is NULL");
    memset(out, 0, sizeof *out);
    if (!text)
        return llm_error(LLM_ERR_INVALID, "llm_tokenize: text is NULL");
    llm_toklist t = LLM_TOKLIST_INIT;
    llm_status st = llm_toklist_build(&t, text, strlen(text), norm);
    if (st == LLM_OK) {
        /* One block for the pointers and lengths, one for the text. */
        size_t count = t.count;
        out->items = malloc((count ? count : 1) * sizeof *out->items);
        out->lengths = malloc((count ? count : 1) * sizeof *out->lengths);
        out->storage_ = malloc(t.text_len ? t.text_len : 1);
        if (!out->items || !out->lengths || !out->storage_) {
            llm_tokens_free(out);
            st = nomem();
        } else {
            if (t.text_len)
                memcpy(out->storage_, t.text, t.text_len);
            for (size_t i = 0; i < count; i++) {
                out->items[i] = out->storage_ + t.off[i];
                out->lengths[i] = t.len[i];
            }
            out->count = count;
        }
    }
    llm_toklist_free(&t);
    return st;
}

void llm_tokens_free(llm_tokens *t)
{
    if (!t)
        return;
    free(t->items);
    free(t->lengths);
    free(t->storage_);
    memset(t, 0, sizeof *t);
}
