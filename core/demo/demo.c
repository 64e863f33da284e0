/* demo.c — the deterministic demo cohort and benchmark dataset (see demo.h for its facts). */
#include "demo/demo.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "demo/demo_names.h"
#include "demo/demo_rng.h"
#include "demo/demo_sim.h"
#include "base/model.h"
#include "store/store.h"
#include "store/store_bulk.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_followup.h"
#include "store/store_milestone_done.h"

/* The learners the story needs, written first (learner 1, 2, ...). cohort_age: days since
 * their cohort started in the default 4-cohort layout (150/110/70/30). */
struct scripted {
    const char *first, *first_ascii, *last, *last_ascii;
    int cohort_age;
    enum demo_persona persona;
};

enum {
    S_BOBBY,
    S_SOPHIE,
    S_DJILALI,
    S_MARTY,
    S_CAMILLE,
    S_JEROME,
    S_GAELLE,
    S_NOEL,
    S_MATHEO,
    S_HELENE,
    S_FRANCOISE,
    S_BENOIT,
    S_ANAIS,
    S_LOIC,
    S_ZOE,
    S_INES,
    S_REMI,
    S_OCEANE,
    S_COUNT
};

static const struct scripted scripted[S_COUNT] = {
    [S_BOBBY] = {"Bobby", "bobby", "Lemaire", "lemaire", 150, P_GONE21},
    [S_SOPHIE] = {"Sophie", "sophie", "Carpentier", "carpentier", 110, P_GONE21},
    [S_DJILALI] = {"Djilali", "djilali", "Benali", "benali", 110, P_GONE21},
    [S_MARTY] = {"Marty", "marty", "Lefèvre", "lefevre", 70, P_GONE21},
    [S_CAMILLE] = {"Camille", "camille", "Rousseau", "rousseau", 110, P_CROSS75},
    [S_JEROME] = {"Jérôme", "jerome", "Dupré", "dupre", 110, P_STALLED},
    [S_GAELLE] = {"Gaëlle", "gaelle", "Bérénger", "berenger", 70, P_STALLED},
    [S_NOEL] = {"Noël", "noel", "Nguyễn", "nguyen", 150, P_STALLED},
    [S_MATHEO] = {"Mathéo", "matheo", "Fontaine", "fontaine", 70, P_RACING},
    [S_HELENE] = {"Hélène", "helene", "Mercier", "mercier", 30, P_RACING},
    [S_FRANCOISE] = {"Françoise", "francoise", "Lambert", "lambert", 150, P_COMPLETE},
    [S_BENOIT] = {"Benoît", "benoit", "Chevalier", "chevalier", 150, P_COMPLETE},
    [S_ANAIS] = {"Anaïs", "anais", "Morel", "morel", 30, P_NEVER},
    [S_LOIC] = {"Loïc", "loic", "Barbier", "barbier", 30, P_NEVER},
    [S_ZOE] = {"Zoé", "zoe", "Faure", "faure", 70, P_NEVER},
    [S_INES] = {"Inès", "ines", "Garnier", "garnier", 110, P_WITHDRAWN},
    [S_REMI] = {"Rémi", "remi", "Perrin", "perrin", 70, P_WITHDRAWN},
    [S_OCEANE] = {"Océane", "oceane", "Roux", "roux", 110, P_DROPPED},
};

struct test_def {
    const char *ext_id, *name;
    int offset;
    double weight;
};
static const struct test_def tests[] = {
    {"demo-t-unit1", "Unit 1 test", 30, 0.1},         {"demo-t-unit2", "Unit 2 test", 55, 0.1},
    {"demo-t-mid", "Mid-course assessment", 75, 0.2}, {"demo-t-unit3", "Unit 3 test", 105, 0.1},
    {"demo-t-final", "Final exam", 145, 0.5},
};
#define N_TESTS (sizeof tests / sizeof *tests)
static const double thresholds[] = {0.25, 0.5, 0.75, 1.0};
#define N_THRESH (sizeof thresholds / sizeof *thresholds)

