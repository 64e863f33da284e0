/* event.c — group events: invitations, updates, cancellations and reminders through the
 * outbox, iTIP replies, attendance (see event.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cal/event.h"
#include "cal/ical.h"
#include "cal/invite.h"
#include "msg/outbox.h"
#include "msg/template.h"
#include "store/store_checkin.h"
#include "store/store_event.h"

#define DEFAULT_REMIND ((1 << EVP_ACCEPTED) | (1 << EVP_NONE))

int event_remind_mask(const char *s)
{
    if (!s || !*s)
        return DEFAULT_REMIND;
    int mask = 0;
    const char *p = s;
    while (*p) {
        size_t n = strcspn(p, ", ");
        char word[16];
        if (n == 0) {
            p++;
            continue;
        }
        if (n >= sizeof word)
            return -1;
        memcpy(word, p, n);
        word[n] = '\0';
        int ps = store_event_partstat_parse(word);
        if (ps < 0)
            return -1;
        mask |= 1 << ps;
        p += n;
    }
    return mask ? mask : -1;
}

enum lcm_status event_config(const struct lcm_config *cfg, const char **remind,
                             const struct lcm_report *rep, struct lcm_err *err)
{
    static const char *const keys[] = {"remind", NULL};
    const config_setting_t *grp = config_section(cfg, "events");
    config_check_keys(grp, keys, rep);
    enum lcm_status rc = config_get_string(grp, "remind", "accepted,none", remind, err);
    if (rc == LCM_OK && event_remind_mask(*remind) < 0) {
        char where[300];
        config_where(config_setting_get_member(grp, "remind"), where, sizeof where);
        rc = lcm_err_set(err, LCM_ERR_CONFIG,
                         _("%s: events.remind must list answers among accepted, tentative, "
                           "declined, none"),
                         where);
    }
    return rc;
}

enum mail_kind { MAIL_INVITE, MAIL_REMINDER, MAIL_CANCEL };

/* The invitee's language: theirs when fr or en, else the configured one, else French. */
static const char *lang_of(const struct event_invitee *v, const struct event_opts *o)
{
    if (strcmp(v->lang, "fr") == 0 || strcmp(v->lang, "en") == 0)
        return v->lang;
    return o->lang && (strcmp(o->lang, "en") == 0) ? "en" : "fr";
}

/* One learner's copy of the event: they are its only ATTENDEE. */
static struct cal_item copy_for(const struct event_row *r, struct event_invitee *v, char *name)
{
    struct cal_item it = {.id = r->id,
                          .kind = "event",
                          .due_at = r->start_at,
                          .duration_min = r->duration_min,
                          .status = r->cancelled ? FU_CANCELLED : FU_PLANNED,
                          .title = r->title,
                          .note = "",
                          .created_at = r->created_at,
                          .updated_at = r->updated_at,
                          .uid = r->uid,
                          .sequence = r->sequence,
                          .etag = "",
                          .learner_name = name,
                          .learner_email = v->email,
                          .href = "",
                          .push_error = "",
                          .location = r->place};
    return it;
}

struct rendered {
    char *ics, *subject, *body;
};

static void rendered_free(struct rendered *x)
{
    free(x->ics);
    free(x->subject);
    free(x->body);
    memset(x, 0, sizeof *x);
}

static const char *const tpl_names[] = {"event_invite", "event_reminder", "event_cancel"};

