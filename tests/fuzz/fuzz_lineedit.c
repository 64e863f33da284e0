/* fuzz_lineedit.c — the line editor driven by a script of operations: whatever the keys, the
 * buffer stays clean UTF-8 (printable, '\n' only in multi-line mode), the cursor on a
 * character boundary within it, and the wrapped layout covers it. */
#include "fuzz.h"

#include "base/text.h"
#include "tui/lineedit.h"

static void check(const struct lineedit *le, int cols)
{
    const char *t = lineedit_text(le);
    FUZZ_ASSERT(strlen(t) == le->len && le->cur <= le->len);
    FUZZ_ASSERT(fuzz_clean_utf8(t, le->multiline ? "\n" : ""));
    FUZZ_ASSERT(le->cur == le->len || ((unsigned char)t[le->cur] & 0xC0) != 0x80);
    if (le->max)
        FUZZ_ASSERT(le->len <= le->max);
    struct le_vline *lines = NULL;
    size_t n = lineedit_wrap(le, cols, &lines);
    FUZZ_ASSERT(n >= 1);
    free(lines);
    int row = -1, col = -1;
    lineedit_cursor(le, cols, &row, &col);
    FUZZ_ASSERT(row >= 0 && col >= 0 && (size_t)row < n + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    struct lineedit le;
    lineedit_init(&le, NULL, data[0] & 1);
    le.max = data[0] & 2 ? 64 : 0;
    int cols = 1 + data[1] % 40;
    for (size_t i = 2; i < size; i++) {
        uint8_t op = data[i];
        switch (op % 16) {
        case 0:
            lineedit_backspace(&le);
            break;
        case 1:
            lineedit_delete(&le);
            break;
        case 2:
            lineedit_left(&le);
            break;
        case 3:
            lineedit_right(&le);
            break;
        case 4:
            lineedit_home(&le);
            break;
        case 5:
            lineedit_end(&le);
            break;
        case 6:
            lineedit_word_left(&le);
            break;
        case 7:
            lineedit_word_right(&le);
            break;
        case 8:
            lineedit_kill_word(&le);
            break;
        case 9:
            lineedit_kill_to_end(&le);
            break;
        case 10:
            lineedit_kill_to_start(&le);
            break;
        case 11:
            lineedit_up(&le, cols);
            break;
        case 12:
            lineedit_down(&le, cols);
            break;
        case 13: { /* a UTF-8 string: the next bytes, up to 8 */
            char buf[9] = {0};
            size_t k = 0;
            while (k < 8 && i + 1 < size)
                buf[k++] = (char)data[++i];
            lineedit_insert(&le, buf);
            break;
        }
        default: { /* a code point from the next two bytes and this one */
            uint32_t cp = (uint32_t)(op >> 4) << 16;
            if (i + 2 < size) {
                cp |= (uint32_t)data[i + 1] << 8 | data[i + 2];
                i += 2;
            }
            lineedit_insert_cp(&le, cp % 0x110000);
            break;
        }
        }
        check(&le, cols);
    }
    lineedit_free(&le);
    return 0;
}
