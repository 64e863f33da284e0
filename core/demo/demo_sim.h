/* demo_sim.h — the per-enrollment simulation of the demo generator (private to core/demo). */
#ifndef LCM_DEMO_SIM_H
#define LCM_DEMO_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "demo/demo_rng.h"

/* How a learner behaves. */
enum demo_persona {
    P_REGULAR,
    P_RACING,
    P_SLOW,
    P_STALLED,   /* logs in, progress flat since stall_day */
    P_DROPPED,   /* no activity after stop_day (weeks ago) */
    P_NEVER,     /* enrolled, never active */
    P_WITHDRAWN, /* stopped, then withdrawn */
    P_GONE21,    /* last activity exactly today - 21 */
    P_CROSS75,   /* crosses 75 % on today - 1 */
    P_COMPLETE,  /* races to 100 % */
};

/* One enrollment's simulated history. rows: the active days in day order (enrollment_id
 * left 0 for the caller). */
struct demo_sim {
    enum demo_persona persona;
    int start, today;
    /* results */
    enum enroll_status status;
    int ended_day; /* DAY_NONE unless completed/withdrawn/failed */
    const char *outcome;
    struct lcm_activity_day *rows;
    size_t nrows, cap;
};

/* Simulates from sim->start to today - 1 for sim->persona, drawing from rng. Reuses
 * sim->rows (grown with lcm_xrealloc; the caller frees it). Guarantees: only P_CROSS75 has
 * its first progress >= 0.75 on today - 1; P_GONE21 has its last active day on today - 21. */
void demo_sim_run(struct demo_sim *sim, struct demo_rng *rng);

/* The first row index whose progress reaches threshold, or -1. */
long demo_sim_reach(const struct demo_sim *sim, double threshold);

#endif
