/* risk.h — who needs attention and why: signals -> score 0-100, level, plain-language reasons.
 *
 * Every signal is computed for an enrollment at a day T from data up to T only, so the same
 * code scores today (risk_update_all) and any past day (risk_eval, risk_fit). A signal whose
 * data the source does not have (no progress figures, no milestones with due days) is SKIPPED
 * and says why: it contributes nothing and is shown as skipped, never as a zero value.
 *
 * Score: each signal maps its value to a severity in [0, 1] (0 below its grace threshold,
 * 1 at its "full" threshold, linear between); severity x weight gives its points. Signals come
 * in groups that look at one fact from several sides (RISK_GROUP_LIST): in each group the
 * strongest signal counts fully, the others by risk.group_others (a fraction), and a group
 * never gives more than its largest weight; what a signal counts is its contribution. Before
 * any hand-in (risk_score_early) peers weighs risk.peers_early_weight instead. The
 * score is the sum clamped to 0-100. Levels: ok below risk.watch_score, watch, at risk from
 * risk.risk_score; and at risk whatever the score after risk.inactive_days without activity
 * once past the first risk.inactive_after_days of the enrolment (the inactivity rule).
 * Weights and thresholds are the config `risk` group (data/lcmtui.conf.example lists each
 * with its default). */
#ifndef LCM_RISK_H
#define LCM_RISK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

/* The signals, in display order: X(enum, config/JSON name). */
#define RISK_SIGNAL_LIST(X)                                                                        \
    X(RS_INACTIVE, "inactive")                                                                     \
    X(RS_NEVER_STARTED, "never_started")                                                           \
    X(RS_PACE, "pace")                                                                             \
    X(RS_MISSED, "missed")                                                                         \
    X(RS_LATE, "late")                                                                             \
    X(RS_LAST_MINUTE, "last_minute")                                                               \
    X(RS_LOW_SCORE, "low_score")                                                                   \
    X(RS_PEERS, "peers")                                                                           \
    X(RS_DROP, "drop")                                                                             \
    X(RS_STALLED, "stalled")                                                                       \
    X(RS_OUTREACH, "outreach")                                                                     \
    X(RS_DEBT, "debt")

enum risk_signal {
#define RISK_X_ENUM(e, name) e,
    RISK_SIGNAL_LIST(RISK_X_ENUM)
#undef RISK_X_ENUM
        RS_COUNT
};

/* "inactive", "pace" ... (the config key prefix and the JSON key). Never NULL. */
const char *risk_signal_name(enum risk_signal s);

/* The groups of signals that see one fact: X(enum, name, its signals as a bit mask). */
#define RISK_GROUP_LIST(X)                                                                         \
    X(RG_ENGAGEMENT, "engagement",                                                                 \
      1u << RS_INACTIVE | 1u << RS_NEVER_STARTED | 1u << RS_PEERS | 1u << RS_DROP)                 \
    X(RG_PROGRESS, "progress", 1u << RS_PACE | 1u << RS_STALLED)                                   \
    X(RG_SUBMISSION, "submission", 1u << RS_MISSED | 1u << RS_LATE | 1u << RS_LAST_MINUTE)         \
    X(RG_PERFORMANCE, "performance", 1u << RS_LOW_SCORE)                                           \
    X(RG_CONTACT, "contact", 1u << RS_OUTREACH | 1u << RS_DEBT)

enum risk_group {
#define RISK_X_GROUP(e, name, mask) e,
    RISK_GROUP_LIST(RISK_X_GROUP)
#undef RISK_X_GROUP
        RG_COUNT
};

/* The group of a signal (every signal is in exactly one). */
enum risk_group risk_signal_group(enum risk_signal s);

/* "engagement", "submission" ... Never NULL. */
const char *risk_group_name(enum risk_group g);

enum risk_level { RISK_OK = 0, RISK_WATCH = 1, RISK_AT_RISK = 2 };

/* "ok", "watch", "at risk": the level's name in files and options, never translated. */
const char *risk_level_name(int level);
/* The level for a person, in the language in effect: "ok", "watch" ("à surveiller"),
 * "at risk" ("à risque"). */
