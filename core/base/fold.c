/* fold.c — names folded for matching (see fold.h). */
#include "base/fold.h"

#include <stdint.h>
#include <string.h>

#include "base/text.h"

/* Base letters of U+00C0..U+017F, 16 per line; '.' keeps the character as it is. */
static const char latin[] = "aaaaaaaceeeeiiii"  /* U+00C0 */
                            "dnooooo.ouuuuyt."  /* U+00D0 (ß below) */
                            "aaaaaaaceeeeiiii"  /* U+00E0 */
                            "dnooooo.ouuuuyty"  /* U+00F0 */
                            "aaaaaaccccccccdd"  /* U+0100 */
                            "ddeeeeeeeeeegggg"  /* U+0110 */
                            "gggghhhhiiiiiiii"  /* U+0120 */
                            "iiiijjkkklllllll"  /* U+0130 */
                            "lllnnnnnnnnnoooo"  /* U+0140 */
                            "oooorrrrrrssssss"  /* U+0150 */
                            "ssttttttuuuuuuuu"  /* U+0160 */
                            "uuuuwwyyyzzzzzzs"; /* U+0170 */

static const char *two_letters(uint32_t cp)
{
    switch (cp) {
    case 0xc6:
    case 0xe6:
        return "ae";
    case 0x152:
    case 0x153:
        return "oe";
    case 0xdf:
        return "ss";
    default:
        return NULL;
    }
}

size_t fold_key(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    int space = 1; /* drops leading spaces and runs */
    if (!s)
        s = "";
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = text_decode(s + i, n - i, &cp);
        if (len == 0) {
            len = 1; /* an invalid byte: kept as it is */
            cp = 0xfffd;
        }
        char buf[4];
        const char *piece = s + i;
        size_t plen = len;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '-' || cp == '\'' ||
            cp == 0x2019 || cp == 0xa0) {
            i += len;
            if (!space && o + 1 < outlen)
                out[o++] = ' ';
            space = 1;
            continue;
        }
        if (cp >= 'A' && cp <= 'Z') {
            buf[0] = (char)(cp - 'A' + 'a');
            piece = buf, plen = 1;
        } else if (two_letters(cp)) {
            piece = two_letters(cp), plen = 2;
        } else if (cp >= 0xc0 && cp <= 0x17f && latin[cp - 0xc0] != '.') {
            buf[0] = latin[cp - 0xc0];
            piece = buf, plen = 1;
        }
        if (o + plen + 1 > outlen)
            break;
        memcpy(out + o, piece, plen);
        o += plen;
        space = 0;
        i += len;
    }
    if (o > 0 && out[o - 1] == ' ')
        o--;
    out[o] = '\0';
    return o;
}