#define FLUSH_ROWS 65536
#define FLUSH_DONE 4096
#define DOMAIN "acme-industrie.example"

struct gen {
    struct lcm_store *st;
    const struct demo_opts *o;
    const struct lcm_report *rep;
    int64_t program_id;
    int ncohorts;
    int64_t *cohort_id;
    int *cohort_start;
    int64_t ms_progress[N_THRESH], ms_test[N_TESTS];
    int64_t s_learner[S_COUNT], s_enrollment[S_COUNT];
    struct demo_sim sim;
    struct lcm_activity_day *pending; /* rows waiting for one multi-row insert */
    size_t npending;
    struct lcm_milestone_done *done; /* FLUSH_DONE milestones waiting for one bulk insert */
    size_t ndone;
    struct demo_stats stats;
};

void demo_opts_init(struct demo_opts *o, int today)
{
    *o = (struct demo_opts){.seed = DEMO_SEED_DEFAULT,
                            .learners = DEMO_LEARNERS_DEFAULT,
                            .today = today,
                            .force = false};
}

/* 4 cohorts for the demo sizes, up to 40 for benchmark data; rolling starts, the newest
 * 30 days ago, every 40 days (4 cohorts) down to every 14 days (40 cohorts, the oldest
 * 576 days ago). */
static int cohort_count(int learners)
{
    if (learners <= 400)
        return 4;
    int n = learners / 2500;
    return n < 4 ? 4 : n > 40 ? 40 : n;
}

static enum lcm_status make_program(struct gen *g, struct lcm_err *err)
{
    struct lcm_program p = {.source = DEMO_SOURCE,
                            .ext_id = "anglais-b2",
                            .name = DEMO_PROGRAM_NAME,
                            .length_days = DEMO_COURSE_DAYS};
    enum lcm_status rc = store_entity_program_upsert(g->st, &p, &g->program_id, err);
    for (size_t i = 0; rc == LCM_OK && i < N_THRESH; i++) {
        char ext[32], name[16];
        snprintf(ext, sizeof ext, "demo-p%d", (int)(thresholds[i] * 100));
        snprintf(name, sizeof name, "%d %%", (int)(thresholds[i] * 100));
        struct lcm_milestone m = {.program_id = g->program_id,
                                  .source = DEMO_SOURCE,
                                  .ext_id = ext,
                                  .name = name,
                                  .kind = MILESTONE_PROGRESS,
                                  .threshold = thresholds[i],
                                  .due_day = DAY_NONE,
                                  .due_offset = -1};
        rc = store_entity_milestone_upsert(g->st, &m, &g->ms_progress[i], err);
    }
    for (size_t i = 0; rc == LCM_OK && i < N_TESTS; i++) {
        struct lcm_milestone m = {.program_id = g->program_id,
                                  .source = DEMO_SOURCE,
                                  .ext_id = tests[i].ext_id,
                                  .name = tests[i].name,
                                  .kind = MILESTONE_TEST,
                                  .threshold = -1,
                                  .due_day = DAY_NONE,
                                  .due_offset = tests[i].offset,
                                  .weight = tests[i].weight};
        rc = store_entity_milestone_upsert(g->st, &m, &g->ms_test[i], err);
    }
    return rc;
}

