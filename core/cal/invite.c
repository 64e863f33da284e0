/* invite.c — call invitations and cancellations by e-mail, through the outbox. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "cal/ical.h"
#include "cal/invite.h"
#include "msg/outbox.h"
#include "store/store.h"
#include "store/store_calendar.h"
#include "store/store_followup.h"
#include "msg/template.h"

static const char *const days_fr[] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                      "vendredi", "samedi", "dimanche"};
static const char *const days_en[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
static const char *const months_fr[] = {"janvier",   "février", "mars",     "avril",
                                        "mai",       "juin",    "juillet",  "août",
                                        "septembre", "octobre", "novembre", "décembre"};
static const char *const months_en[] = {"January",   "February", "March",    "April",
                                        "May",       "June",     "July",     "August",
                                        "September", "October",  "November", "December"};

/* "17 h 30", "18 h": the French way of writing a time of day. */
static void fr_time(int hour, int minute, char *buf, size_t len)
{
    if (minute)
        snprintf(buf, len, "%d h %02d", hour, minute);
    else
        snprintf(buf, len, "%d h", hour);
}

void invite_format_slot(int64_t start, int minutes, const char *tzid, bool fr, char *buf,
                        size_t len)
{
    struct ical_local a = ical_local_time(start, tzid);
    struct ical_local b = ical_local_time(start + 60 * (int64_t)minutes, tzid);
    int y, m, d;
    day_to_ymd(a.day, &y, &m, &d);
    int wd = day_weekday(a.day);
    const char *zone = tzid && *tzid ? tzid : "UTC";
    if (fr) {
        char from[16], to[16];
        fr_time(a.hour, a.minute, from, sizeof from);
        fr_time(b.hour, b.minute, to, sizeof to);
        snprintf(buf, len, "%s %d %s %d, de %s \xc3\xa0 %s (%s)", days_fr[wd], d, months_fr[m - 1],
                 y, from, to, zone);
    } else {
        snprintf(buf, len, "%s %d %s %d, %02d:%02d-%02d:%02d (%s)", days_en[wd], d,
                 months_en[m - 1], y, a.hour, a.minute, b.hour, b.minute, zone);
    }
}

struct invite_ctx {
    struct cal_list items;
    struct cal_invitee who;
    const char *lang;
    char *ics, *subject, *body;
};

static void ctx_free(struct invite_ctx *c)
{
    store_calendar_list_free(&c->items);
    store_calendar_invitee_clear(&c->who);
    free(c->ics);
    free(c->subject);
    free(c->body);
}

/* Loads the call and its learner; checks it can be sent. */
static enum lcm_status load(struct lcm_store *st, int64_t id, const struct invite_opts *o,
                            bool cancel, struct invite_ctx *c, struct lcm_err *err)
{
    enum lcm_status rc = store_calendar_get(st, id, &c->items, err);
    if (rc == LCM_OK)
        rc = store_calendar_invitee(st, id, &c->who, err);
    if (rc != LCM_OK)
        return rc;
    const struct cal_item *it = &c->items.v[0];
    if (strcmp(it->kind, "call") != 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up %lld is a %s, not a call"),
                           (long long)id, it->kind);
    if (!cancel && it->status != FU_PLANNED)
        return lcm_err_set(err, LCM_ERR_INVALID, _("follow-up %lld is %s, not planned"),
                           (long long)id, model_followup_status_name(it->status));
    if (!*c->who.email)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("follow-up %lld: the learner has no e-mail address"), (long long)id);
    c->lang = strcmp(c->who.lang, "fr") == 0 || strcmp(c->who.lang, "en") == 0 ? c->who.lang
              : o->lang && *o->lang                                            ? o->lang
                                                                               : "fr";
    return LCM_OK;
}

/* Renders the e-mail and the iCalendar part, then adds the message to the outbox. */
static enum lcm_status build_and_queue(struct lcm_store *st, const struct invite_opts *o,
                                       bool cancel, int64_t now_ts, struct invite_ctx *c,
                                       int64_t *message_id, struct lcm_err *err)
{
    const struct cal_item *it = &c->items.v[0];
    bool fr = strcmp(c->lang, "fr") == 0;
    struct ical_opts io = {.method = cancel ? ICS_CANCEL : ICS_REQUEST,
                           .tzid = o->tzid,
                           .lang = c->lang,
                           .organizer_name = o->lcm_name,
                           .organizer_email = o->lcm_email,
                           .now_ts = now_ts};
    enum lcm_status rc = ical_export(it, 1, &io, &c->ics, err);
    if (rc != LCM_OK)
        return rc;
    char slot[160];
    invite_format_slot(it->due_at, it->duration_min, o->tzid, fr, slot, sizeof slot);
    const char *course = *c->who.course ? c->who.course : fr ? "votre formation" : "your course";
    struct tpl_var vars[] = {{"first_name", c->who.first_name},
                             {"last_name", c->who.last_name},
                             {"course", course},
                             {"call_slot", slot},
                             {"lcm_name", o->lcm_name},
                             {"lcm_email", o->lcm_email}};
    const char *tpl = cancel ? "call_cancel" : "call_proposal";
    rc = template_render(o->share_dir, o->user_dir, tpl, c->lang, vars,
                         sizeof vars / sizeof vars[0], &c->subject, &c->body, err);
    if (rc != LCM_OK)
        return rc;
    struct lcm_message m = {.learner_id = it->learner_id,
                            .enrollment_id = it->enrollment_id,
                            .template_name = tpl,
                            .lang = c->lang,
                            .to_addr = c->who.email,
                            .subject = c->subject,
                            .body = c->body,
                            .status = o->draft ? MSG_DRAFT : MSG_QUEUED};
    struct outbox_attachment att = {.content_type = cancel ? "text/calendar; method=CANCEL"
                                                           : "text/calendar; method=REQUEST",
                                    .filename = cancel ? "cancel.ics" : "invite.ics",
                                    .data = c->ics};
    return outbox_add(st, &m, NULL, &att, now_ts, message_id, err);
}

enum lcm_status invite_request(struct lcm_store *st, int64_t followup_id,
                               const struct invite_opts *o, int64_t now_ts, int64_t *message_id,
                               struct lcm_err *err)
{
    struct invite_ctx c = {0};
    enum lcm_status rc = load(st, followup_id, o, false, &c, err);
    if (rc == LCM_OK)
        rc = build_and_queue(st, o, false, now_ts, &c, message_id, err);
    ctx_free(&c);
    return rc;
}

enum lcm_status invite_cancel(struct lcm_store *st, int64_t followup_id,
                              const struct invite_opts *o, int64_t now_ts, int64_t *message_id,
                              struct lcm_err *err)
{
    struct invite_ctx c = {0};
    bool own;
    enum lcm_status rc = store_tx_join(st, &own, err);
    if (rc != LCM_OK)
        return rc;
    rc = load(st, followup_id, o, true, &c, err);
    if (rc == LCM_OK && c.items.v[0].status != FU_CANCELLED) {
        /* Cancel first, so the CANCEL carries the bumped SEQUENCE. */
        rc = store_followup_set_status(st, followup_id, c.items.v[0].learner_id, FU_CANCELLED, 0,
                                       now_ts, err);
        store_calendar_list_free(&c.items);
        if (rc == LCM_OK)
            rc = store_calendar_get(st, followup_id, &c.items, err);
    }
    if (rc == LCM_OK)
        rc = build_and_queue(st, o, true, now_ts, &c, message_id, err);
    rc = store_tx_finish(st, own, rc, err);
    ctx_free(&c);
    return rc;
}
