/* sequence.h — "séquences d'emailing": config rules that turn learner situations into drafts.
 *
 * Rules (config group `sequences`, list `rules`; built-in defaults when absent):
 *   on = "inactive"    days = N   no activity for N days (last activity <= today - N). The
 *                                  inactive rules form a ladder: only the highest rung a
 *                                  learner reached fires (21 days: nudge_21, not nudge_7).
 *                                  Once per inactivity episode (keyed by the last active day).
 *   on = "not_started" days = N   enrolled N days ago, no activity at all. Once.
 *   on = "milestone"   within_days = N   a milestone reached in the last N days (today - N ..
 *                                  today) and not yet celebrated. Once per milestone. The
 *                                  template "" picks congrats_25/50/75/100 for progress
 *                                  milestones at those thresholds, congrats_milestone else.
 *   on = "escalate"    nudges = N  days = D   a draft to the learner's manager after N messages
 *                                  left unanswered, or the oldest D days old (see
 *                                  msg/sequence_escalate.h); always a draft.
 * Each rule makes DRAFTS (status draft, rule set) for the LCM to approve, unless auto = true
 * (queued). Never for an enrollment that is not active (withdrawn, completed, failed); never
 * when the learner got a message (draft, queued or sent) within quiet_days; a learner without
 * an e-mail address is counted and skipped. A rule that fired is recorded whatever becomes of
 * its draft (skipping a draft does not make it come back); one kept back by the quiet period
 * or a missing address fires later.
 *
 * Holdout (control group): a rule with holdout = N (percent, 0..90; 0 off; sequences.holdout is
 * every rule's default) keeps N % of the
 * learners it would message back on purpose, to measure its effect against no message. The
 * choice is a hash of sequences.holdout_seed, the rule name and the learner's id (the same on
 * every run and machine). A held-out episode is recorded (sequence_holdout: the day the message
 * would have been made and its template) instead of a message, after the address and quiet
 * checks, so both groups are the learners the rule would really have written to. A learner
 * held out once by a rule stays held out by it (even if the share changes), except that a rule
 * with holdout_at_risk = false never holds back an enrollment whose stored risk level is "at
 * risk" (it gets the message). holdout = 0 turns the control group off: everyone gets it.
 * A message made after the draw marks its firing drawn (sequence_fired.drawn): the treated
 * group the holdout is compared with (report/effect.h). */
#ifndef LCM_SEQUENCE_H
#define LCM_SEQUENCE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

enum seq_on { SEQ_INACTIVE, SEQ_NOT_STARTED, SEQ_MILESTONE, SEQ_ESCALATE };

struct seq_rule {
    char *name; /* unique; stored in message.rule */
    enum seq_on on;
    int days;            /* inactive / not_started threshold; milestone: within_days */
    int until_days;      /* inactive: stop after this many days (0: never) */
    char *template_name; /* "" for milestone: automatic */
    bool auto_queue;     /* true: queued at once, no approval */
    int nudges;          /* escalate: unanswered messages that call for it (0: not used) */
    int holdout;         /* percent of learners held out (0: none) */
    bool spare_at_risk;  /* holdout_at_risk = false: never hold out the at-risk level */
};

struct seq_config {
    bool enabled;
    int quiet_days;
    struct seq_rule *rules;
    size_t n;
    char *lang;                 /* default template language (general.lang) */
    char *lcm_name, *lcm_email; /* {lcm_name}, {lcm_email} */
    char *platform_url;         /* {platform_url}, may be "" */
    char *holdout_seed;         /* sequences.holdout_seed */
    int holdout_min;            /* sequences.holdout_min: learners needed in each group */
};

/* Reads the `sequences` group (defaults when absent), validating names, `on` values, ranges
 * and template names; unknown keys are warned about. Free with sequence_config_free(). */
enum lcm_status sequence_config_load(const struct lcm_config *cfg, struct seq_config *out,
                                     const struct lcm_report *rep, struct lcm_err *err);
void sequence_config_free(struct seq_config *sc);

/* Called for each message a run creates. Strings borrowed. */
typedef void (*seq_made_fn)(void *ctx, int64_t message_id, const char *rule,
                            const char *template_name, const char *learner, const char *email,
                            bool queued);

struct seq_result {
    int drafts, queued; /* messages created */
    int quiet;          /* kept back by the quiet period */
    int no_address;     /* learner without a valid e-mail address */
    int failed;         /* template could not be rendered (first error in err_first) */
    int held;           /* held out on purpose (control group), nothing made */
    int claimed;        /* another LCM's contact claims the learner (store_team.h) */
    char err_first[512];
};

struct seq_run_opts {
    const char *share_dir, *user_dir; /* template lookup (see template.h) */
    int today;
    int64_t now;  /* Unix time stored as created_at; the quiet period counts back from it */
    bool dry_run; /* count and report, create nothing */
    seq_made_fn made;
    void *made_ctx;
};

/* Applies every rule, in config order, in one transaction (all or nothing; rolled back when
 * dry_run). A template that cannot be rendered for a learner is counted in res->failed (the
 * first message in res->err_first) and the others go on. */
enum lcm_status sequence_run(struct lcm_store *st, const struct seq_config *sc,
                             const struct seq_run_opts *o, struct seq_result *res,
                             struct lcm_err *err);

/* Whether learner_id falls in rule's holdout of percent % under seed: a 64-bit FNV-1a hash of
 * seed, rule and the id in decimal (NUL-separated), mixed, bucketed in 10000. Pure. */
bool sequence_holdout_pick(const char *seed, const char *rule, int64_t learner_id, int percent);

/* sequences.quiet_days of cfg (default 3, 0..365): the days one outbound contact claims a
 * learner for, across the team (check-ins and messages, store_team.h). 0: no claim. */
int sequence_quiet_days(const struct lcm_config *cfg);

/* sequences.holdout_min of cfg (default 20, 1..100000): the learners each group needs before
 * an effect is shown. No validation message: sequence_config_load() reports bad values. */
int sequence_holdout_min(const struct lcm_config *cfg);

#endif