static enum lcm_status make_cohorts(struct gen *g, struct lcm_err *err)
{
    int n = g->ncohorts = cohort_count(g->o->learners);
    int spacing = 120 / (n - 1) < 14 ? 14 : 120 / (n - 1);
    g->cohort_id = lcm_xcalloc((size_t)n, sizeof *g->cohort_id);
    g->cohort_start = lcm_xcalloc((size_t)n, sizeof *g->cohort_start);
    enum lcm_status rc = LCM_OK;
    for (int k = 0; rc == LCM_OK && k < n; k++) {
        int start = g->o->today - 30 - (n - 1 - k) * spacing;
        int y, m, d;
        day_to_ymd(start, &y, &m, &d);
        char ext[32], name[96];
        snprintf(ext, sizeof ext, "demo-c%02d", k + 1);
        snprintf(name, sizeof name, "Cohorte %d – %s %d", k + 1, demo_names_months[m], y);
        struct lcm_cohort c = {.program_id = g->program_id,
                               .source = DEMO_SOURCE,
                               .ext_id = ext,
                               .name = name,
                               .start_day = start,
                               .end_day = start + 6 + DEMO_COURSE_DAYS};
        g->cohort_start[k] = start;
        rc = store_entity_cohort_upsert(g->st, &c, &g->cohort_id[k], err);
    }
    return rc;
}

/* The cohort whose start is closest to age days before today. */
static int cohort_by_age(const struct gen *g, int age)
{
    int best = 0;
    for (int k = 1; k < g->ncohorts; k++)
        if (abs(g->o->today - g->cohort_start[k] - age) <
            abs(g->o->today - g->cohort_start[best] - age))
            best = k;
    return best;
}

/* A random learner's persona, given how many days ago the enrollment started. */
static enum demo_persona random_persona(struct demo_rng *r, int age)
{
    double u = demo_rng_unit(r);
    enum demo_persona p = u < 0.46   ? P_REGULAR
                          : u < 0.56 ? P_RACING
                          : u < 0.70 ? P_SLOW
                          : u < 0.78 ? P_STALLED
                          : u < 0.86 ? P_DROPPED
                          : u < 0.90 ? P_NEVER
                          : u < 0.93 ? P_WITHDRAWN
                                     : P_REGULAR;
    if (p == P_NEVER && age > 60) /* long-forgotten enrolments are dropped, not pending */
        p = P_DROPPED;
    if ((p == P_NEVER && age < 10) || (p == P_STALLED && age < 25) ||
        ((p == P_DROPPED || p == P_WITHDRAWN) && age < 35))
        p = P_REGULAR;
    return p;
}

/* Identity of learner i: names (an injective walk over the two lists, so that first x last
 * pairs repeat only beyond 64 x 67 learners), contact, manager. */
struct identity {
    const char *first, *last;
    char email[128], phone[32];
    const char *manager, *manager_email, *department;
};

static void make_identity(const struct gen *g, int i, struct demo_rng *r, struct identity *id)
{
    const char *fa, *la;
    int dup = 0;
    if (i < S_COUNT) {
        id->first = scripted[i].first;
        fa = scripted[i].first_ascii;
        id->last = scripted[i].last;
        la = scripted[i].last_ascii;
    } else {
        size_t j = (size_t)(i - S_COUNT), nf = demo_names_first_count, nl = demo_names_last_count;
        size_t off = (size_t)(g->o->seed % (nf * nl));
        size_t fi = (j + off) % nf, li = ((j + off) / nf + j + off) % nl;
        id->first = demo_names_first[fi].utf8;
        fa = demo_names_first[fi].ascii;
        id->last = demo_names_last[li].utf8;
        la = demo_names_last[li].ascii;
        dup = (int)(j / (nf * nl));
        for (int s = 0; s < S_COUNT && !dup; s++)
            if (strcmp(scripted[s].first, id->first) == 0 &&
                strcmp(scripted[s].last, id->last) == 0)
                dup = 1;
    }
    if (dup)
        snprintf(id->email, sizeof id->email, "%s.%s%d@" DOMAIN, fa, la, dup + 1);
    else
        snprintf(id->email, sizeof id->email, "%s.%s@" DOMAIN, fa, la);
    /* Drawn one by one: the order of a call's arguments is unspecified in C (gcc and clang
     * differ), and the demo must be the same whatever the compiler. */
    int ph[4];
    for (int k = 0; k < 4; k++)
        ph[k] = demo_rng_range(r, 0, 99);
    snprintf(id->phone, sizeof id->phone, "+33 6 %02d %02d %02d %02d", ph[0], ph[1], ph[2], ph[3]);
    int dep = demo_rng_range(r, 0, (int)demo_names_department_count - 1);
    int mgr = demo_rng_range(r, 0, 1);
    id->department = demo_names_departments[dep];
    id->manager = demo_names_managers[dep][mgr][0];
    id->manager_email = demo_names_managers[dep][mgr][1];
}