const char *risk_level_label(int level);

/* Weights and thresholds (config group `risk`). Days are whole days, points are 0-100. */
struct risk_params {
    double weight[RS_COUNT];        /* risk.<signal>_weight: points at full severity */
    double watch_score;             /* risk.watch_score: level watch from this score */
    double risk_score;              /* risk.risk_score: level at risk from this score */
    double reason_min_points;       /* a signal gives a reason from this many points ... */
    double reason_min_severity;     /* ... and this severity (0-1) */
    double group_others;            /* in a group, the non-strongest signals count this much */
    int inactive_days;              /* the inactivity rule: this many days without activity ... */
    int inactive_after_days;        /* ... once this many days past the start: at risk */
    int inactive_grace_days;        /* severity 0 up to this many days without activity */
    int inactive_full_days;         /* severity 1 from this many */
    int never_started_days;         /* enrolled this long with no activity at all: severity 1 */
    double pace_grace_points;       /* progress behind schedule: 0 up to this many points */
    double pace_full_points;        /* 1 from this many points behind */
    int missed_full;                /* missed milestones: severity count / missed_full, max 1 */
    int missed_grace_days;          /* a milestone counts as missed this many days after due */
    double missed_cohort_share;     /* ... once this share of the cohort has it recorded */
    int late_full_days;             /* milestones done late: severity 1 from this many days */
    double low_score_ok;            /* the reference score when the cohort has too few scores */
    double low_score_gap_full;      /* pass severity in full this many points under the median */
    double low_score_bad;           /* below this score (a fail): severity 1 */
    double low_score_pass_severity; /* severity just above low_score_bad (linear from ok) */
    int last_minute_days;           /* every hand-in fewer days than this before due: severity 1 */
    int window_days;                /* "recent" activity window for drop */
    int peers_window_days;          /* active days over this window (0: since the first day) */
    double peers_power;             /* severity ((peers_percentile - p) / peers_percentile)^power */
    double peers_percentile;        /* severity 1 at percentile 0, 0 at or above this */
    int peers_min;                  /* fewer peers with a start than this: peers skipped */
    double peers_volume_share;      /* percentile of active days, mixed this much with volume */
    double peers_early_weight;      /* peers' weight before any hand-in evidence (0: weight) */
    double drop_grace;              /* drop on own average: 0 up to this fraction (0.5 = 50 %) */
    int drop_history_days;          /* own history needed before the window: else skipped */
    int stalled_days;               /* active but progress unchanged: 0 up to this many days */
    int stalled_full_days;          /* 1 from this many */
    int outreach_grace_days;        /* no answer to outreach: 0 up to this many days */
    int outreach_full_days;         /* 1 from this many */
    int debt_days;                  /* flagged with no check-in: 0 up to this many days */
    int debt_full_days;             /* 1 from this many */
    double snooze_margin;           /* a snoozed flag returns early when score >= score_at + this */
    int celebrate_days;             /* derived progress milestones older than this: not listed */
};

/* Fills p with the documented defaults. */
void risk_params_default(struct risk_params *p);

/* Reads the `risk` group of cfg (cfg may be NULL: defaults), validating ranges and warning
 * through rep about unknown keys. Fails with LCM_ERR_CONFIG naming file:line. */
enum lcm_status risk_params_load(const struct lcm_config *cfg, struct risk_params *p,
                                 const struct lcm_report *rep, struct lcm_err *err);

/* Writes p as a libconfig `risk` group (every key, with a comment line header). */
void risk_params_write(const struct risk_params *p, const char *header, FILE *out);

#define RISK_MAX_THRESH 8 /* progress thresholds tracked for celebrations */

/* What the signals need about one enrollment at day T, gathered by one ordered pass over its
 * history (risk_hist_begin, then risk_hist_day for each day <= T in increasing order). */
