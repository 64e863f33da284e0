/* fuzz_text.c — text_clean(), text_clean_plain(), text_fit(), text_width() on any bytes: the
 * result is valid UTF-8 with no control character (no ESC can reach a terminal), and text_fit
 * stays within its columns. */
#include "fuzz.h"

#include "base/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int cols = data[0] % 100;
    bool pad = data[0] & 0x80;
    char *s = fuzz_str(data + 1, size - 1);
    char *c = text_clean(s, false);
    FUZZ_ASSERT(fuzz_clean_utf8(c, ""));
    FUZZ_ASSERT(text_width(c) >= 0);
    free(c);
    c = text_clean(s, true);
    FUZZ_ASSERT(fuzz_clean_utf8(c, "\n"));
    free(c);
    c = text_clean_plain(s, data[0] & 1, (size_t)cols);
    FUZZ_ASSERT(fuzz_clean_utf8(c, (data[0] & 1) ? "\n\t" : "")); /* a body keeps its tabs */
    FUZZ_ASSERT(cols == 0 || strlen(c) <= (size_t)cols);
    free(c);
    char out[512];
    int w = text_fit(out, sizeof out, s, cols, pad);
    FUZZ_ASSERT(w >= 0 && w <= cols);
    FUZZ_ASSERT(fuzz_clean_utf8(out, ""));
    FUZZ_ASSERT(text_width(out) <= cols);
    if (pad)
        FUZZ_ASSERT(text_width(out) == cols);
    size_t off = text_col_offset(out, cols / 2);
    FUZZ_ASSERT(off <= strlen(out));
    free(s);
    return 0;
}
