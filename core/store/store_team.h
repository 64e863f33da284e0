/* store_team.h — a team of LCMs sharing one base (issue 18): who is who (lcm_user, made on
 * first use from general.lcm_name and lcm_email), who follows whom (cohort owners and single
 * learners' caseloads), the handover of a caseload, and the claims that keep two LCMs from
 * contacting one learner in one quiet period (store_internal.h: store_team_claim_take()). */
#ifndef LCM_STORE_TEAM_H
#define LCM_STORE_TEAM_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* Names the LCM writing through st (name and e-mail copied; NULL or "" for none): from now on
 * every check-in, message, follow-up, snooze and merge written through st records them as
 * author, and their lcm_user row is made at the first such write. No SQL runs here. */
void store_team_identify(struct lcm_store *st, const char *name, const char *email);

/* The lcm_user id of st's LCM, made now (committed at once when no transaction is open) when
 * missing; 0 when st has no identity. */
enum lcm_status store_team_me(struct lcm_store *st, int64_t now, int64_t *id, struct lcm_err *err);

/* The same without making it: 0 when st's LCM has no row yet (nothing written), or no
 * identity. Reads only (a read-only role may call it). */
enum lcm_status store_team_whoami(struct lcm_store *st, int64_t *id, struct lcm_err *err);

/* Calls fn(ctx, enrollment id, user id) for each enrolment whose learner an LCM follows
 * (STORE_OWNER_OF); nothing when nobody is assigned anything. */
typedef void (*store_team_owner_fn)(void *ctx, int64_t enrollment_id, int64_t user_id);
enum lcm_status store_team_owners(struct lcm_store *st, store_team_owner_fn fn, void *ctx,
                                  struct lcm_err *err);

/* The user whose e-mail is email (case does not matter), made with name "" when create and
 * missing; LCM_ERR_NOTFOUND when missing and !create. */
enum lcm_status store_team_user_find(struct lcm_store *st, const char *email, bool create,
                                     int64_t now, int64_t *id, struct lcm_err *err);

/* The cohort named ref: its id ("12" or "#12"), its name or its LMS ext_id.
 * LCM_ERR_NOTFOUND when none, LCM_ERR_INVALID when ref names several. */
enum lcm_status store_team_cohort_find(struct lcm_store *st, const char *ref, int64_t *id,
                                       struct lcm_err *err);

/* What a reassignment did: learners whose LCM changed (from another LCM: a handover, with a
 * note in their timeline), open follow-ups and drafts moved to the new LCM. */
struct store_handover {
    int learners, handed, followups, drafts;
};

/* Gives cohort_id to user_id: its learners (those assigned to someone one by one too) are
 * user_id's from now on, and so are those who join it later. A learner who was another LCM's
 * is handed over: their planned follow-ups and their drafts owned by the former LCM (or by
 * nobody) become user_id's, and a note in their timeline says so, signed by st's LCM. One
 * transaction. h (may be NULL) counts it. */
enum lcm_status store_team_assign_cohort(struct lcm_store *st, int64_t cohort_id, int64_t user_id,
                                         int64_t now, struct store_handover *h,
                                         struct lcm_err *err);
/* The same for one learner (their own caseload row, before any cohort's owner). */
enum lcm_status store_team_assign_learner(struct lcm_store *st, int64_t learner_id, int64_t user_id,
                                          int64_t now, struct store_handover *h,
                                          struct lcm_err *err);
/* Removes the cohort's owner (its learners' own caseload rows stay), or the learner's own
 * caseload row. *n (may be NULL): rows removed. */
enum lcm_status store_team_unassign_cohort(struct lcm_store *st, int64_t cohort_id, int *n,
                                           struct lcm_err *err);
enum lcm_status store_team_unassign_learner(struct lcm_store *st, int64_t learner_id, int *n,
                                            struct lcm_err *err);

/* Calls fn for each LCM (by name, then e-mail): the learners with an active enrolment they
 * follow and the cohorts they own (", "-separated). Strings borrowed. */
typedef enum lcm_status (*store_team_user_fn)(void *ctx, int64_t id, const char *name,
                                              const char *email, int64_t learners,
                                              const char *cohorts);
enum lcm_status store_team_each(struct lcm_store *st, store_team_user_fn fn, void *ctx,
                                struct lcm_err *err);

/* Learners with an active enrolment that no LCM follows. */
enum lcm_status store_team_unassigned(struct lcm_store *st, int64_t *n, struct lcm_err *err);

/* The LCM following learner_id (0 when unassigned) and their name (or e-mail) in name. */
enum lcm_status store_team_owner(struct lcm_store *st, int64_t learner_id, int64_t *user_id,
                                 char *name, size_t len, struct lcm_err *err);

/* The claims and overrides of learner_id, for tests and the timeline: how many. */
enum lcm_status store_team_claims(struct lcm_store *st, int64_t learner_id, int64_t *claims,
                                  int64_t *overrides, struct lcm_err *err);

#endif
