/* caldav.h — the `calendar` configuration group and the CalDAV push of follow-ups.
 *
 * Each follow-up is one resource {url}/{uid}.ics in the LCM's calendar collection. A push
 * sends every follow-up whose push_state is 'dirty': PUT with If-None-Match: * when it is not
 * on the server yet, with If-Match: "etag" when it is; DELETE (If-Match) when it was
 * cancelled. The returned ETag is stored. A failure (outage, 412 conflict, 401) leaves the
 * follow-up dirty with the error recorded, so nothing local is lost and the next push retries. */
#ifndef LCM_CALDAV_H
#define LCM_CALDAV_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

struct caldav_config {
    char *url;         /* calendar.url: the collection, ending in '/'; NULL: no CalDAV */
    char *user;        /* calendar.user; NULL: no authentication */
    char *password;    /* calendar.password / password_cmd / password_env (secret) */
    char *timezone;    /* calendar.timezone: Olson name; "" = UTC; unset: the system's zone */
    int alarm_minutes; /* calendar.alarm_minutes: 0..10080, default 15 (0: no alarm) */
    int timeout_s;     /* calendar.timeout: seconds per request, 1..300, default 20 */
    char *lang;        /* general.lang */
    int work_days;     /* calendar.work_days: bit 1 << day_weekday() per working day (mon-fri) */
    int work_from, work_to; /* calendar.work_hours in minutes after midnight; -1 when unset */
};

/* Reads the `calendar` group of cfg (warning about unknown keys through rep). The password
 * command runs only when with_secret is true (a push), not for a listing. On success free
 * with caldav_config_free(), which wipes the password. Errors name file:line. */
enum lcm_status caldav_config_load(const struct lcm_config *cfg, bool with_secret,
                                   struct caldav_config *out, const struct lcm_report *rep,
                                   struct lcm_err *err);
void caldav_config_free(struct caldav_config *c);

struct caldav_result {
    int created, updated, deleted; /* done on the server */
    int failed;                    /* left dirty, error recorded */
    int conflicts;                 /* of which 412 Precondition Failed */
    int skipped;                   /* not tried: the server was unreachable */
};

/* Pushes every dirty follow-up (and deletes remote copies of erased ones). force: on a 412
 * conflict, overwrite the server's copy (fetch its current ETag, PUT again) instead of
 * keeping it. now_ts stamps the attempts. Each failure is reported through rep as one WARN
 * line "caldav: follow-up 12 (uid): ..." and recorded in the store. After the first outage
 * (no response) the rest are skipped. Returns LCM_OK when everything was pushed; otherwise the
 * status of the first failure, err naming it and res counting them. One push at a time per
 * database: while another runs (cron, the TUI) it returns LCM_ERR_BUSY at once, touching
 * nothing. Safe to call from a background thread with its own store connection. */
enum lcm_status caldav_push(struct lcm_store *st, const struct caldav_config *cc, bool force,
                            int64_t now_ts, struct caldav_result *res, const struct lcm_report *rep,
                            struct lcm_err *err);

#endif
