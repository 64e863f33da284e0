/* demo.h — the deterministic demo cohort and benchmark dataset.
 *
 * One generator serves both: the default (160 learners, 4 cohorts) is the realistic demo the
 * TUI opens on when nothing is configured; `--learners 100000` (40 cohorts, ~15M activity
 * days) is the benchmark. Everything is a function of (seed, learners, today): two runs with
 * the same three values write the same rows (into fresh databases, the same row ids too).
 *
 * Facts other modules and tests may rely on, for the default size (relative to today):
 * - program "Anglais professionnel B2" (source "demo", ext_id "anglais-b2"), 150-day course;
 *   cohorts started 150, 110, 70 and 30 days before today (ext_id demo-c01 .. demo-c04,
 *   oldest first); each enrollment starts 0-6 days after its cohort and is expected to end
 *   150 days after its own start. Activity is generated up to yesterday (today - 1).
 * - milestones (program-wide): "25 %", "50 %", "75 %", "100 %" (kind progress) and
 *   "Unit 1 test" (due offset 30), "Unit 2 test" (55), "Mid-course assessment" (75),
 *   "Unit 3 test" (105), "Final exam" (145) (kind test, scores 0..100).
 * - Bobby Lemaire, Sophie Carpentier, Djilali Benali and Marty Lefèvre (the only learners
 *   with those first names): active before, last activity exactly today - 21, status active.
 * - Camille Rousseau: the only learner whose 75 % milestone_done is on today - 1, not
 *   celebrated (celebrated_at NULL). Milestones reached before today - 3 are celebrated.
 * - never started (no activity, enrolled 30+ days ago): Anaïs Morel, Loïc Barbier, Zoé Faure;
 *   stalled (logins, progress flat for 10+ days): Jérôme Dupré, Gaëlle Bérénger, Noël Nguyễn;
 *   racing ahead: Mathéo Fontaine, Hélène Mercier; completed: Françoise Lambert, Benoît
 *   Chevalier; withdrawn: Inès Garnier, Rémi Perrin; dropped off for weeks: Océane Roux.
 * - 10 check-ins in the past, follow-ups: a call today 14:00 UTC (Sophie), calls tomorrow
 *   (Djilali) and in 2 days (Jérôme), a reminder in 3 days (Marty), and one overdue call
 *   (Bobby, due today - 2, still planned).
 * - kv "demo" = "1", kv "demo_today" = the today used (YYYY-MM-DD). */
#ifndef LCM_DEMO_H
#define LCM_DEMO_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

#define DEMO_SOURCE "demo"
#define DEMO_PROGRAM_NAME "Anglais professionnel B2"
#define DEMO_SEED_DEFAULT 2026u
#define DEMO_LEARNERS_DEFAULT 160
#define DEMO_LEARNERS_MAX 1000000
#define DEMO_COURSE_DAYS 150

struct demo_opts {
    uint64_t seed;
    int learners; /* 1 .. DEMO_LEARNERS_MAX */
    int today;    /* a day number (core/day.h) */
    bool force;   /* write into a database that holds non-demo data */
};

/* What was written. */
struct demo_stats {
    int cohorts, learners;
    int64_t activity_days, milestones_done, checkins, followups;
};

/* Fills o with the defaults for today. */
void demo_opts_init(struct demo_opts *o, int today);

/* Writes the dataset into st in one transaction (a failure leaves the database unchanged).
 * Refuses (LCM_ERR_EXISTS) a database that holds data but is not a demo database unless
 * o->force; earlier demo rows (source "demo") are replaced. Progress every 10,000 learners
 * goes to rep (may be NULL). out may be NULL. */
enum lcm_status demo_generate(struct lcm_store *st, const struct demo_opts *o,
                              const struct lcm_report *rep, struct demo_stats *out,
                              struct lcm_err *err);

#endif