/* The e-mail and invite.ics of invitee v. LCM_ERR_INVALID: v cannot be written to. */
static enum lcm_status render(const struct event_row *r, struct event_invitee *v, enum mail_kind k,
                              const struct event_opts *o, int64_t now_ts, struct rendered *x,
                              struct lcm_err *err)
{
    const char *lang = lang_of(v, o);
    bool fr = strcmp(lang, "fr") == 0;
    char name[300];
    snprintf(name, sizeof name, "%s%s%s", v->first_name, *v->first_name ? " " : "", v->last_name);
    struct cal_item it = copy_for(r, v, name);
    struct ical_opts io = {.method = k == MAIL_CANCEL ? ICS_CANCEL : ICS_REQUEST,
                           .tzid = o->tzid,
                           .lang = lang,
                           .organizer_name = o->lcm_name,
                           .organizer_email = o->lcm_email,
                           .now_ts = now_ts};
    enum lcm_status rc = ical_export(&it, 1, &io, &x->ics, err);
    if (rc != LCM_OK)
        return rc;
    char slot[160];
    invite_format_slot(r->start_at, r->duration_min, o->tzid, fr, slot, sizeof slot);
    /* text from the base goes into a Subject: no control character, bounded */
    char *title = text_clean_plain(r->title, false, 200);
    char *place = text_clean_plain(
        *r->place ? r->place : (fr ? "(à préciser)" : "(to be confirmed)"), false, 300);
    const char *course = *v->course ? v->course : fr ? "votre formation" : "your course";
    struct tpl_var vars[] = {
        {"first_name", v->first_name}, {"last_name", v->last_name}, {"course", course},
        {"event_title", title},        {"event_slot", slot},        {"event_place", place},
        {"lcm_name", o->lcm_name},     {"lcm_email", o->lcm_email}};
    rc = template_render(o->share_dir, o->user_dir, tpl_names[k], lang, vars,
                         sizeof vars / sizeof vars[0], &x->subject, &x->body, err);
    free(title);
    free(place);
    return rc;
}

/* Queues the message of kind k to invitee v; *skipped when they cannot be written to. */
static enum lcm_status send_one(struct lcm_store *st, const struct event_row *r,
                                struct event_invitee *v, enum mail_kind k,
                                const struct event_opts *o, int64_t now_ts, bool *skipped,
                                struct lcm_err *err)
{
    struct rendered x = {0};
    *skipped = false;
    enum lcm_status rc = render(r, v, k, o, now_ts, &x, err);
    int64_t mid = 0;
    if (rc == LCM_OK) {
        struct lcm_message m = {.learner_id = v->learner_id,
                                .enrollment_id = v->enrollment_id,
                                .template_name = tpl_names[k],
                                .lang = lang_of(v, o),
                                .to_addr = v->email,
                                .subject = x.subject,
                                .body = x.body,
                                .status = o->draft ? MSG_DRAFT : MSG_QUEUED};
        struct outbox_attachment att = {.content_type = k == MAIL_CANCEL
                                                            ? "text/calendar; method=CANCEL"
                                                            : "text/calendar; method=REQUEST",
                                        .filename = k == MAIL_CANCEL ? "cancel.ics" : "invite.ics",
                                        .data = x.ics};
        /* one To per message, the learner's own: no learner sees another's address */
        rc = outbox_add(st, &m, NULL, &att, now_ts, &mid, err);
    }
    if (rc == LCM_ERR_INVALID) { /* no usable address: the others still get theirs */
        *skipped = true;
        rc = LCM_OK;
    } else if (rc == LCM_OK) {
        rc = store_event_set_message(st, r->id, v->learner_id, mid, err);
    }
    rendered_free(&x);
    return rc;
}

/* Sends kind k of event id to the invitees whose answer is in mask (unsent: only to those
 * who were never sent anything). */
static enum lcm_status send_all(struct lcm_store *st, int64_t id, enum mail_kind k, int mask,
                                bool unsent, const struct event_opts *o, int64_t now_ts,
                                struct event_sent *sent, struct lcm_err *err)
{
    struct event_row r;
    struct event_invitee *v = NULL;
    size_t n = 0;
    enum lcm_status rc = store_event_get(st, id, &r, err);
    if (rc == LCM_OK)
        rc = store_event_invitees(st, id, &v, &n, err);
    for (size_t i = 0; rc == LCM_OK && i < n; i++) {
        if (unsent && v[i].message_id > 0)
            continue;
        bool skipped = !(mask & (1 << v[i].partstat));
        if (!skipped)
            rc = send_one(st, &r, &v[i], k, o, now_ts, &skipped, err);
        if (skipped)
            sent->skipped++;
        else if (rc == LCM_OK)
            sent->queued++;
    }
    store_event_invitees_free(&v, n);
    store_event_row_clear(&r);
    return rc;
}

#define EVERYONE                                                                                   \
    ((1 << EVP_NONE) | (1 << EVP_ACCEPTED) | (1 << EVP_DECLINED) | (1 << EVP_TENTATIVE))

