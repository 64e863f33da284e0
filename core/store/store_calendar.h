/* store_calendar.h — the SQL of the calendar module: follow-ups as calendar items, their
 * CalDAV push state (see store_busy.h for the busy times imported from .ics files).
 *
 * Times are UTC Unix seconds. Lists are filled by value; free them with the *_free functions. */
#ifndef LCM_STORE_CALENDAR_H
#define LCM_STORE_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* One follow-up with what a calendar needs. Strings are owned ("" when NULL in the base). */
struct cal_item {
    int64_t id, learner_id, enrollment_id;
    char *kind; /* "call" or "reminder" */
    int64_t due_at;
    int duration_min;
    enum followup_status status;
    char *title, *note; /* note is private: exported only on request */
    int64_t created_at, updated_at;
    char *uid;
    int sequence;
    char *etag; /* last ETag the CalDAV server returned, "" when never pushed */
    bool dirty; /* push_state = 'dirty': changed since the last successful push */
    char *learner_name, *learner_email;
    char *href;       /* CalDAV resource URL, "" when not on the server */
    char *push_error; /* last push failure, "" when none */
    char *location;   /* a group event's place (store_event.h); NULL for follow-ups */
};

struct cal_list {
    struct cal_item *v;
    size_t n, cap;
};

/* Frees every item and the array; the list is empty and reusable after. Safe on NULL. */
void store_calendar_list_free(struct cal_list *l);

/* Appends the follow-ups due in [from, to) (to <= 0: no upper bound), ordered by due_at then
 * id. Cancelled ones only when with_cancelled. */
enum lcm_status store_calendar_range(struct lcm_store *st, int64_t from, int64_t to,
                                     bool with_cancelled, struct cal_list *out,
                                     struct lcm_err *err);

/* Appends the planned follow-ups due before `before` (overdue), oldest first. */
enum lcm_status store_calendar_overdue(struct lcm_store *st, int64_t before, struct cal_list *out,
                                       struct lcm_err *err);

/* Appends follow-up id; LCM_ERR_NOTFOUND when there is none. */
enum lcm_status store_calendar_get(struct lcm_store *st, int64_t id, struct cal_list *out,
                                   struct lcm_err *err);

/* Appends every follow-up whose push_state is 'dirty', by id. */
enum lcm_status store_calendar_dirty(struct lcm_store *st, struct cal_list *out,
                                     struct lcm_err *err);

/* Records a successful PUT of follow-up id at `sequence`: stores etag (may be NULL when the
 * server sent none) and href, clears the error, and marks it clean unless the follow-up changed
 * again meanwhile (its sequence moved on: it stays dirty for the next push). */
enum lcm_status store_calendar_pushed(struct lcm_store *st, int64_t id, const char *uid,
                                      int sequence, const char *etag, const char *href,
                                      int64_t now_ts, struct lcm_err *err);

/* Records that the remote copy of follow-up id is gone (DELETE done, or never created): etag
 * and href cleared, clean unless its sequence moved on. Also fine when the follow-up itself
 * no longer exists (its caldav_state row is removed). */
enum lcm_status store_calendar_removed(struct lcm_store *st, int64_t id, int sequence,
                                       int64_t now_ts, struct lcm_err *err);

/* Records a failed push of follow-up id: it stays dirty, with error kept for the report. */
enum lcm_status store_calendar_failed(struct lcm_store *st, int64_t id, const char *uid,
                                      const char *error, int64_t now_ts, struct lcm_err *err);

/* Remote copies whose follow-up no longer exists (an erased learner): uid, href and etag. */
struct cal_orphan {
    int64_t followup_id;
    char *uid, *href, *etag;
};
enum lcm_status store_calendar_orphans(struct lcm_store *st, struct cal_orphan **out, size_t *n,
                                       struct lcm_err *err);
void store_calendar_orphans_free(struct cal_orphan **v, size_t n);

/* Counts follow-ups waiting to be pushed and, among them, those whose last push failed. */
enum lcm_status store_calendar_pending(struct lcm_store *st, int64_t *dirty, int64_t *failed,
                                       struct lcm_err *err);

/* What an invitation for follow-up id needs about its learner: names, address, language (""
 * when unknown) and course (the follow-up's enrollment's programme, else the learner's latest
 * one; "" when none). Owned strings; free with store_calendar_invitee_clear(). */
struct cal_invitee {
    char *first_name, *last_name, *email, *lang, *course;
};
enum lcm_status store_calendar_invitee(struct lcm_store *st, int64_t id, struct cal_invitee *out,
                                       struct lcm_err *err);
void store_calendar_invitee_clear(struct cal_invitee *c);

/* The database file's path (":memory:" for an in-memory one): the CalDAV push locks a file
 * beside it. Valid while st is open. */
const char *store_calendar_db_path(struct lcm_store *st);

#endif
