/* store_view_head.h — the head of the triage list straight from the server's index, for the
 * first frame (issue 17): the default view's first rows without the sort keys of every
 * enrollment. The whole order (store_view.h) is loaded after the first frame is drawn; the
 * head is always a prefix of it, row for row. */
#ifndef LCM_STORE_VIEW_HEAD_H
#define LCM_STORE_VIEW_HEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"
#include "store/store_view.h"

/* True when f is a view whose head this module can give: the attention order, snoozed
 * learners hidden, no search, cohort, level or idle filter (mine or everyone's). */
bool store_view_head_fits(const struct view_filter *f);

/* The first ids of store_view_snapshot_order(f)'s list, in its order: the active enrollments
 * at risk (level 2) in f's scope, walked down the risk_triage index, at most max read.
 * *n is the length of the part known to be exact (the learners tied with the last one read
 * are left out, since others may tie with them further down the index): it may be anything
 * from 0 to max - 1, and is 0 when !store_view_head_fits(f). *ids is malloc'ed (caller
 * frees; NULL when *n == 0). rows, when not NULL: *rows the triage rows of those ids, as
 * store_view_rows() gives them, read in the same statement (the caller clears each with
 * store_view_row_clear() and frees the array; NULL when *n == 0). It relies on
 * risk_score()'s clamp (score = raw within 0..100), which makes the index's order (score, raw)
 * that of the list's key. */
enum lcm_status store_view_head_order(struct lcm_store *st, const struct view_filter *f, size_t max,
                                      int64_t **ids, struct view_row **rows, size_t *n,
                                      struct lcm_err *err);

#endif