enum lcm_status event_create(struct lcm_store *st, const struct event_new *e,
                             const int64_t *cohorts, size_t nc, const struct event_opts *o,
                             int64_t now_ts, int64_t *id, struct event_sent *sent,
                             struct lcm_err *err)
{
    memset(sent, 0, sizeof *sent);
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_event_add(st, e, cohorts, nc, now_ts, id, NULL, err);
    if (rc == LCM_OK)
        rc = send_all(st, *id, MAIL_INVITE, EVERYONE, false, o, now_ts, sent, err);
    return store_tx_finish(st, own, rc, err);
}

enum lcm_status event_move(struct lcm_store *st, int64_t id, int64_t start_at, int duration_min,
                           const struct event_opts *o, int64_t now_ts, struct event_sent *sent,
                           struct lcm_err *err)
{
    memset(sent, 0, sizeof *sent);
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_event_move(st, id, start_at, duration_min, now_ts, err);
    if (rc == LCM_OK)
        rc = send_all(st, id, MAIL_INVITE, EVERYONE & ~(1 << EVP_DECLINED), false, o, now_ts, sent,
                      err);
    return store_tx_finish(st, own, rc, err);
}

enum lcm_status event_cancel(struct lcm_store *st, int64_t id, const struct event_opts *o,
                             int64_t now_ts, struct event_sent *sent, struct lcm_err *err)
{
    memset(sent, 0, sizeof *sent);
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    rc = store_event_cancel(st, id, now_ts, err);
    if (rc == LCM_OK)
        rc = send_all(st, id, MAIL_CANCEL, EVERYONE, false, o, now_ts, sent, err);
    return store_tx_finish(st, own, rc, err);
}

enum lcm_status event_invite_new(struct lcm_store *st, int64_t id, const struct event_opts *o,
                                 int64_t now_ts, int *added, struct event_sent *sent,
                                 struct lcm_err *err)
{
    memset(sent, 0, sizeof *sent);
    *added = 0;
    struct event_row r;
    enum lcm_status rc = store_event_get(st, id, &r, err);
    bool cancelled = r.cancelled, past = r.start_at + (int64_t)r.duration_min * 60 <= now_ts;
    store_event_row_clear(&r);
    if (rc != LCM_OK)
        return rc;
    if (cancelled)
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("event %lld is cancelled"), (long long)id);
    if (past)
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("event %lld is over"), (long long)id);
    bool own;
    if ((rc = store_tx_join(st, &own, err)) != LCM_OK)
        return rc;
    rc = store_event_invite_new(st, id, added, err);
    if (rc == LCM_OK && *added > 0)
        rc = send_all(st, id, MAIL_INVITE, EVERYONE, true, o, now_ts, sent, err);
    return store_tx_finish(st, own, rc, err);
}

enum lcm_status event_remind(struct lcm_store *st, int64_t id, const struct event_opts *o,
                             int64_t now_ts, struct event_sent *sent, struct lcm_err *err)
{
    memset(sent, 0, sizeof *sent);
    int mask = event_remind_mask(o->remind);
    if (mask < 0)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("events.remind \"%s\": expected answers among accepted, tentative, "
                             "declined, none"),
                           o->remind);
    struct event_row r;
    enum lcm_status rc = store_event_get(st, id, &r, err);
    bool cancelled = r.cancelled;
    store_event_row_clear(&r);
    if (rc != LCM_OK)
        return rc;
    if (cancelled)
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("event %lld is cancelled"), (long long)id);
    bool own;
    if ((rc = store_tx_join(st, &own, err)) != LCM_OK)
        return rc;
    rc = send_all(st, id, MAIL_REMINDER, mask, false, o, now_ts, sent, err);
    if (rc == LCM_OK)
        rc = store_event_set_reminded(st, id, now_ts, err);
    return store_tx_finish(st, own, rc, err);
}

enum lcm_status event_remind_due(struct lcm_store *st, int today, const struct event_opts *o,
                                 int64_t now_ts, int *events, struct event_sent *sent,
                                 struct lcm_err *err)
{
    *events = 0;
    memset(sent, 0, sizeof *sent);
    int64_t *ids = NULL;
    size_t n = 0;
    enum lcm_status rc = store_event_remind_due(st, ical_day_start(today + 1, o->tzid),
                                                ical_day_start(today + 2, o->tzid), &ids, &n, err);
    for (size_t i = 0; rc == LCM_OK && i < n; i++) {
        struct event_sent one;
        rc = event_remind(st, ids[i], o, now_ts, &one, err);
        if (rc == LCM_OK) {
            (*events)++;
            sent->queued += one.queued;
            sent->skipped += one.skipped;
        }
    }
    free(ids);
    return rc;
}

