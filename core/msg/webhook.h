/* webhook.h — posts to a chat channel through an incoming webhook (Slack, Mattermost, Rocket.Chat,
 * or a Teams-style connector: all accept a JSON body {"text": "..."}), for messages to the whole
 * group: a shared article, a debate question ("animer le collectif").
 *
 * Config group `webhook`: url (or url_cmd / url_env: the URL holds the secret token, so it is
 * read like a password and never written to an error or a report), username, channel,
 * icon_url (optional, Slack/Mattermost), timeout (seconds, default 10), ca_file; for the outbox's
 * scheduled posts also max_attempts (default 8) and retry_base (seconds, default 300).
 *
 * List `webhooks`: one channel per cohort or programme, each entry a group naming cohort (its
 * ext_id or name) or program, with its own url (url_cmd, url_env) and, when it wants others
 * than the `webhook` group's, username, channel, icon_url, timeout, ca_file:
 *   webhooks = ( { cohort = "FR-B1-2026"; url_env = "HOOK_FRB1"; channel = "#fr-b1"; },
 *                { program = "ENG-B2"; url_cmd = "pass show chat/eng-b2"; } );
 * A cohort's post goes to its cohort's entry, else to its programme's, else to `webhook`. */
#ifndef LCM_WEBHOOK_H
#define LCM_WEBHOOK_H

#include <stdint.h>

#include "base/config.h"
#include "base/status.h"

#define WEBHOOK_MAX_TEXT 16000 /* bytes; a longer post is refused */

/* The JSON body for text with the optional fields (NULL or "": left out). text must be valid
 * UTF-8; control characters other than newline and tab are dropped. Returns a malloc'ed
 * string (caller frees), or NULL with err filled (LCM_ERR_INVALID: empty, too long, invalid
 * UTF-8). */
char *webhook_payload(const char *text, const char *username, const char *channel,
                      const char *icon_url, struct lcm_err *err);

/* Posts text through the configured webhook (through core/http.c, with its retries). Errors
 * name the webhook's host only, never its URL. LCM_ERR_CONFIG when no URL is configured. */
enum lcm_status webhook_post(const struct lcm_config *cfg, const char *text,
                             const struct lcm_report *rep, struct lcm_err *err);

/* Which channel a post for this cohort (cohort_ext/cohort_name, NULL for a programme's
 * post) of this programme goes to: the `webhooks` entry of the cohort, else of the programme,
 * else the `webhook` group (NULL when there is none). *label gets "cohort X", "program P" or
 * "webhook" for messages. */
const config_setting_t *webhook_channel(const struct lcm_config *cfg, const char *cohort_ext,
                                        const char *cohort_name, const char *program_ext,
                                        const char *program_name, char *label, size_t len);

/* The outcome of one POST for the outbox: sent (2xx); retry (no answer, a timeout, 429, 5xx;
 * retry_after_s from a Retry-After header, else -1); failed (another 4xx, a payload refused
 * before sending); setup (no URL, a bad config: nothing sent, the run stops). detail: one
 * line naming the host, never the URL. */
enum webhook_outcome { WEBHOOK_SENT, WEBHOOK_RETRY, WEBHOOK_FAILED, WEBHOOK_SETUP };
struct webhook_result {
    enum webhook_outcome outcome;
    long status;
    long retry_after_s;
    char detail[300];
};

/* Posts text once (no retry inside: the outbox retries later) to channel chan (from
 * webhook_channel), the `webhook` group's settings filling what chan leaves out. now_ts reads
 * an HTTP-date Retry-After. Returns LCM_OK when res tells the outcome. */
enum lcm_status webhook_deliver(const struct lcm_config *cfg, const config_setting_t *chan,
                                const char *text, int64_t now_ts, struct webhook_result *res,
                                const struct lcm_report *rep, struct lcm_err *err);

/* LCM_OK when channel chan can be posted to (its URL is set and readable, its settings are
 * valid), else the config error. Runs url_cmd, if any. */
enum lcm_status webhook_check(const struct lcm_config *cfg, const config_setting_t *chan,
                              struct lcm_err *err);

/* webhook.max_attempts and webhook.retry_base, for the outbox's back-off. */
enum lcm_status webhook_retry_policy(const struct lcm_config *cfg, int *max_attempts,
                                     int *retry_base_s, struct lcm_err *err);

#endif
