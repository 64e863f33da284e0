/* effect.h — the outreach effect measured against the holdout (control group): per sequence
 * rule or per template, the share of learners active again within 3, 7 and 14 days when they
 * got the message (treated) and when they were held out, the difference in percentage points
 * with its 95 % interval (Newcombe's hybrid score method, report/stats.h), the counts, and
 * "not enough data yet" while either group has fewer than min_arm learners whose window has
 * closed. Used by `outbox stats --by rule`, the TUI's KPI pane and the HR report. */
#ifndef LCM_EFFECT_H
#define LCM_EFFECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"
#include "store/store_effect.h"

#define EFFECT_WINDOWS STORE_HOLDOUT_WINDOWS
#define EFFECT_HEADLINE 1 /* the window of the one-sentence summary: 7 days */

/* One window of one row. n1/x1: treated whose window closed / came back; n0/x0 held out. */
struct effect_cell {
    int days;
    int64_t n1, x1, n0, x0;
    bool enough;      /* both n1 and n0 >= min_arm */
    double d, lo, hi; /* x1/n1 - x0/n0 and its 95 % interval, -1..1 (when both n > 0) */
};
struct effect_row {
    char *name; /* owned: the rule (or template) */
    struct effect_cell w[EFFECT_WINDOWS];
};
struct effect_table {
    bool by_template;
    int min_arm;
    struct effect_row *rows;
    size_t n;
};

/* Fills *out (free with effect_free(), also after an error) for today: one row per rule (or
 * template when by_template) with at least one holdout, by name. min_arm < 1 counts as 1. */
enum lcm_status effect_load(struct lcm_store *st, int today, bool by_template, int min_arm,
                            struct effect_table *out, struct lcm_err *err);
void effect_free(struct effect_table *t);

/* Fills c from the counts (pure; what effect_load does for each window). */
void effect_cell_compute(struct effect_cell *c, int days, int64_t n1, int64_t x1, int64_t n0,
                         int64_t x0, int min_arm);

/* The row's window w in one translated sentence, e.g. "The rule nudge_21 brings back 18 points
 * more learners within 7 days than no message (95 % CI 6 to 30; 212 vs 24 learners)." or
 * "... not enough data yet ...". Writes into buf (always terminated); returns buf. */
const char *effect_sentence(const struct effect_table *t, const struct effect_row *r, int w,
                            char *buf, size_t len);
/* The window as a short cell: "+18 (6 to 30)", or "n/a" (not enough data). Returns buf. */
const char *effect_cell_text(const struct effect_cell *c, char *buf, size_t len);

#endif