static const enum event_partstat from_ical[] = {EVP_NONE, EVP_ACCEPTED, EVP_DECLINED,
                                                EVP_TENTATIVE};

enum lcm_status event_reply(struct lcm_store *st, const char *calendar, const char *method,
                            const char *from_addr, int64_t at, enum event_reply_result *res,
                            int64_t *learner_id, struct lcm_err *err)
{
    *res = EVR_NONE;
    if (learner_id)
        *learner_id = 0;
    if (!calendar || !method || strcmp(method, "REPLY") != 0)
        return LCM_OK;
    struct ical_reply r;
    struct lcm_err perr = {0};
    if (ical_reply_parse(calendar, &r, &perr) != LCM_OK)
        return LCM_OK; /* unreadable: the inbox keeps the mail as it is */
    int64_t id = 0, who = 0;
    enum lcm_status rc = store_event_find_uid(st, r.uid, &id, err);
    if (rc != LCM_OK || id == 0) {
        *res = EVR_UNKNOWN;
        return rc;
    }
    rc = store_event_invitee_by_addr(st, id, r.attendee, &who, err);
    if (rc == LCM_OK && who == 0) /* the ATTENDEE is an alias: whoever sent it */
        rc = store_event_invitee_by_addr(st, id, from_addr, &who, err);
    if (rc != LCM_OK)
        return rc;
    if (who == 0) {
        *res = EVR_UNMATCHED;
        return LCM_OK;
    }
    if (r.partstat != ICAL_PS_OTHER)
        rc =
            store_event_answer(st, id, who, from_ical[r.partstat], r.dtstamp ? r.dtstamp : at, err);
    if (rc == LCM_OK) {
        *res = EVR_MATCHED;
        if (learner_id)
            *learner_id = who;
    }
    return rc;
}

enum lcm_status event_attend(struct lcm_store *st, int64_t id, int64_t learner_id,
                             const char *author, bool *added, struct lcm_err *err)
{
    if (added)
        *added = false;
    struct event_row r;
    struct event_invitee *v = NULL;
    size_t n = 0;
    enum lcm_status rc = store_event_get(st, id, &r, err);
    if (rc == LCM_OK)
        rc = store_event_invitees(st, id, &v, &n, err);
    const struct event_invitee *me = NULL;
    for (size_t i = 0; rc == LCM_OK && i < n; i++)
        if (v[i].learner_id == learner_id)
            me = &v[i];
    if (rc == LCM_OK && !me)
        rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("learner %lld is not invited to event %lld"),
                         (long long)learner_id, (long long)id);
    if (rc == LCM_OK && !me->attended) {
        bool own;
        rc = store_tx_join(st, &own, err);
        if (rc == LCM_OK) {
            struct lcm_checkin c = {.learner_id = learner_id,
                                    .enrollment_id = me->enrollment_id,
                                    .at = r.start_at,
                                    .channel = CH_MEETING,
                                    .direction = "out",
                                    .outcome = "attended",
                                    .note = r.title,
                                    .author = author};
            int64_t cid = 0;
            rc = store_checkin_add(st, &c, &cid, err);
            if (rc == LCM_OK)
                rc = store_event_attend(st, id, learner_id, cid, err);
            rc = store_tx_finish(st, own, rc, err);
            if (rc == LCM_OK && added)
                *added = true;
        }
    }
    store_event_invitees_free(&v, n);
    store_event_row_clear(&r);
    return rc;
}

void event_answers_text(const struct event_row *r, char *buf, size_t len)
{
    if (r->tentative)
        snprintf(buf, len, _("%d yes, %d no, %d maybe, %d no answer"), r->accepted, r->declined,
                 r->tentative, r->none);
    else
        snprintf(buf, len, _("%d yes, %d no, %d no answer"), r->accepted, r->declined, r->none);
}