struct risk_hist {
    int64_t enrollment_id, learner_id;
    int T;                /* the day scored */
    int start_day;        /* effective start: the later of enrollment and cohort start */
    int expected_end_day; /* DAY_NONE when unknown */
    int window_days;
    int first_active, last_active; /* DAY_NONE: never */
    int active_days;
    double volume_total;  /* activity units: actions, else minutes, else sessions, per day */
    double volume_recent; /* in the window (T - window_days, T] */
    int peers_window_days;
    int active_peers;          /* active days in (T - peers_window_days, T] (0: all <= T) */
    double volume_peers;       /* activity units in the same window */
    double volume_before;      /* from the first activity to T - window_days */
    double progress;           /* latest progress <= T (0..1), < 0 when the source gives none */
    int progress_day;          /* day of the last progress increase */
    int active_since_progress; /* active days after progress_day */
    int n_thresh;
    double thresh[RISK_MAX_THRESH];
    int thresh_day[RISK_MAX_THRESH]; /* first day progress reached thresh[i], or DAY_NONE */
    /* filled by the caller (milestones, outreach, contact, peers) */
    bool source_progress;    /* the cohort's source gives progress figures */
    bool no_flag_history;    /* past day (evaluation): contact debt cannot be known */
    bool has_due_milestones; /* the program has milestones with due days */
    int missed;              /* milestones due (plus grace) before T and not done by T */
    int missed_due;          /* due day of the most recent missed one */
    const char *missed_name; /* its name (borrowed) */
    int late_days;           /* days late, summed over milestones done after their due day */
    int late_count;
    const char *late_name; /* the most recent one done late (borrowed) */
    int late_last;         /* its days late */
    int late_when;         /* the day it was done */
    int handed_in;         /* milestones with a due day reached by T (not progress ones) */
    int done_due;          /* milestones with a due day done by T (any recording lag) */
    bool due_passed;       /* some enrolment of the cohort has a milestone due by T */
    int best_margin;       /* most days before its due day among them (< 0: all late) */
    double low_score;      /* score of the worst test (most under its reference); < 0: none */
    double low_score_ref;  /* its reference: the cohort's median score on it, or low_score_ok */
    bool low_score_cohort; /* that reference is the cohort's median */
    int low_score_day;
    const char *low_score_name; /* borrowed */
    bool low_score_failed;      /* that test was failed (its score may be unknown: then 0) */
    bool low_score_unscored;    /* ... and the source gave no score (the reason says none) */
    double expected_progress;   /* from progress milestones' due days; < 0: none */
    int64_t outreach_at;        /* last outreach (message sent, check-in out) <= T; 0: none */
    int outreach_channel;       /* enum checkin_channel of it */
    bool answered;              /* activity or an inbound check-in after the outreach */
    int flagged_since;          /* DAY_NONE when not flagged (or unknown) */
    int64_t last_checkin_at;    /* 0: none */
    int peers;                  /* peers compared with (the cohort's started enrollments) */
    double peer_percentile;     /* 0-100: share of peers with less recent activity */
};

void risk_hist_begin(struct risk_hist *h, int T, int start_day, int expected_end_day,
                     int window_days, int peers_window_days);
/* One day of history (day <= h->T, increasing). progress < 0: none that day. */
void risk_hist_day(struct risk_hist *h, int day, int sessions, int minutes, int actions,
                   double progress);

struct risk_sig {
    double value;    /* days, points, count, percentile, fraction ... (see risk_explain) */
    double severity; /* 0..1 */
    double weight;   /* the weight it is scored with (risk_score_weight) */
    double points;   /* severity x weight */
    double contrib;  /* what it counts in its group (strongest fully, others partly) */
    bool skipped;
    const char *why; /* when skipped: a short English phrase (static) */
};

struct risk_result {
    struct risk_sig sig[RS_COUNT];
    double group[RG_COUNT];  /* each group's total: its contributions, at most its max weight */
    int group_top[RG_COUNT]; /* its strongest signal (enum risk_signal), -1 when none counts */
    double raw;              /* the sum of contributions before the clamp: ranks beyond 100 */
    double score;            /* 0-100 */
    int level;               /* enum risk_level */
    bool inactive_rule;      /* at risk by the inactivity rule (its reason comes first) */
};

