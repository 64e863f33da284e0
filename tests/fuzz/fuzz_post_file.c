/* fuzz_post_file.c — post_file_parse() (the content calendar's front matter) on any bytes:
 * what it accepts has an absolute time, exactly one target, values without control
 * characters and a body of valid UTF-8; what it refuses says "NAME:LINE:" and holds nothing. */
#include "fuzz.h"

#include "base/day.h"
#include "msg/post_file.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int today = day_from_ymd(2026, 12, 3);
    int64_t now = day_to_time(today) + 10 * 3600;
    struct post_file f;
    struct lcm_err err = {0};
    if (post_file_parse("f.md", (const char *)data, size, today, now, &f, &err) == LCM_OK) {
        FUZZ_ASSERT(f.body && *f.body && f.at_text);
        FUZZ_ASSERT(!f.cohort != !f.program);
        FUZZ_ASSERT(fuzz_clean_utf8(f.cohort ? f.cohort : f.program, ""));
        FUZZ_ASSERT(!f.title || fuzz_clean_utf8(f.title, ""));
        FUZZ_ASSERT(fuzz_clean_utf8(f.at_text, ""));
        post_file_clear(&f);
    } else {
        FUZZ_ASSERT(strncmp(err.msg, "f.md:", 5) == 0);
        FUZZ_ASSERT(!f.body && !f.cohort && !f.program && !f.title && !f.at_text);
    }
    return 0;
}
