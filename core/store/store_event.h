/* store_event.h — the SQL of group events (a Learning Lunch): the event, the cohorts it is
 * for, its invitees and their answers (iTIP partstat) and attendance, its CalDAV push state.
 *
 * Times are UTC Unix seconds. Strings in rows are owned ("" when NULL in the base); free rows
 * with the *_clear / *_free functions. */
#ifndef LCM_STORE_EVENT_H
#define LCM_STORE_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"
#include "store/store_calendar.h"

/* Answers of an invitee, as event_invitee.partstat stores them. */
enum event_partstat { EVP_NONE, EVP_ACCEPTED, EVP_DECLINED, EVP_TENTATIVE };
/* "none", "accepted", "declined", "tentative"; parse returns -1 on anything else. */
const char *store_event_partstat_name(enum event_partstat p);
int store_event_partstat_parse(const char *s);

struct event_new {
    const char *title, *place;
    int64_t start_at;
    int duration_min;
};

/* An event with the counts of its invitees' answers. */
struct event_row {
    int64_t id;
    char *uid, *title, *place;
    int64_t start_at;
    int duration_min, sequence;
    bool cancelled;
    int64_t created_at, updated_at, reminded_at; /* reminded_at 0: no reminder queued yet */
    char *cohorts;                               /* cohort names, ", "-separated */
    int invited, accepted, declined, tentative, none, attended;
    char *push_error; /* last CalDAV failure, "" when none */
};

struct event_list {
    struct event_row *v;
    size_t n;
};

/* One invitee of an event, with what an invitation needs. */
struct event_invitee {
    int64_t learner_id, enrollment_id, message_id, checkin_id;
    char *first_name, *last_name, *email, *lang, *course;
    enum event_partstat partstat;
    int64_t answered_at;
    bool attended;
};

/* The cohort ref names: its id ("12" or "#12"), its ext_id, or its name (without case).
 * LCM_ERR_NOTFOUND when none, LCM_ERR_CONFLICT when several cohorts have that name. */
enum lcm_status store_event_cohort_find(struct lcm_store *st, const char *ref, int64_t *id,
                                        struct lcm_err *err);

/* Creates the event for cohorts[0..nc) and invites every learner with an active enrolment
 * in one of them (once each, however many of the cohorts they are in). *id gets the event,
 * *invited (may be NULL) the invitees. The UID is derived from the id. Refuses
 * (LCM_ERR_INVALID) an empty title, a time before 1970, a duration outside 1..1440 minutes,
 * no cohort. One transaction, or inside the caller's. */
enum lcm_status store_event_add(struct lcm_store *st, const struct event_new *e,
                                const int64_t *cohorts, size_t nc, int64_t now_ts, int64_t *id,
                                int *invited, struct lcm_err *err);

/* Event id into *out; LCM_ERR_NOTFOUND when there is none. Clear with store_event_row_clear. */
enum lcm_status store_event_get(struct lcm_store *st, int64_t id, struct event_row *out,
                                struct lcm_err *err);
void store_event_row_clear(struct event_row *r);

/* The events starting in [from, to) (to <= 0: no upper bound), by start then id; cancelled
 * ones only when with_cancelled. Free with store_event_list_free. */
enum lcm_status store_event_range(struct lcm_store *st, int64_t from, int64_t to,
                                  bool with_cancelled, struct event_list *out, struct lcm_err *err);
void store_event_list_free(struct event_list *l);

/* The invitees of event id, by last then first name. *v malloc'ed (store_event_invitees_free). */
enum lcm_status store_event_invitees(struct lcm_store *st, int64_t id, struct event_invitee **v,
                                     size_t *n, struct lcm_err *err);
void store_event_invitees_free(struct event_invitee **v, size_t n);

/* Moves event id to start_at (duration_min > 0 changes it too): SEQUENCE bumped, marked for
 * the CalDAV push, the reminder due again. A cancelled event is LCM_ERR_CONFLICT. */
