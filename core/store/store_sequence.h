/* store_sequence.h — the SQL of the sequence rules (see msg/sequence.h for the behaviour built
 * on it): candidate enrollments, the quiet period, and which rules already fired. */
#ifndef LCM_STORE_SEQUENCE_H
#define LCM_STORE_SEQUENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* One enrollment a sequence rule may consider (only status active, learner with an address).
 * Strings are borrowed: valid during the callback only. */
struct store_seq_cand {
    int64_t learner_id, enrollment_id;
    const char *first_name, *last_name, *email, *lang, *course, *cohort;
    double progress;       /* 0..1, < 0 unknown */
    int last_activity_day; /* DAY_NONE: never */
    int start_day;         /* DAY_NONE: unknown */
    int risk_level;        /* the stored risk level (0 ok, 1 watch, 2 at risk); -1: none */
    /* milestone candidates only */
    int64_t milestone_id;
    const char *milestone;
    const char *milestone_kind;
    double threshold; /* < 0 when none */
    int milestone_day;
};
typedef enum lcm_status (*store_seq_fn)(void *ctx, const struct store_seq_cand *c);

/* Active enrollments whose last activity is on or before last_day (inactive since). */
enum lcm_status store_sequence_inactive(struct lcm_store *st, int last_day, store_seq_fn fn,
                                        void *ctx, struct lcm_err *err);
/* Active enrollments with no activity at all that started on or before start_day. */
enum lcm_status store_sequence_not_started(struct lcm_store *st, int start_day, store_seq_fn fn,
                                           void *ctx, struct lcm_err *err);
/* Milestones reached from since_day to until_day (inclusive) by active enrollments, not yet
 * celebrated (acknowledged) by the LCM. */
enum lcm_status store_sequence_milestones(struct lcm_store *st, int since_day, int until_day,
                                          store_seq_fn fn, void *ctx, struct lcm_err *err);

/* What may keep (rule, enrollment, key) of learner_id from a new message: whether it already
 * fired, whether it was held out (store_sequence_fired(), store_sequence_held()), and whether
 * the learner got a message (draft, queued, sending or sent) created or sent at or after
 * since_ts: the quiet period. */
struct store_seq_check {
    bool fired, held, recent_contact;
};
enum lcm_status store_sequence_check(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, int64_t since_ts,
                                     struct store_seq_check *out, struct lcm_err *err);
/* Whether (rule, enrollment, key) already fired; and recording that it did. learner_id: the
 * enrollment's learner (its rows' distribution key, schema v10), 0 when the caller does not
 * know it (then the enrollment's is read). */
enum lcm_status store_sequence_fired(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, bool *yes,
                                     struct lcm_err *err);
enum lcm_status store_sequence_fire(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, int day,
                                    int64_t message_id, struct lcm_err *err);

/* Holdouts (control groups): whether (rule, enrollment, key) was held out; whether the
 * learner was ever held out by rule (any enrolment, any key); and recording a holdout with
 * the day the message would have been sent and the template it would have used (learner_id:
 * the enrollment's learner, 0 when the caller does not know it, as for store_sequence_fire()). */
enum lcm_status store_sequence_held(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, bool *yes,
                                    struct lcm_err *err);
enum lcm_status store_sequence_held_learner(struct lcm_store *st, const char *rule,
                                            int64_t learner_id, bool *yes, struct lcm_err *err);
/* The rules that hold learner_id out (control group), by rule: the rule, the first and the
 * last day a message of it was held back, and how many times. Strings borrowed. */
typedef enum lcm_status (*store_holdout_rule_fn)(void *ctx, const char *rule, int first_day,
                                                 int last_day, int64_t times);
enum lcm_status store_sequence_held_rules(struct lcm_store *st, int64_t learner_id,
                                          store_holdout_rule_fn fn, void *ctx, struct lcm_err *err);
/* Marks a fired (rule, enrollment, key) as drawn: it went through the holdout draw and was
 * messaged, so it belongs to the treated group the holdout is compared with. */
enum lcm_status store_sequence_drawn(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                     int64_t learner_id, const char *key, struct lcm_err *err);
enum lcm_status store_sequence_hold(struct lcm_store *st, const char *rule, int64_t enrollment_id,
                                    int64_t learner_id, const char *key, int day,
                                    const char *template_name, struct lcm_err *err);

#endif
