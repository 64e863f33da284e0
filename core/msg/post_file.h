/* post_file.h — the content calendar: a folder of post files (config posts.dir, default
 * $XDG_DATA_HOME/lcmtui/posts, i.e. ~/.local/share/lcmtui/posts), each a post with its date,
 * queued as a draft by `lcmtui sequences` when its time comes near.
 *
 * A post file (NAME.md or NAME.txt; others and hidden files are ignored):
 *   ---
 *   at: 2026-12-07 09:00          (UTC wall clock as everywhere in lcmtui; a date alone: 09:00)
 *   cohort: FR-B1-2026            (or program: ENG-B2; "#ID", ext_id or name)
 *   title: Question de la semaine (optional: the outbox's subject)
 *   ---
 *   The text of the post, sent as it is (Slack/Mattermost markup allowed).
 * Values may be quoted ("..."); `#` starts a comment line inside the front matter. A file
 * is queued once for each content: it is keyed by its name inside the folder and the SHA-1
 * of its bytes. A file changed after it was queued is queued again as a new draft, and the
 * run warns naming the earlier post (skip it in the outbox when it is replaced); the earlier
 * post is never changed behind the LCM's back. A file with a bad front matter gets one
 * warning naming the file and line, nothing is queued from it, the others go on. */
#ifndef LCM_POST_FILE_H
#define LCM_POST_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

#define POST_FILE_MAX (64 * 1024) /* bytes; a bigger file is refused */

/* A parsed post file. Strings are malloc'ed (post_file_clear frees them); absent ones NULL. */
struct post_file {
    char *at_text, *cohort, *program, *title, *body;
    int64_t at;
    int target_line; /* the line of cohort: or program:, for messages */
};
void post_file_clear(struct post_file *f);

/* Parses text (len bytes, may hold NUL bytes: refused) named name (for messages) into out.
 * `at` must be an absolute date ("YYYY-MM-DD[ HH:MM]"): a file read again on another day
 * must not move. On error: LCM_ERR_PARSE, err's message "NAME:LINE: what", out cleared. */
enum lcm_status post_file_parse(const char *name, const char *text, size_t len, int today,
                                int64_t now_ts, struct post_file *out, struct lcm_err *err);

/* Reads the regular file path (at most max bytes, else LCM_ERR_INVALID) into a malloc'ed,
 * NUL-terminated *data (caller frees) of *len bytes. */
enum lcm_status post_file_read(const char *path, size_t max, char **data, size_t *len,
                               struct lcm_err *err);

/* The content calendar's settings (group `posts`): dir, lead_days (how long before its time
 * a file's post is drafted, for the LCM to approve it: default 7, 0..60). */
struct post_cal_config {
    char dir[4096];
    int lead_days;
};
enum lcm_status post_file_config(const struct lcm_config *cfg, struct post_cal_config *out,
                                 const struct lcm_report *rep, struct lcm_err *err);

struct post_cal_result {
    int drafted, later, bad, seen; /* seen: queued by an earlier run */
};

/* One drafted post, for the command's listing. */
typedef void (*post_cal_fn)(void *ctx, int64_t id, const char *file, const char *target,
                            int64_t at);

/* Drafts the posts of c->dir's files whose time is at most lead_days ahead of now_ts (also
 * those already past) and that were not queued before with that content; each draft and
 * its file's record in one transaction. Bad files are warned through rep (WARN, one line)
 * and counted. A missing folder is no error (nothing to do). dry_run: nothing written. */
enum lcm_status post_file_queue(struct lcm_store *st, const struct post_cal_config *c, int today,
                                int64_t now_ts, bool dry_run, post_cal_fn fn, void *fn_ctx,
                                struct post_cal_result *res, const struct lcm_report *rep,
                                struct lcm_err *err);

#endif
