/* fuzz_when.c — when_parse() and when_parse_duration() on any text. */
#include "fuzz.h"

#include "base/day.h"
#include "cal/when.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_str(data, size);
    int today = day_from_ymd(2026, 11, 28);
    int64_t now = day_to_time(today) + 9 * 3600, t = 0;
    struct lcm_err err = {0};
    if (when_parse(s, today, now, &t, &err) == LCM_OK)
        FUZZ_ASSERT(t > 0); /* the store keeps times after 1970 */
    int minutes = 0;
    if (when_parse_duration(s, &minutes, &err) == LCM_OK)
        FUZZ_ASSERT(minutes >= 1 && minutes <= 1440);
    free(s);
    return 0;
}
