/* demo_sim.c — simulates one learner's daily activity and progress through the course. */
#include "demo/demo_sim.h"

#include <limits.h>
#include <math.h>

#include "base/day.h"
#include "demo/demo.h"
#include "demo/demo_rng.h"
#include "base/status.h"

/* The share of days a regular learner is active; a pace of 1 finishes in the course length. */
#define NOMINAL_DENSITY 0.9
/* After the expected end, the course closes this many days later. */
#define GRACE_DAYS 60

struct plan {
    double pace, q_week, q_weekend;
    int stop_day;       /* last possible active day */
    int stall_day;      /* progress flat from this day (INT_MAX: never) */
    int force1, force2; /* days forced active (DAY_NONE: none) */
    bool may_complete;
};

static double round3(double v)
{
    return floor(v * 1000.0 + 0.5) / 1000.0;
}

static void plan_for(struct demo_sim *sim, struct demo_rng *rng, struct plan *p)
{
    int yesterday = sim->today - 1;
    *p = (struct plan){.pace = 0.72 + 0.36 * demo_rng_unit(rng),
                       .q_week = 0.95,
                       .q_weekend = 0.65,
                       .stop_day = yesterday,
                       .stall_day = INT_MAX,
                       .force1 = DAY_NONE,
                       .force2 = DAY_NONE,
                       .may_complete = true};
    switch (sim->persona) {
    case P_RACING:
    case P_COMPLETE:
        p->pace = sim->persona == P_COMPLETE ? 2.1 : 1.5 + 0.5 * demo_rng_unit(rng);
        p->q_week = 0.95;
        p->q_weekend = 0.7;
        break;
    case P_SLOW:
        p->pace = 0.4 + 0.22 * demo_rng_unit(rng);
        p->q_week = 0.8;
        p->q_weekend = 0.4;
        break;
    case P_STALLED:
        p->stall_day = sim->today - demo_rng_range(rng, 11, 20);
        p->force1 = yesterday - demo_rng_range(rng, 0, 2); /* still logging in */
        break;
    case P_DROPPED:
    case P_WITHDRAWN:
        p->stop_day = sim->today - demo_rng_range(rng, 25, 60);
        if (p->stop_day < sim->start + 4)
            p->stop_day = sim->start + 4;
        break;
    case P_NEVER:
        p->stop_day = sim->start - 1;
        break;
    case P_GONE21:
        p->stop_day = p->force1 = sim->today - 21;
        break;
    case P_CROSS75:
        p->force1 = yesterday;
        p->force2 = yesterday - 1;
        p->may_complete = false;
        break;
    case P_REGULAR:
        break;
    }
    int closes = sim->start + DEMO_COURSE_DAYS + GRACE_DAYS;
    if (p->stop_day > closes)
        p->stop_day = closes;
    if (p->stop_day > yesterday)
        p->stop_day = yesterday;
}

static struct lcm_activity_day *push_row(struct demo_sim *sim)
{
    if (sim->nrows == sim->cap) {
        sim->cap = sim->cap ? sim->cap * 2 : 256;
        sim->rows = lcm_xrealloc(sim->rows, sim->cap * sizeof *sim->rows);
    }
    return &sim->rows[sim->nrows++];
}

/* One active day: sessions, minutes, actions, and the progress it adds. */
static void active_day(struct demo_sim *sim, struct demo_rng *rng, const struct plan *p, int d,
                       double *progress)
{
    struct lcm_activity_day *a = push_row(sim);
    double u = demo_rng_unit(rng);
    a->enrollment_id = 0;
    a->day = d;
    a->sessions = 1 + (u < 0.3) + (u < 0.08);
    if (d >= p->stall_day) {
        a->minutes = a->sessions * demo_rng_range(rng, 3, 12);
        a->actions = demo_rng_range(rng, 1, 6);
    } else {
        a->minutes = a->sessions * demo_rng_range(rng, 12, 40);
        a->actions = (int)(a->minutes * (0.6 + 0.8 * demo_rng_unit(rng)));
        double inc = p->pace * (0.5 + demo_rng_unit(rng)) / (DEMO_COURSE_DAYS * NOMINAL_DENSITY);
        *progress = round3(*progress + inc);
        if (*progress > 1.0)
            *progress = 1.0;
    }
    a->progress = *progress;
}

