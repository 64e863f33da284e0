/* store_post.h — the SQL of scheduled posts to the cohorts' channels (msg/post.h has the
 * behaviour). A post is a row of the outbox (`message`, channel 'post'), so approval, skip,
 * retry, the claim before sending and the listing are the e-mails' own (store_message.h).
 * post_file remembers which files of the content calendar were queued. */
#ifndef LCM_STORE_POST_H
#define LCM_STORE_POST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

#define STORE_POST_NAME 200 /* bytes kept of a cohort's or programme's names */

/* Where a post goes: a cohort (cohort_id > 0, with its programme) or a whole programme
 * (cohort_id 0). Names as stored ("" when absent), cut to STORE_POST_NAME. */
struct store_post_target {
    int64_t cohort_id, program_id;
    char cohort_ext[STORE_POST_NAME], cohort_name[STORE_POST_NAME];
    char program_ext[STORE_POST_NAME], program_name[STORE_POST_NAME];
};

/* Finds the cohort (program false) or programme named by `name`: "#ID", the ext_id or the
 * name (exact). LCM_ERR_NOTFOUND when none, LCM_ERR_CONFLICT when the name is ambiguous
 * (several ext_ids or names match: use #ID). */
enum lcm_status store_post_target_find(struct lcm_store *st, bool program, const char *name,
                                       struct store_post_target *out, struct lcm_err *err);

/* The target of a stored post (its cohort_id or program_id). LCM_ERR_NOTFOUND when that
 * cohort or programme is gone. */
enum lcm_status store_post_target_get(struct lcm_store *st, int64_t cohort_id, int64_t program_id,
                                      struct store_post_target *out, struct lcm_err *err);

/* A new post: a draft (approve it in the outbox) for t, with title (the list's subject,
 * NULL or "": none) and text; not sent before not_before (0: as soon as approved); rule
 * names where it came from ("calendar" for a file, NULL for the command line). */
struct store_post_new {
    const struct store_post_target *target;
    const char *title, *text, *rule;
    int64_t not_before;
};
enum lcm_status store_post_add(struct lcm_store *st, const struct store_post_new *p, int64_t now_ts,
                               int64_t *id, struct lcm_err *err);

/* The content calendar's memory: *message_id of the post queued from path with that content
 * hash (0 when the message is gone), *found false when that version was never queued;
 * *latest_id the most recent post queued from any earlier version of path (0: none). */
enum lcm_status store_post_file_get(struct lcm_store *st, const char *path, const char *hash,
                                    bool *found, int64_t *message_id, int64_t *latest_id,
                                    struct lcm_err *err);
/* Records that path at hash was queued as message_id. */
enum lcm_status store_post_file_add(struct lcm_store *st, const char *path, const char *hash,
                                    int64_t message_id, int64_t now_ts, struct lcm_err *err);

#endif
