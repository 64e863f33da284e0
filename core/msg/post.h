/* post.h — scheduled posts to the cohorts' and programmes' chat channels ("animer le
 * collectif"), through the outbox.
 *
 * A post is an outbox message with channel "post" (store/store_post.h): it is made a draft,
 * approved like an e-mail (`outbox approve`), and sent by `outbox send` (cron) at or after its
 * time (not_before) through the channel's webhook (msg/webhook.h: the `webhooks` entry of its
 * cohort, else of its programme, else `webhook`). Delivery follows the e-mails' rules:
 * - the post is claimed (queued -> sending, attempts + 1) in a committed transaction before
 *   the POST, and marked sent right after the 2xx, in the same place;
 * - no answer, a timeout, 429 (its Retry-After honoured) or 5xx: back to queued with a
 *   back-off (webhook.retry_base * 2^(attempts-1), at most 6 h), failed after
 *   webhook.max_attempts; another 4xx: failed;
 * - a run that dies between the POST and the mark leaves the post `sending`: the next run
 *   makes it failed "unknown:" and does not post it again (the LCM looks at the channel, then
 *   retries or skips it). That crash is the one window where a post may be missing from the
 *   sent list though it was posted; and as for e-mails, a timeout after the server took the
 *   post but before it answered is retried (the channel may then show it twice).
 * A post whose channel has no URL (or a bad config) is not claimed: it stays queued, with a
 * warning, and goes once the config is fixed. */
#ifndef LCM_POST_H
#define LCM_POST_H

#include <stdbool.h>
#include <stdint.h>

#include "base/config.h"
#include "base/status.h"
#include "msg/outbox.h"
#include "store/store.h"
#include "store/store_message.h"
#include "store/store_post.h"

#define POST_MAX_TITLE 200 /* bytes */

/* A post to draft: for the cohort (program false) or programme named target ("#ID", ext_id
 * or name), text (1..WEBHOOK_MAX_TEXT bytes of UTF-8), an optional title (one line), not
 * before at (0: as soon as approved); rule: "calendar" for a file, NULL otherwise. */
struct post_req {
    bool program;
    const char *target, *title, *text, *rule;
    int64_t at;
};

/* Checks r and makes the draft; *id its message id, *t (may be NULL) where it goes. Refuses
 * (LCM_ERR_INVALID) an empty, too long or invalid text and a title with a control
 * character; LCM_ERR_NOTFOUND / LCM_ERR_CONFLICT for an unknown or ambiguous target. Joins
 * the caller's transaction or runs its own. */
enum lcm_status post_draft(struct lcm_store *st, const struct post_req *r, int64_t now_ts,
                           int64_t *id, struct store_post_target *t, struct lcm_err *err);

/* Checks a post's text and title without storing anything (the rules of post_draft). */
enum lcm_status post_check(const char *title, const char *text, struct lcm_err *err);

/* Sends the queued post r (channel "post") as outbox_send does an e-mail: claims it, posts
 * it through its channel's webhook, records the outcome into res and through rep. Returns
 * an error only when the store fails. */
enum lcm_status post_send_one(struct lcm_store *st, const struct lcm_config *cfg,
                              const struct outbox_opts *o, const struct store_msg_row *r,
                              struct outbox_result *res, const struct lcm_report *rep,
                              struct lcm_err *err);

/* Delay before the next attempt after `attempts` attempts: base * 2^(attempts-1), at most
 * 6 hours. */
int64_t post_backoff(int retry_base_s, int attempts);

#endif