/* Scales the history so that progress is 0.76 on the last row (today - 1) and below 0.75
 * on every earlier one. */
static void shape_cross75(struct demo_sim *sim)
{
    if (sim->nrows == 0)
        return;
    double last = sim->rows[sim->nrows - 1].progress;
    double f = last > 0 ? 0.76 / last : 0;
    for (size_t i = 0; i + 1 < sim->nrows; i++) {
        double v = round3(sim->rows[i].progress * f);
        sim->rows[i].progress = v > 0.745 ? 0.745 : v;
    }
    sim->rows[sim->nrows - 1].progress = 0.76;
}

/* Only the scripted learner crosses 75 % yesterday: anyone else stays just below. */
static void guard_cross75(struct demo_sim *sim)
{
    if (sim->nrows == 0)
        return;
    struct lcm_activity_day *last = &sim->rows[sim->nrows - 1];
    double before = sim->nrows > 1 ? sim->rows[sim->nrows - 2].progress : 0;
    if (last->day == sim->today - 1 && last->progress >= 0.75 && before < 0.75)
        last->progress = 0.749;
}

static void set_status(struct demo_sim *sim, struct demo_rng *rng, const struct plan *p)
{
    sim->status = ENROLL_ACTIVE;
    sim->ended_day = DAY_NONE;
    sim->outcome = NULL;
    long done = demo_sim_reach(sim, 1.0);
    int closes = sim->start + DEMO_COURSE_DAYS + GRACE_DAYS;
    if (done >= 0) {
        sim->status = ENROLL_COMPLETED;
        sim->ended_day = sim->rows[done].day;
        sim->outcome = "Réussi";
    } else if (sim->persona == P_WITHDRAWN) {
        sim->status = ENROLL_WITHDRAWN;
        sim->ended_day = p->stop_day + demo_rng_range(rng, 5, 12);
        if (sim->ended_day > sim->today - 1)
            sim->ended_day = sim->today - 1;
        sim->outcome = "Abandon";
    } else if (closes < sim->today) {
        sim->status = ENROLL_FAILED;
        sim->ended_day = closes;
        sim->outcome = "Non terminé";
    }
}

void demo_sim_run(struct demo_sim *sim, struct demo_rng *rng)
{
    struct plan p;
    plan_for(sim, rng, &p);
    sim->nrows = 0;
    double progress = 0;
    for (int d = sim->start; d <= p.stop_day; d++) {
        bool weekend = day_weekday(d) >= 5;
        double q = weekend ? p.q_weekend : p.q_week;
        bool active = demo_rng_unit(rng) < q || d == p.force1 || d == p.force2;
        if (!active)
            continue;
        bool was_done = progress >= 1.0;
        active_day(sim, rng, &p, d, &progress);
        if (progress >= 1.0 && !was_done) {
            if (!p.may_complete) {
                progress = 0.999;
                sim->rows[sim->nrows - 1].progress = progress;
                continue;
            }
            /* Done: access stays open until the course closes, and some come back to
             * review now and then (short sessions, progress stays at 100 %). */
            p.stall_day = d + 1;
            p.q_week *= 0.4;
            p.q_weekend *= 0.4;
        }
    }
    if (sim->persona == P_CROSS75)
        shape_cross75(sim);
    else
        guard_cross75(sim);
    set_status(sim, rng, &p);
}

long demo_sim_reach(const struct demo_sim *sim, double threshold)
{
    for (size_t i = 0; i < sim->nrows; i++)
        if (sim->rows[i].progress >= threshold - 1e-9)
            return (long)i;
    return -1;
}
