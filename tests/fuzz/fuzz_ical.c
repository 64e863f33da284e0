/* fuzz_ical.c — the busy-time import (agenda --import) on any text: bounded work (libFuzzer's
 * -timeout catches a walk that is not), every interval within the range and cleaned. */
#include "fuzz.h"

#include "base/day.h"
#include "cal/ical.h"
#include "store/store_busy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 64 * 1024)
        return 0;
    char *s = fuzz_str(data, size);
    int64_t from = day_to_time(day_from_ymd(2026, 11, 30)),
            to = day_to_time(day_from_ymd(2027, 5, 29));
    struct cal_busy *b = NULL;
    size_t n = 0;
    int64_t walked = 0;
    struct lcm_err err = {0};
    if (ical_busy_parse_counted(s, "fuzz.ics", from, to, "Europe/Paris", &b, &n, &walked, NULL,
                                &err) == LCM_OK) {
        /* the file's budget, passed by at most a search, an event's walk and a step */
        FUZZ_ASSERT(walked <= 2000000);
        for (size_t i = 0; i < n; i++) {
            FUZZ_ASSERT(b[i].start_at < b[i].end_at);
            FUZZ_ASSERT(b[i].start_at < to && b[i].end_at > from);
            FUZZ_ASSERT(fuzz_clean_utf8(b[i].summary, ""));
        }
        store_busy_free(&b, n);
    } else {
        FUZZ_ASSERT(!b && n == 0 && err.msg[0]);
    }
    free(s);
    return 0;
}
