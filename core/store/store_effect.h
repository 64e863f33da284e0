/* store_effect.h — the outreach effect: whether learners came back (had activity), and whether
 * they replied (see store_inbox.h), within 3 and 7 days of a sent message, per template, per
 * sequence rule and per learner. */
#ifndef LCM_STORE_EFFECT_H
#define LCM_STORE_EFFECT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* For one template (or rule): messages sent, and of those whose 3- (7-) day window has closed
 * by today, how many learners had activity on one of the 3 (7) days after the sending day. */
struct store_effect {
    const char *name; /* template name ("(none)" for hand-written messages); borrowed */
    int64_t sent;
    int64_t due3, back3; /* due: window closed; back: came back within it */
    int64_t due7, back7;
    /* replied: a reply came within 3 (7) days (72 h, 168 h) of the sending; rdue: of the
     * messages whose window closed or that were replied to within it */
    int64_t rdue3, replied3, rdue7, replied7;
};
typedef enum lcm_status (*store_effect_fn)(void *ctx, const struct store_effect *e);
/* One row per template, most sent first. */
enum lcm_status store_effect_by_template(struct lcm_store *st, int today, store_effect_fn fn,
                                         void *ctx, struct lcm_err *err);
/* The same per sequence rule (name is the rule; "manual" for the composer's messages). */
enum lcm_status store_effect_by_rule(struct lcm_store *st, int today, store_effect_fn fn, void *ctx,
                                     struct lcm_err *err);

/* One sent message of a learner and whether they came back after it (for the learner detail).
 * back3/back7: 1 yes, 0 no, -1 too early to say. Strings borrowed. */
struct store_msg_effect {
    int64_t message_id;
    const char *template_name, *subject;
    int64_t sent_at;
    int back3, back7;
    int replied3, replied7; /* 1 a reply came within 3 (7) days, 0 none, -1 too early */
};
typedef enum lcm_status (*store_msg_effect_fn)(void *ctx, const struct store_msg_effect *e);
/* The learner's sent messages, newest first. */
enum lcm_status store_effect_for_learner(struct lcm_store *st, int64_t learner_id, int today,
                                         store_msg_effect_fn fn, void *ctx, struct lcm_err *err);

/* Against the holdout (control group, see msg/sequence.h): per rule (or per template), the
 * episodes a rule messaged after the holdout draw (treated: sequence_fired drawn, with a
 * message, whatever became of it) and the ones it held out, each from the day the rule
 * fired; of those whose w-day window has closed by today (day + w < today), how many learners
 * had activity on one of the w days after. Windows 3, 7 and 14 (STORE_HOLDOUT_WINDOWS).
 * Only rules (templates) with at least one holdout; name borrowed. */
#define STORE_HOLDOUT_WINDOWS 3
struct store_holdout_arm {
    int64_t due[STORE_HOLDOUT_WINDOWS];  /* window closed */
    int64_t back[STORE_HOLDOUT_WINDOWS]; /* of those, active again within it */
};
struct store_holdout {
    const char *name;
    struct store_holdout_arm treated, held;
};
typedef enum lcm_status (*store_holdout_fn)(void *ctx, const struct store_holdout *h);
/* One row per rule (by_template: per template), by name. */
enum lcm_status store_effect_holdout(struct lcm_store *st, int today, bool by_template,
                                     store_holdout_fn fn, void *ctx, struct lcm_err *err);
/* The windows, in days: {3, 7, 14}. */
extern const int store_effect_windows[STORE_HOLDOUT_WINDOWS];

#endif