enum lcm_status store_event_move(struct lcm_store *st, int64_t id, int64_t start_at,
                                 int duration_min, int64_t now_ts, struct lcm_err *err);

/* Cancels event id: SEQUENCE bumped, marked for the push (a DELETE). Already cancelled:
 * LCM_ERR_CONFLICT. */
enum lcm_status store_event_cancel(struct lcm_store *st, int64_t id, int64_t now_ts,
                                   struct lcm_err *err);

/* Invites the learners with an active enrolment in event id's cohorts who are not invited
 * yet (enrolled since the event was made); *added: how many. */
enum lcm_status store_event_invite_new(struct lcm_store *st, int64_t id, int *added,
                                       struct lcm_err *err);

/* The last message sent to invitee learner_id of event id. */
enum lcm_status store_event_set_message(struct lcm_store *st, int64_t id, int64_t learner_id,
                                        int64_t message_id, struct lcm_err *err);

/* Marks the reminder of event id queued at now_ts. */
enum lcm_status store_event_set_reminded(struct lcm_store *st, int64_t id, int64_t now_ts,
                                         struct lcm_err *err);

/* *ids (malloc'ed, free()) the events not cancelled, not reminded yet, starting in [from, to). */
enum lcm_status store_event_remind_due(struct lcm_store *st, int64_t from, int64_t to,
                                       int64_t **ids, size_t *n, struct lcm_err *err);

/* The event whose UID is uid: *id, 0 when none. */
enum lcm_status store_event_find_uid(struct lcm_store *st, const char *uid, int64_t *id,
                                     struct lcm_err *err);

/* The invitee of event id whose address (learner.email or an e-mail key of a source) is addr,
 * compared without case: *learner_id, 0 when none. */
enum lcm_status store_event_invitee_by_addr(struct lcm_store *st, int64_t id, const char *addr,
                                            int64_t *learner_id, struct lcm_err *err);

/* Records the answer of invitee learner_id to event id at `at`. An answer older than the one
 * recorded is ignored (mail read out of order). LCM_ERR_NOTFOUND when not an invitee. */
enum lcm_status store_event_answer(struct lcm_store *st, int64_t id, int64_t learner_id,
                                   enum event_partstat p, int64_t at, struct lcm_err *err);

/* Invitee learner_id came to event id; checkin_id is the "meeting" check-in made for it.
 * LCM_ERR_NOTFOUND when not an invitee. */
enum lcm_status store_event_attend(struct lcm_store *st, int64_t id, int64_t learner_id,
                                   int64_t checkin_id, struct lcm_err *err);

/* ---- CalDAV ---- */

/* Appends every event whose push_state is 'dirty' as a calendar item: kind "event", id the
 * event's, status FU_CANCELLED when cancelled, location its place, learner fields empty. */
enum lcm_status store_event_dirty(struct lcm_store *st, struct cal_list *out, struct lcm_err *err);

/* As store_calendar_pushed / _removed / _failed, for event id. */
enum lcm_status store_event_pushed(struct lcm_store *st, int64_t id, int sequence, const char *etag,
                                   const char *href, struct lcm_err *err);
enum lcm_status store_event_removed(struct lcm_store *st, int64_t id, int sequence,
                                    struct lcm_err *err);
enum lcm_status store_event_failed(struct lcm_store *st, int64_t id, const char *error,
                                   struct lcm_err *err);

/* ---- the KPI report ---- */

struct event_kpi {
    int64_t events, invitations, answered, accepted, attended;
    /* active days in the 14 days after each event, summed over attendees and over the other
     * invitees (with how many of each) */
    int64_t att_days, att_n, non_days, non_n;
};

/* The events not cancelled that started in [from, to) and are over by `now`. */
enum lcm_status store_event_kpi(struct lcm_store *st, int64_t from, int64_t to, int64_t now,
                                struct event_kpi *out, struct lcm_err *err);

#endif