static enum lcm_status flush_rows(struct gen *g, struct lcm_err *err)
{
    enum lcm_status rc = store_bulk_activity(g->st, g->pending, g->npending, err);
    g->stats.activity_days += (int64_t)g->npending;
    g->npending = 0;
    if (rc == LCM_OK)
        rc = store_bulk_milestones(g->st, g->done, g->ndone, err);
    g->ndone = 0;
    return rc;
}

/* Queues one reached milestone (PostgreSQL: one COPY for thousands, not a round trip each). */
static enum lcm_status queue_done(struct gen *g, const struct lcm_milestone_done *d,
                                  struct lcm_err *err)
{
    g->done[g->ndone++] = *d;
    g->stats.milestones_done++;
    if (g->ndone < FLUSH_DONE)
        return LCM_OK;
    enum lcm_status rc = store_bulk_milestones(g->st, g->done, g->ndone, err);
    g->ndone = 0;
    return rc;
}

static enum lcm_status queue_rows(struct gen *g, int64_t lid, int64_t eid, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < g->sim.nrows; i++) {
        g->pending[g->npending] = g->sim.rows[i];
        g->pending[g->npending].learner_id = lid;
        g->pending[g->npending++].enrollment_id = eid;
        if (g->npending == FLUSH_ROWS)
            rc = flush_rows(g, err);
    }
    return rc;
}

/* Celebrated the morning after unless reached in the last three days (still to celebrate). */
static int64_t celebrated_at(const struct gen *g, int day, struct demo_rng *r)
{
    int64_t at = day_to_time(day + 1) + 8 * 3600 + demo_rng_range(r, 0, 8 * 3600);
    return day < g->o->today - 3 ? at : 0;
}

/* A test score 0..100 by persona, lower the further behind the schedule the learner was. */
static double test_score(enum demo_persona p, double ahead, struct demo_rng *r)
{
    double base = p == P_RACING || p == P_COMPLETE ? 86 : p == P_SLOW ? 64 : 74;
    double v = base + (ahead < 0 ? ahead * 40 : 0) + (demo_rng_unit(r) - 0.5) * 24;
    v = v < 30 ? 30 : v > 100 ? 100 : v;
    return floor(v * 2 + 0.5) / 2;
}

/* When the test of due offset `offset` was taken, as a row index, or -1 (missed, or not
 * due yet): early by whoever covered its units already (85 % of the share of the course up
 * to the due day), else on an active day within 3 days of the due day by whoever was not
 * hopelessly behind (half that share). */
static long test_taken(const struct demo_sim *s, int offset)
{
    double share = (double)offset / DEMO_COURSE_DAYS;
    int due = s->start + offset;
    long k = demo_sim_reach(s, 0.85 * share);
    if (k >= 0 && s->rows[k].day <= due)
        return k;
    for (size_t i = 0; i < s->nrows && s->rows[i].day <= due + 3; i++)
        if (s->rows[i].day >= due - 3 && s->rows[i].progress >= 0.5 * share)
            return (long)i;
    return -1;
}

