/* app.c — the program's clock, from its resolved settings. */
#include "base/app.h"

#include <time.h>

#include "base/day.h"

int64_t app_now(const struct lcm_app *app)
{
    int64_t secs = app->clock_pinned ? app->clock_secs : (int64_t)time(NULL) % 86400;
    return day_to_time(app->today) + secs;
}
