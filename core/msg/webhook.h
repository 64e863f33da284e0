/* webhook.h — posts to a chat channel through an incoming webhook (Slack, Mattermost, Rocket.Chat,
 * or a Teams-style connector: all accept a JSON body {"text": "..."}), for messages to the whole
 * group: a shared article, a debate question ("animer le collectif").
 *
 * Config group `webhook`: url (or url_cmd / url_env: the URL holds the secret token, so it is
 * read like a password and never written to an error or a report), username, channel,
 * icon_url (optional, Slack/Mattermost), timeout (seconds, default 10), ca_file. */
#ifndef LCM_WEBHOOK_H
#define LCM_WEBHOOK_H

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

#endif