/* Progress milestones on the day they were reached; tests as test_taken() says. */
static enum lcm_status record_milestones(struct gen *g, int64_t lid, int64_t eid,
                                         struct demo_rng *r, struct lcm_err *err)
{
    const struct demo_sim *s = &g->sim;
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < N_THRESH; i++) {
        long k = demo_sim_reach(s, thresholds[i]);
        if (k < 0)
            break;
        int day = s->rows[k].day;
        struct lcm_milestone_done d = {.enrollment_id = eid,
                                       .milestone_id = g->ms_progress[i],
                                       .day = day,
                                       .score = -1,
                                       .celebrated_at = celebrated_at(g, day, r),
                                       .learner_id = lid};
        rc = queue_done(g, &d, err);
    }
    for (size_t i = 0; rc == LCM_OK && i < N_TESTS; i++) {
        long k = test_taken(s, tests[i].offset);
        if (k < 0)
            continue;
        int day = s->rows[k].day;
        double expected = (double)(day - s->start) / DEMO_COURSE_DAYS;
        double score = test_score(s->persona, s->rows[k].progress - expected, r);
        struct lcm_milestone_done d = {.enrollment_id = eid,
                                       .milestone_id = g->ms_test[i],
                                       .day = day,
                                       .score = score,
                                       .celebrated_at = celebrated_at(g, day, r),
                                       .learner_id = lid};
        rc = queue_done(g, &d, err);
    }
    return rc;
}

static enum lcm_status make_learner(struct gen *g, int i, struct lcm_err *err)
{
    struct demo_rng r = demo_rng_for(g->o->seed, 1, (uint64_t)i);
    struct identity id;
    make_identity(g, i, &r, &id);
    char lext[32], eext[32];
    snprintf(lext, sizeof lext, "demo-l%06d", i + 1);
    snprintf(eext, sizeof eext, "demo-e%06d", i + 1);
    struct lcm_learner l = {.source = DEMO_SOURCE,
                            .ext_id = lext,
                            .first_name = id.first,
                            .last_name = id.last,
                            .email = id.email,
                            .phone = id.phone,
                            .manager = id.manager,
                            .manager_email = id.manager_email,
                            .department = id.department,
                            .lang = "fr"};
    int64_t lid, eid;
    enum lcm_status rc;
    int k = i < S_COUNT ? cohort_by_age(g, scripted[i].cohort_age)
                        : demo_rng_range(&r, 0, g->ncohorts - 1);
    struct demo_sim *s = &g->sim;
    s->start = g->cohort_start[k] + demo_rng_range(&r, 0, 6);
    s->today = g->o->today;
    s->persona = i < S_COUNT ? scripted[i].persona : random_persona(&r, g->o->today - s->start);
    struct demo_rng sr = demo_rng_for(g->o->seed, 2, (uint64_t)i);
    demo_sim_run(s, &sr);
    /* The last active day, by value (none: progress 0, no day). */
    const struct lcm_activity_day last =
        s->nrows ? s->rows[s->nrows - 1] : (struct lcm_activity_day){.day = DAY_NONE};
    struct lcm_enrollment e = {.cohort_id = g->cohort_id[k],
                               .source = DEMO_SOURCE,
                               .ext_id = eext,
                               .status = s->status,
                               .start_day = s->start,
                               .expected_end_day = s->start + DEMO_COURSE_DAYS,
                               .ended_day = s->ended_day,
                               .progress = last.progress,
                               .last_activity_day = last.day,
                               .outcome = s->outcome};
    if ((rc = store_bulk_people_add(g->st, &l, &e, &lid, &eid, err)) != LCM_OK)
        return rc;
    if (i < S_COUNT) {
        g->s_learner[i] = lid;
        g->s_enrollment[i] = eid;
    }
    if ((rc = record_milestones(g, lid, eid, &sr, err)) != LCM_OK)
        return rc;
    return queue_rows(g, lid, eid, err);
}

