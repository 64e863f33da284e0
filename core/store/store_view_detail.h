/* store_view_detail.h — the read-only queries about one learner (detail, weekly activity,
 * milestones, timeline) and the follow-up lists of the agenda. As in store_view.h, no read
 * transaction stays open after a call, and strings in the results are owned by them. */
#ifndef LCM_STORE_VIEW_DETAIL_H
#define LCM_STORE_VIEW_DETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* One learner's enrollment, everything the detail pane shows at the top. */
struct view_detail {
    int64_t enrollment_id, learner_id, cohort_id, program_id;
    char *first_name, *last_name, *email, *phone, *manager, *manager_email, *department, *lang;
    char *program, *cohort, *status, *outcome;
    int cohort_start, cohort_end, start_day, expected_end_day, ended_day, last_activity_day;
    double progress, expected;
    int level; /* -1 not scored */
    double score;
    char *reasons; /* every reason, one per line, most important first; "" none */
    int flagged_since;
    int snooze_until; /* DAY_NONE: not snoozed */
    char *snooze_reason;
    char *celebrate;            /* pending milestone name or NULL */
    double celebrate_threshold; /* that milestone's progress threshold (0..1); < 0: a test or
                                   another kind, or none pending */
    int64_t next_followup_at;
};
enum lcm_status store_view_detail(struct lcm_store *st, int64_t enrollment_id, int today,
                                  struct view_detail *out, struct lcm_err *err);
void store_view_detail_clear(struct view_detail *d);

/* Minutes of activity per week for the weeks weeks ending on today (oldest first): out[weeks-1]
 * is the 7 days up to and including today. learner_id: the enrollment's learner (view_detail's),
 * read by the key of their rows; 0: read from the enrollment. */
enum lcm_status store_view_detail_weekly(struct lcm_store *st, int64_t enrollment_id,
                                         int64_t learner_id, int today, int weeks, int *out,
                                         struct lcm_err *err);

struct view_milestone {
    char *name;       /* owned */
    double threshold; /* < 0: none */
    int due_day;      /* DAY_NONE: none (due_offset already applied) */
    int done_day;     /* DAY_NONE: not reached */
    bool missed;      /* not reached and its due day is past */
};
/* The milestones of the enrollment's program and cohort, in course order (learner_id as for
 * store_view_detail_weekly()). *out is malloc'ed; free with store_view_detail_milestones_free(). */
enum lcm_status store_view_detail_milestones(struct lcm_store *st, int64_t enrollment_id,
                                             int64_t learner_id, int today,
                                             struct view_milestone **out, size_t *n,
                                             struct lcm_err *err);
void store_view_detail_milestones_free(struct view_milestone **m, size_t n);

enum view_event_kind { VIEW_EV_CHECKIN, VIEW_EV_MESSAGE, VIEW_EV_FOLLOWUP };
struct view_event {
    enum view_event_kind kind;
    int64_t id, at;
    char *what;   /* "call · reached", "message · queued", "call planned 30 min"; owned */
    char *text;   /* note / subject / title, may hold newlines; owned */
    char *extra;  /* next step / body preview; owned, may be "" */
    char *author; /* who: a check-in's author, a message's or follow-up's LCM (owner); owned, ""
                   * when unknown */
};
/* The learner's check-ins, messages (and the posts to their cohorts and programmes, what
 * "post · STATUS", at their time) and follow-ups, newest first, at most max. Free with
 * store_view_detail_events_free(). */
enum lcm_status store_view_detail_timeline(struct lcm_store *st, int64_t learner_id, size_t max,
                                           struct view_event **out, size_t *n, struct lcm_err *err);
void store_view_detail_events_free(struct view_event **ev, size_t n);

/* A follow-up with the learner's name, for the agenda. */
struct view_followup {
    int64_t id, learner_id, enrollment_id;
    char *name, *kind, *title; /* owned */
    int64_t due_at;
    int duration_min;
    int status; /* enum followup_status */
};
/* Planned follow-ups due before to_ts (every overdue one included), oldest first, at most max.
 * learner_id 0: everyone's. Free with store_view_detail_followups_free(). */
enum lcm_status store_view_detail_followups(struct lcm_store *st, int64_t learner_id,
                                            int64_t from_ts, int64_t to_ts, size_t max,
                                            struct view_followup **out, size_t *n,
                                            struct lcm_err *err);
void store_view_detail_followups_free(struct view_followup **f, size_t n);

#endif
