/* post.c — drafting and sending scheduled posts. See post.h for the delivery rules. */
#include "msg/post.h"

#include <stdio.h>
#include <string.h>

#include "base/text.h"
#include "msg/webhook.h"

enum lcm_status post_check(const char *title, const char *text, struct lcm_err *err)
{
    if (!text || !*text)
        return lcm_err_set(err, LCM_ERR_INVALID, _("post: empty text"));
    size_t n = strlen(text);
    if (n > WEBHOOK_MAX_TEXT)
        return lcm_err_set(err, LCM_ERR_INVALID, _("post: text longer than %d bytes"),
                           WEBHOOK_MAX_TEXT);
    if (!text_valid(text, n))
        return lcm_err_set(err, LCM_ERR_INVALID, _("post: the text is not valid UTF-8"));
    if (title) {
        size_t tn = strlen(title);
        bool ctl = false;
        for (const char *p = title; *p; p++)
            ctl |= (unsigned char)*p < 0x20 || *p == 0x7f;
        if (ctl || tn > POST_MAX_TITLE || !text_valid(title, tn))
            return lcm_err_set(err, LCM_ERR_INVALID,
                               _("post: the title must be one line of at most %d bytes of UTF-8"),
                               POST_MAX_TITLE);
    }
    return LCM_OK;
}

/* The outbox's subject of a post without a title: its first line, cut. */
static void first_line(const char *text, char *buf, size_t len)
{
    while (*text == '\n' || *text == ' ' || *text == '\t' || *text == '\r')
        text++;
    size_t n = strcspn(text, "\r\n");
    if (n >= len)
        n = len - 1;
    while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
        n--; /* never cut inside a UTF-8 sequence */
    memcpy(buf, text, n);
    buf[n] = '\0';
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = ' ';
}

enum lcm_status post_draft(struct lcm_store *st, const struct post_req *r, int64_t now_ts,
                           int64_t *id, struct store_post_target *t, struct lcm_err *err)
{
    enum lcm_status rc = post_check(r->title, r->text, err);
    if (rc != LCM_OK)
        return rc;
    struct store_post_target tt;
    if ((rc = store_post_target_find(st, r->program, r->target, &tt, err)) != LCM_OK)
        return rc;
    char subject[81] = "";
    if (!r->title || !*r->title)
        first_line(r->text, subject, sizeof subject);
    struct store_post_new p = {.target = &tt,
                               .title = r->title && *r->title ? r->title : subject,
                               .text = r->text,
                               .rule = r->rule,
                               .not_before = r->at};
    bool own;
    if ((rc = store_tx_join(st, &own, err)) != LCM_OK)
        return rc;
    rc = store_post_add(st, &p, now_ts, id, err);
    rc = store_tx_finish(st, own, rc, err);
    if (rc == LCM_OK && t)
        *t = tt;
    return rc;
}

int64_t post_backoff(int retry_base_s, int attempts)
{
    int64_t d = retry_base_s > 0 ? retry_base_s : 300;
    for (int i = 1; i < attempts && d < 6 * 3600; i++)
        d *= 2;
    return d > 6 * 3600 ? 6 * 3600 : d;
}

/* What one POST did, stored and counted. */
static enum lcm_status record(struct lcm_store *st, const struct outbox_opts *o,
                              const struct store_msg_row *r, const struct webhook_result *w,
                              int max_attempts, int retry_base, struct outbox_result *res,
                              const struct lcm_report *rep, struct lcm_err *err)
{
    int attempts = r->attempts + 1;
    long long id = (long long)r->id;
    char why[400];
    switch (w->outcome) {
    case WEBHOOK_SENT:
        res->sent++;
        lcm_report(rep, LCM_LEVEL_INFO, _("posted #%lld to %s"), id, r->to_name);
        return store_message_mark_sent(st, r->id, o->now, o->author, err);
    case WEBHOOK_FAILED:
        res->failed++;
        lcm_report(rep, LCM_LEVEL_WARN, _("post #%lld to %s failed: %s"), id, r->to_name,
                   w->detail);
        return store_message_mark_failed(st, r->id, w->detail, o->now, err);
    case WEBHOOK_RETRY:
        if (attempts >= max_attempts) {
            snprintf(why, sizeof why, "gave up after %d attempts: %s", attempts, w->detail);
            res->failed++;
            lcm_report(rep, LCM_LEVEL_WARN, _("post #%lld to %s failed: %s"), id, r->to_name, why);
            return store_message_mark_failed(st, r->id, why, o->now, err);
        }
        break;
    case WEBHOOK_SETUP:
    default:
        break;
    }
    int64_t wait = w->outcome == WEBHOOK_SETUP ? 0
                   : w->retry_after_s >= 0     ? w->retry_after_s
                                               : post_backoff(retry_base, attempts);
    if (wait > 6 * 3600)
        wait = 6 * 3600;
    res->retry++;
    lcm_report(rep, LCM_LEVEL_WARN, _("post #%lld to %s: will retry: %s"), id, r->to_name,
               w->detail);
    return store_message_mark_retry(st, r->id, w->detail, o->now + wait, o->now, err);
}

enum lcm_status post_send_one(struct lcm_store *st, const struct lcm_config *cfg,
                              const struct outbox_opts *o, const struct store_msg_row *r,
                              struct outbox_result *res, const struct lcm_report *rep,
                              struct lcm_err *err)
{
    struct store_post_target t;
    struct lcm_err e = {0};
    if (store_post_target_get(st, r->cohort_id, r->program_id, &t, &e) != LCM_OK) {
        res->failed++;
        lcm_report(rep, LCM_LEVEL_WARN, _("post #%lld: %s"), (long long)r->id, e.msg);
        return store_message_mark_failed(st, r->id, e.msg, o->now, err);
    }
    int max_attempts = 8, retry_base = 300;
    char label[STORE_POST_NAME + 16];
    const config_setting_t *chan =
        cfg ? webhook_channel(cfg, t.cohort_id ? t.cohort_ext : NULL,
                              t.cohort_id ? t.cohort_name : NULL, t.program_ext, t.program_name,
                              label, sizeof label)
            : NULL;
    if (!cfg || webhook_retry_policy(cfg, &max_attempts, &retry_base, &e) != LCM_OK ||
        webhook_check(cfg, chan, &e) != LCM_OK) {
        /* Nothing was tried: the post waits, unclaimed, for the config to be fixed. */
        res->waiting++;
        lcm_report(rep, LCM_LEVEL_WARN, _("post #%lld to %s stays queued: %s"), (long long)r->id,
                   r->to_name, cfg ? e.msg : _("no configuration"));
        return LCM_OK;
    }
    bool claimed = false;
    enum lcm_status rc = store_message_claim(st, r->id, NULL, o->now, &claimed, err);
    if (rc != LCM_OK || !claimed)
        return rc;
    struct webhook_result w;
    webhook_deliver(cfg, chan, r->body, o->now, &w, rep, &e);
    return record(st, o, r, &w, max_attempts, retry_base, res, rep, err);
}