/* The LCM's past contacts with the scripted learners. */
struct checkin_def {
    int who, days_ago, hour;
    enum checkin_channel channel;
    const char *direction, *outcome, *note, *next_step;
};
static const struct checkin_def checkins[] = {
    {S_MARTY, 30, 10, CH_CHAT, "in", "reached",
     "Marty signale une grosse charge de travail en fin de trimestre.", "Relancer mi-mois"},
    {S_CAMILLE, 40, 15, CH_MEETING, "out", "reached",
     "Point d'étape : très motivée, vise la certification TOEIC.", NULL},
    {S_INES, 35, 11, CH_CALL, "in", "reached",
     "Inès se retire du parcours : changement de poste, plus de temps libre.", NULL},
    {S_OCEANE, 20, 9, CH_EMAIL, "out", "no answer", "Relance « on ne vous voit plus » envoyée.",
     "Appeler la semaine prochaine"},
    {S_BOBBY, 14, 9, CH_EMAIL, "out", "no answer",
     "Relance après une semaine sans connexion : pas de réponse.", "Appeler Bobby"},
    {S_SOPHIE, 10, 16, CH_CALL, "out", "voicemail",
     "Messagerie ; message laissé pour proposer un créneau.", "Rappeler"},
    {S_FRANCOISE, 9, 11, CH_NOTE, "out", "done",
     "Félicitations envoyées pour la fin du parcours, manager en copie.", NULL},
    {S_ANAIS, 6, 10, CH_EMAIL, "out", "no answer",
     "Lien de connexion renvoyé, rappel du premier module.", "Vérifier la connexion"},
    {S_JEROME, 5, 14, CH_CALL, "out", "reached",
     "Bloqué sur le module 4 (conditionnel) ; fiche de grammaire à envoyer.", "Envoyer la fiche"},
    {S_GAELLE, 3, 12, CH_CHAT, "in", "reached",
     "Gaëlle manque de temps cette semaine, reprend lundi.", NULL},
};

/* days_from_today counts working days (Monday to Friday, the default calendar.work_days): an
 * LCM books no call on a weekend, so with today a Saturday, 0 is Monday and -1 Friday. */
struct followup_def {
    int who, days_from_today, minute_of_day, duration;
    const char *kind, *title, *note;
};
static const struct followup_def followups[] = {
    {S_BOBBY, -2, 11 * 60, 30, "call", "Appeler Bobby (3 semaines sans connexion)",
     "Relance e-mail restée sans réponse."},
    {S_SOPHIE, 0, 14 * 60, 30, "call", "Appel de suivi — Sophie Carpentier",
     "Proposer un rythme allégé."},
    {S_DJILALI, 1, 10 * 60, 30, "call", "Premier appel — Djilali Benali", NULL},
    {S_JEROME, 2, 16 * 60 + 30, 20, "call", "Point grammaire — Jérôme Dupré",
     "Suite de l'appel du module 4."},
    {S_MARTY, 3, 9 * 60, 15, "reminder", "Relancer Marty si toujours pas de connexion", NULL},
};

/* The n-th working day (Monday to Friday) after today (before it when n < 0); n == 0: today,
 * or the next Monday when today falls on a weekend. */
static int working_day(int today, int n)
{
    int d = today;
    while (n == 0 && day_weekday(d) >= 5)
        d++;
    for (; n > 0; n--)
        do
            d++;
        while (day_weekday(d) >= 5);
    for (; n < 0; n++)
        do
            d--;
        while (day_weekday(d) >= 5);
    return d;
}

static enum lcm_status make_contacts(struct gen *g, struct lcm_err *err)
{
    int today = g->o->today;
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; rc == LCM_OK && i < sizeof checkins / sizeof *checkins; i++) {
        const struct checkin_def *d = &checkins[i];
        if (g->s_learner[d->who] == 0)
            continue;
        struct lcm_checkin c = {.learner_id = g->s_learner[d->who],
                                .enrollment_id = g->s_enrollment[d->who],
                                .at = day_to_time(today - d->days_ago) + d->hour * 3600,
                                .channel = d->channel,
                                .direction = d->direction,
                                .outcome = d->outcome,
                                .note = d->note,
                                .next_step = d->next_step,
                                .author = "LCM (démo)"};
        rc = store_checkin_add(g->st, &c, NULL, err);
        g->stats.checkins++;
    }
    for (size_t i = 0; rc == LCM_OK && i < sizeof followups / sizeof *followups; i++) {
        const struct followup_def *d = &followups[i];
        if (g->s_learner[d->who] == 0)
            continue;
        struct lcm_followup f = {.learner_id = g->s_learner[d->who],
                                 .enrollment_id = g->s_enrollment[d->who],
                                 .kind = d->kind,
                                 .due_at = day_to_time(working_day(today, d->days_from_today)) +
                                           d->minute_of_day * 60,
                                 .duration_min = d->duration,
                                 .status = FU_PLANNED,
                                 .title = d->title,
                                 .note = d->note};
        int64_t created = day_to_time(today - 7) + 9 * 3600;
        rc = store_followup_add(g->st, &f, created, NULL, err);
        g->stats.followups++;
    }
    return rc;
}