/* Severity of a test score against its reference (the cohort's median on the test): 1 when
 * failed or under risk.low_score_bad, else low_score_pass_severity x the distance under ref,
 * in full from low_score_gap_full points. */
double risk_score_low_severity(const struct risk_params *p, double score, double ref, bool failed);

/* Whether h is before any hand-in evidence: its program has milestones with due days, none is
 * due by T for anyone in the cohort (rolling enrolment: a newcomer among learners who handed
 * in is not early), and it has none done or scored by T. */
bool risk_score_early(const struct risk_hist *h);

/* The weight signal s is scored with for h: risk.peers_early_weight for peers while
 * risk_score_early (when that weight is set), else its configured weight. */
double risk_score_weight(const struct risk_params *p, const struct risk_hist *h,
                         enum risk_signal s);

/* Computes every signal, the score and the level. Pure. */
void risk_score(const struct risk_params *p, const struct risk_hist *h, struct risk_result *r);

/* The reasons, one sentence per line (no trailing newline), most important first, only for
 * signals that contribute; "Never started" first when it contributes, without the inactivity
 * line it repeats, then the inactivity line when the inactivity rule holds; lang "fr" or
 * "en". Returns the length written (truncated to fit). */
size_t risk_text_reasons(const struct risk_params *p, const struct risk_hist *h,
                         const struct risk_result *r, const char *lang, char *buf, size_t len);

/* Stored reasons: the same reasons, in the same order, language-neutral: one line per reason,
 * RISK_TEXT_CODE, the signal's name (risk_signal_name), then RISK_TEXT_INTS numbers and the
 * name of the test or milestone involved (cleaned: no control characters), tab-separated,
 * e.g. "@missed\t20780\t3\t0\t0\t0\tUnit 3 test". What risk_update_all writes into the risk
 * table. Returns the length written (truncated to fit). */
#define RISK_TEXT_CODE "@"
#define RISK_TEXT_INTS 5
size_t risk_text_codes(const struct risk_params *p, const struct risk_hist *h,
                       const struct risk_result *r, char *buf, size_t len);

/* Renders stored reasons (risk_text_codes' lines; a line without RISK_TEXT_CODE, written by an
 * older version, is kept as it is) in the language in effect (i18n_current), one sentence per
 * line: what the TUI and the CLI show. A coded line this version cannot read is left out.
 * stored NULL: "". Returns the length written (truncated to fit). */
size_t risk_text_render(const char *stored, char *buf, size_t len);

/* The signals as JSON: {"inactive":{"value":21,"weight":40,"contribution":30.1,
 * "skipped":false}, ...,"groups":{"engagement":30.1,...},"score":..,"level":..}. Returns the
 * length (truncated to fit). */
size_t risk_text_signals_json(const struct risk_params *p, const struct risk_result *r, char *buf,
                              size_t len);

/* Rescores every active enrollment for day today and writes the risk table in one
 * transaction: score, level, reasons (risk_text_codes: rendered when read), signals JSON,
 * flagged_since, snoozed. Closes snoozes that expired or whose score rose by risk.snooze_margin;
 * records progress milestones (25/50/75/100 %) crossed and not yet recorded (to celebrate). Removes
 * risk rows of enrollments no longer active. Progress and the count through rep. Called with a
 * transaction open (store_in_tx), it writes inside it; otherwise it opens and commits its own,
 * and scores cohorts on two threads (a second read connection: database files only). */
enum lcm_status risk_update_all(struct lcm_store *st, const struct lcm_config *cfg, int today,
                                int64_t now_ts, const struct lcm_report *rep, struct lcm_err *err);

/* Recomputes enrollment_id at day today and writes a human explanation to out: every signal
 * with value, weight and contribution; skipped ones with why; then the reasons. */
enum lcm_status risk_explain(struct lcm_store *st, const struct lcm_config *cfg,
                             int64_t enrollment_id, int today, FILE *out, struct lcm_err *err);

#endif
