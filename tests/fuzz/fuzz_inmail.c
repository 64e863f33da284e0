/* fuzz_inmail.c — inmail_parse() over any bytes (a limit from the first byte), then
 * inmail_strip_quoted() over its text: a parse succeeds or fails with a message and nothing
 * allocated; every string it returns is valid UTF-8 without control characters (the text and the
 * calendar keep '\n' and '\t', a header value is one line), within its bounds. */
#include "fuzz.h"

#include "msg/inmail.h"
#include "msg/inmail_internal.h"

static void check_line(const char *s)
{
    if (s)
        FUZZ_ASSERT(fuzz_clean_utf8(s, "") && !strstr(s, "\xC2\x9B"));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    size_t max_len = size && data[0] == 'L' ? size / 2 : 0;
    struct inmail m;
    struct lcm_err err = {0};
    if (inmail_parse((const char *)data, size, max_len, &m, &err) != LCM_OK) {
        FUZZ_ASSERT(err.msg[0] && !m.text && !m.subject && !m.from_name);
        return 0;
    }
    check_line(m.message_id);
    check_line(m.in_reply_to);
    for (size_t i = 0; i < m.n_references; i++)
        check_line(m.references[i]);
    FUZZ_ASSERT(m.from_name && m.subject && m.text);
    check_line(m.from_addr);
    check_line(m.from_name);
    check_line(m.reply_to);
    check_line(m.to_addr);
    check_line(m.subject);
    check_line(m.calendar_method);
    check_line(m.bounce_recipient);
    check_line(m.bounce_status);
    check_line(m.bounce_message_id);
    FUZZ_ASSERT(strlen(m.subject) <= INMAIL_VALUE_MAX && strlen(m.from_name) <= INMAIL_VALUE_MAX);
    FUZZ_ASSERT(fuzz_clean_utf8(m.text, "\n\t"));
    if (m.calendar)
        FUZZ_ASSERT(fuzz_clean_utf8(m.calendar, "\n\t"));
    FUZZ_ASSERT(m.n_references <= 100);
    char *s = inmail_strip_quoted(m.text);
    FUZZ_ASSERT(fuzz_clean_utf8(s, "\n\t") && strlen(s) <= strlen(m.text));
    free(s);
    inmail_free(&m);
    return 0;
}