/* Everything inside the one transaction. */
static enum lcm_status generate_all(struct gen *g, bool had_data, struct lcm_err *err)
{
    enum lcm_status rc = had_data ? store_bulk_clear_source(g->st, DEMO_SOURCE, err) : LCM_OK;
    if (rc == LCM_OK)
        rc = make_program(g, err);
    if (rc == LCM_OK)
        rc = make_cohorts(g, err);
    for (int i = 0; rc == LCM_OK && i < g->o->learners; i++) {
        rc = make_learner(g, i, err);
        if ((i + 1) % 10000 == 0)
            lcm_report(g->rep, LCM_LEVEL_PROGRESS, _("demo: %d / %d learners"), i + 1,
                       g->o->learners);
    }
    if (rc == LCM_OK)
        rc = flush_rows(g, err);
    if (rc == LCM_OK) /* the contacts below name learners */
        rc = store_bulk_people_flush(g->st, err);
    if (rc == LCM_OK) /* the refresh below reads activity_day by its key */
        rc = store_bulk_keys(g->st, err);
    if (rc == LCM_OK)
        rc = make_contacts(g, err);
    if (rc == LCM_OK)
        rc = store_entity_enrollment_refresh(g->st, 0, err);
    char today[DAY_TEXT_LEN];
    if (rc == LCM_OK)
        rc = store_kv_set(g->st, "demo", "1", err);
    if (rc == LCM_OK)
        rc = store_kv_set(g->st, "demo_today", day_format(g->o->today, today), err);
    g->stats.cohorts = g->ncohorts;
    g->stats.learners = g->o->learners;
    return rc;
}

enum lcm_status demo_generate(struct lcm_store *st, const struct demo_opts *o,
                              const struct lcm_report *rep, struct demo_stats *out,
                              struct lcm_err *err)
{
    if (!st || !o)
        return lcm_err_set(err, LCM_ERR_USAGE, _("demo: no database or options"));
    if (o->learners < 1 || o->learners > DEMO_LEARNERS_MAX)
        return lcm_err_set(err, LCM_ERR_INVALID, _("demo: learners must be 1 to %d, not %d"),
                           DEMO_LEARNERS_MAX, o->learners);
    bool has_data = false, is_demo = false;
    enum lcm_status rc = store_bulk_kind(st, &has_data, &is_demo, err);
    if (rc != LCM_OK)
        return rc;
    if (has_data && !is_demo && !o->force)
        return lcm_err_set(err, LCM_ERR_EXISTS,
                           _("demo: the database already holds data that is not demo data; "
                             "use --force to add the demo to it, or another --db"));
    struct gen g = {.st = st, .o = o, .rep = rep};
    g.pending = lcm_xmalloc(FLUSH_ROWS * sizeof *g.pending);
    g.done = lcm_xmalloc(FLUSH_DONE * sizeof *g.done);
    if ((rc = store_bulk_begin(st, !has_data, err)) == LCM_OK) {
        rc = generate_all(&g, has_data, err);
        enum lcm_status end = store_bulk_end(st, rc == LCM_OK, err);
        if (rc == LCM_OK)
            rc = end;
    }
    if (rc == LCM_OK && out)
        *out = g.stats;
    free(g.pending);
    free(g.done);
    free(g.sim.rows);
    free(g.cohort_id);
    free(g.cohort_start);
    return rc;
}
