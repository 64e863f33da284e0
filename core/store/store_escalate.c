/* store_escalate.c — candidates of the `escalate` sequence rule. See store_escalate.h. */
#include "store/store_escalate.h"

#include <string.h>

#include "base/day.h"
#include "store/store_internal.h"

/* The sending day of m as 'YYYY-MM-DD' in each dialect (activity days are text). */
#define ESC_SQL(SENT_DAY)                                                                          \
    "SELECT l.id, e.id, l.first_name, l.last_name, l.email, l.lang, p.name, c.name, e.progress, "  \
    "e.last_activity_day, e.start_day, l.manager, l.manager_email, count(m.id), min(m.sent_at), "  \
    "min(m.id) "                                                                                   \
    "FROM enrollment e JOIN learner l ON l.id = e.learner_id "                                     \
    "JOIN cohort c ON c.id = e.cohort_id JOIN program p ON p.id = c.program_id "                   \
    "JOIN message m ON m.learner_id = l.id AND m.status = 'sent' AND m.sent_at IS NOT NULL "       \
    "  AND m.replied_at IS NULL AND COALESCE(m.template, '') <> ?1 "                               \
    "  AND (e.last_activity_day IS NULL OR e.last_activity_day <= " SENT_DAY ") "                  \
    "  AND NOT EXISTS (SELECT 1 FROM checkin k WHERE k.learner_id = l.id "                         \
    "    AND k.direction = 'in' AND k.at >= m.sent_at) "                                           \
    "WHERE e.status = 'active' AND COALESCE(l.manager_email, '') <> '' "                           \
    "GROUP BY l.id, e.id, l.first_name, l.last_name, l.email, l.lang, p.name, c.name, "            \
    "e.progress, e.last_activity_day, e.start_day, l.manager, l.manager_email ORDER BY e.id"

enum lcm_status store_escalate_candidates(struct lcm_store *st, const char *skip_template,
                                          store_escalate_fn fn, void *ctx, struct lcm_err *err)
{
    struct db_stmt *s = store_stmt_each(
        st, ESC_SQL("date(m.sent_at, 'unixepoch')"),
        ESC_SQL("to_char(to_timestamp(m.sent_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"), err);
    if (!s)
        return err ? err->status : LCM_ERR_DB;
    store_bind_text(s, 1, skip_template ? skip_template : "");
    enum lcm_status out = LCM_OK;
    int rc = DB_DONE;
    while (out == LCM_OK && (rc = db_step(s)) == DB_ROW) {
        struct store_escalate_cand e;
        memset(&e, 0, sizeof e);
        store_sequence_cand_read(s, &e.c); /* columns 0-10, as the sequences' candidates */
        e.manager = store_col_text(s, 11);
        e.manager_email = store_col_text(s, 12);
        e.unanswered = (int)db_column_int64(s, 13);
        e.first_at = db_column_int64(s, 14);
        e.first_msg_id = db_column_int64(s, 15);
        out = fn(ctx, &e);
    }
    if (out == LCM_OK && rc != DB_DONE && rc != DB_ROW)
        out = store_fail(st, err, "escalation candidates");
    db_reset(s);
    return out;
}
