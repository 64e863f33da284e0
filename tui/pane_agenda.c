/* pane_agenda.c — the follow-up agenda: overdue, today, this week; mark done (the check-in
 * form opens prefilled), reschedule, cancel. The group events of the last 7 days and of the
 * week follow, with their answers; Enter on one lists its invitees, Space ticks who came.
 * Free call slots of today and tomorrow are shown at the bottom. */
#include "tui/pane_agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/day.h"
#include "cal/agenda.h"
#include "cal/caldav.h"
#include "cal/event.h"
#include "cal/invite.h"
#include "msg/template.h"
#include "store/store_calendar.h"
#include "store/store_event.h"
#include "tui/caldav_bg.h"
#include "tui/fmt.h"
#include "tui/forms.h"
#include "tui/forms_event.h"
#include "tui/pane_detail.h"
#include "tui/tui_state.h"
#include "store/store_busy.h"
#include "store/store_followup.h"
#include "store/store_view_detail.h"

#define AGENDA_MAX 500

struct agenda {
    bool stale;
    struct view_followup *fu;
    size_t n, cur;
    int rows;
    int64_t confirm_cancel; /* X pressed once on this follow-up: the second X cancels it */
    int64_t confirm_invite; /* i pressed once on this call: the second i queues the e-mail */
    struct event_list ev;   /* the group events, after the follow-ups in the cursor's range */
    int64_t open_event;     /* the event whose invitees are listed; 0: the agenda */
    struct event_row open_row;
    struct event_invitee *inv;
    size_t ninv, icur;
};

/* The events from 7 days ago (to tick who came) to the end of the week. */
static void load_events(struct tui *t, struct agenda *s, struct lcm_err *err)
{
    store_event_list_free(&s->ev);
    if (store_event_range(t->st, fmt_from_wall(day_to_time(t->today - 7)),
                          fmt_from_wall(agenda_week_end(t->today)), false, &s->ev, err) != LCM_OK)
        tui_state_fail(t, err);
}

/* The invitees of the open event (closing it when it is gone). */
static void load_invitees(struct tui *t, struct agenda *s)
{
    struct lcm_err err = {0};
    store_event_invitees_free(&s->inv, s->ninv);
    s->ninv = 0;
    store_event_row_clear(&s->open_row);
    if (!s->open_event)
        return;
    if (store_event_get(t->st, s->open_event, &s->open_row, &err) != LCM_OK ||
        store_event_invitees(t->st, s->open_event, &s->inv, &s->ninv, &err) != LCM_OK) {
        s->open_event = 0;
        tui_state_fail(t, &err);
    }
    if (s->icur >= s->ninv)
        s->icur = s->ninv ? s->ninv - 1 : 0;
}

/* Reloads the planned follow-ups up to the end of the week (at most AGENDA_MAX), keeping
 * the cursor in range; a store error goes to the status line. */
static void load(struct tui *t, struct agenda *s)
{
    store_view_detail_followups_free(&s->fu, s->n);
    s->n = 0;
    s->stale = false;
    struct lcm_err err = {0};
    if (store_view_detail_followups(t->st, 0, 0, fmt_from_wall(agenda_week_end(t->today)),
                                    AGENDA_MAX, &s->fu, &s->n, &err) != LCM_OK)
        tui_state_fail(t, &err);
    load_events(t, s, &err);
    load_invitees(t, s);
    size_t all = s->n + s->ev.n;
    if (s->cur >= all)
        s->cur = all ? all - 1 : 0;
}

/* The invalidate op: the follow-ups are reloaded at the next recalc. */
static void invalidate(struct pane *p, struct tui *t)
{
    (void)t;
    ((struct agenda *)p->st)->stale = true;
    p->dirty = true;
}

/* The label of a day's line ("   free today:    ", "   busy Mon 30/11: "), padded like the
 * today/tomorrow ones; slots selects the free words, else the busy ones. Returns buf. */
static const char *day_label(char *buf, size_t len, const struct tui *t, int day, bool slots)
{
    if (day == t->today)
        snprintf(buf, len, "%s", slots ? _("   free today:    ") : _("   busy today:    "));
    else if (day == t->today + 1)
        snprintf(buf, len, "%s", slots ? _("   free tomorrow: ") : _("   busy tomorrow: "));
    else {
        int y, m, d;
        day_to_ymd(day, &y, &m, &d);
        char when[32];
        snprintf(when, sizeof when, "%s %02d/%02d", _(day_weekday_abbr(day)), d, m);
        /* TRANSLATORS: "   free Mon 30/11: ", the free call slots of a later working day */
        snprintf(buf, len, slots ? _("   free %s: ") : _("   busy %s: "), when);
    }
    return buf;
}

/* One line for a day: the imported busy times (the LCM's other meetings) of that day. */
static void busy_line(struct rbuf *rb, struct tui *t, const struct cal_busy *b, size_t nb, int day,
                      int cols)
{
    int64_t from = day_to_time(day), to = from + 86400;
    struct rline *l = NULL;
    for (size_t i = 0; i < nb; i++) {
        int64_t s = fmt_to_wall(b[i].start_at), e = fmt_to_wall(b[i].end_at);
        if (e <= from || s >= to)
            continue;
        if (!l) {
            char label[64];
            l = rich_buf_line(rb, ROLE_NORMAL);
            rich_line_add(l, ROLE_DIM, day_label(label, sizeof label, t, day, false));
        }
        if (l->width + 20 >= cols)
            break;
        int sm = s < from ? 0 : (int)((s - from) / 60), em = e > to ? 1440 : (int)((e - from) / 60);
        rich_line_addf(l, ROLE_RISK_WATCH, "%02d:%02d-%02d:%02d ", sm / 60, sm % 60, em / 60,
                       em % 60);
        rich_line_data(l, ROLE_DIM, *b[i].summary ? b[i].summary : _("busy"), 24, false);
        rich_line_add(l, ROLE_DIM, "  ");
    }
}

/* The next two working days from today (calendar.work_days; today included when it is one),
 * within a fortnight; returns how many were found (0 when no day of the week works). */
static int working_days(const struct tui *t, int out[2])
{
    int k = 0;
    for (int d = t->today; d < t->today + 14 && k < 2; d++)
        if (agenda_work_day(t->work_days, d))
            out[k++] = d;
    return k;
}

/* The imported busy times and the free call slots of the next two working days
 * (tui.call_minutes long, every 30 minutes within the working hours: calendar.work_hours, else
 * tui.day_start..day_end; none in the past), appended to rb. */
static void free_slots(struct rbuf *rb, struct tui *t, int cols)
{
    int days[2];
    int nd = working_days(t, days);
    if (nd == 0)
        return;
    int64_t from = fmt_from_wall(day_to_time(t->today));
    int64_t to = fmt_from_wall(day_to_time(days[nd - 1] + 1));
    struct cal_busy *b = NULL;
    struct view_followup *fu = NULL;
    size_t nb = 0, nf = 0;
    struct lcm_err err = {0};
    if (store_busy_range(t->st, from, to, &b, &nb, &err) != LCM_OK ||
        store_view_detail_followups(t->st, 0, 0, to, AGENDA_MAX, &fu, &nf, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        store_busy_free(&b, nb);
        nb = 0;
    }
    struct agenda_slot *busy = lcm_xcalloc(nf + nb ? nf + nb : 1, sizeof *busy);
    for (size_t i = 0; i < nf; i++)
        busy[i] = (struct agenda_slot){fu[i].id, fmt_to_wall(fu[i].due_at), fu[i].duration_min};
    size_t nall = nf + fmt_busy_slots(b, nb, true, busy + nf);
    for (int d = 0; d < nd; d++) {
        busy_line(rb, t, b, nb, days[d], cols);
        int64_t out[8];
        size_t k = agenda_free_slots(busy, nall, days[d], t->work_from, t->work_to, t->call_minutes,
                                     30, fmt_to_wall(t->now_ts), out, 8);
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        char label[64];
        rich_line_add(l, ROLE_DIM, day_label(label, sizeof label, t, days[d], true));
        if (k == 0)
            rich_line_addf(l, ROLE_DIM, _("no %d-minute slot between %02d:%02d and %02d:%02d"),
                           t->call_minutes, t->work_from / 60, t->work_from % 60, t->work_to / 60,
                           t->work_to % 60);
        for (size_t i = 0; i < k && l->width + 7 < cols; i++) {
            int m = (int)((out[i] - day_to_time(days[d])) / 60);
            rich_line_addf(l, ROLE_OK, "%02d:%02d  ", m / 60, m % 60);
        }
    }
    free(busy);
    store_busy_free(&b, nb);
    store_view_detail_followups_free(&fu, nf);
}

/* The group events under the follow-ups: when, title, place, answers. *cursor_line gets the
 * cursor's line when it is on one. */
static void events_lines(struct rbuf *rb, const struct agenda *s, int cols, size_t *cursor_line)
{
    if (s->ev.n == 0)
        return;
    rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_HEADER, _(" Group events"));
    for (size_t i = 0; i < s->ev.n; i++) {
        const struct event_row *r = &s->ev.v[i];
        bool cur = s->n + i == s->cur;
        enum role base = cur ? ROLE_CURSOR : ROLE_NORMAL;
        struct rline *l = rich_buf_line(rb, base);
        if (cur)
            *cursor_line = rb->n - 1;
        char when[48], answers[160];
        rich_line_add(l, base, "   ");
        rich_line_data(l, cur ? base : ROLE_ACCENT, fmt_when(when, sizeof when, r->start_at), 16,
                       true);
        rich_line_addf(l, base, " %3d min  ", r->duration_min);
        rich_line_data(l, base, r->title, 30, true);
        rich_line_add(l, base, " ");
        event_answers_text(r, answers, sizeof answers);
        rich_line_data(l, cur ? base : ROLE_OK, answers, 40, true);
        rich_line_add(l, base, " ");
        rich_line_data(l, cur ? base : ROLE_DIM, r->place, cols - l->width, false);
    }
}

static const char *answer_word(enum event_partstat p)
{
    return p == EVP_ACCEPTED    ? _("yes")
           : p == EVP_DECLINED  ? _("no")
           : p == EVP_TENTATIVE ? _("maybe")
                                : _("no answer");
}

/* The invitees of the open event: [x] for who came, their answer; Space ticks. */
static void invitees_recalc(struct pane *p, struct tui *t, struct agenda *s, int rows, int cols)
{
    const struct event_row *r = &s->open_row;
    char when[48], answers[160];
    struct rline *h = rich_buf_line(&p->rb, ROLE_NORMAL);
    rich_line_add(h, ROLE_HEADER, " ");
    rich_line_data(h, ROLE_HEADER, r->title, cols / 2, false);
    rich_line_add(h, ROLE_HEADER, "  ");
    rich_line_add(h, ROLE_ACCENT, fmt_when(when, sizeof when, r->start_at));
    event_answers_text(r, answers, sizeof answers);
    rich_line_add(h, ROLE_NORMAL, "  ");
    rich_line_add(h, ROLE_OK, answers);
    rich_line_addf(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                   _("   came: %d of %d   Space ticks who came, Enter detail, q back"), r->attended,
                   r->invited);
    size_t cursor_line = 0;
    for (size_t i = 0; i < s->ninv; i++) {
        const struct event_invitee *v = &s->inv[i];
        bool cur = i == s->icur;
        enum role base = cur ? ROLE_CURSOR : ROLE_NORMAL;
        struct rline *l = rich_buf_line(&p->rb, base);
        if (cur)
            cursor_line = p->rb.n - 1;
        char name[300];
        snprintf(name, sizeof name, "%s %s", v->first_name, v->last_name);
        rich_line_add(l,
                      cur           ? base
                      : v->attended ? ROLE_OK
                                    : ROLE_NORMAL,
                      v->attended ? "   [x] " : "   [ ] ");
        rich_line_data(l, base, name, 28, true);
        rich_line_add(l, base, " ");
        rich_line_data(l, cur ? base : ROLE_ACCENT, answer_word(v->partstat), 14, true);
        rich_line_data(l, cur ? base : ROLE_DIM, v->email, cols - l->width, false);
    }
    p->rb.top = cursor_line >= (size_t)rows - 1 ? cursor_line - (size_t)rows + 2 : 0;
    t->focus_enrollment = s->ninv ? s->inv[s->icur].enrollment_id : 0;
}

/* The recalc op: follow-ups grouped by bucket (overdue, today, this week), the cursor kept in
 * view, the group events, then the free slots; the focused learner is the cursor's. With an
 * event open, its invitees instead. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    struct agenda *s = p->st;
    if (s->stale)
        load(t, s);
    rich_buf_clear(&p->rb);
    s->rows = rows;
    if (s->open_event) {
        invitees_recalc(p, t, s, rows, cols);
        return;
    }
    int last = -1;
    size_t cursor_line = 0;
    for (size_t i = 0; i < s->n; i++) {
        const struct view_followup *f = &s->fu[i];
        int b = (int)agenda_bucket_of(fmt_to_wall(f->due_at), t->today, fmt_to_wall(t->now_ts));
        if (b != last) {
            if (last != -1)
                rich_buf_line(&p->rb, ROLE_NORMAL);
            struct rline *h = rich_buf_line(&p->rb, ROLE_NORMAL);
            rich_line_add(h, b == AGENDA_OVERDUE ? ROLE_OVERDUE : ROLE_HEADER, " ");
            rich_line_add(h, b == AGENDA_OVERDUE ? ROLE_OVERDUE : ROLE_HEADER,
                          _(agenda_bucket_name((enum agenda_bucket)b)));
            last = b;
        }
        bool cur = i == s->cur;
        enum role base = cur ? ROLE_CURSOR : ROLE_NORMAL;
        struct rline *l = rich_buf_line(&p->rb, base);
        if (cur)
            cursor_line = p->rb.n - 1;
        char when[48];
        rich_line_add(l, base, "   ");
        rich_line_data(l,
                       cur                   ? base
                       : b == AGENDA_OVERDUE ? ROLE_OVERDUE
                                             : ROLE_ACCENT,
                       fmt_when(when, sizeof when, f->due_at), 16, true);
        rich_line_addf(l, base, " %3d min  ", f->duration_min);
        rich_line_data(l, base, _(f->kind), 9, true);
        rich_line_data(l, base, f->name, 26, true);
        rich_line_add(l, base, " ");
        rich_line_data(l, cur ? base : ROLE_DIM, f->title, cols - l->width, false);
    }
    if (s->n == 0) {
        rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                      _(" Nothing planned this week. s on a learner schedules a call."));
    }
    events_lines(&p->rb, s, cols, &cursor_line);
    rich_buf_line(&p->rb, ROLE_NORMAL);
    free_slots(&p->rb, t, cols);
    size_t top = cursor_line >= (size_t)rows - 1 ? cursor_line - (size_t)rows + 2 : 0;
    p->rb.top = top;
    t->focus_enrollment = s->cur < s->n ? s->fu[s->cur].enrollment_id : 0;
}

/* Space on an invitee: they came (event_attend: a meeting check-in, once). A tick is not
 * undone: check-ins are append-only. */
static void tick(struct tui *t, struct agenda *s)
{
    if (!s->ninv)
        return;
    const struct event_invitee *v = &s->inv[s->icur];
    if (v->attended) {
        tui_state_msg(
            t, ROLE_RISK_WATCH, "%s",
            _("already ticked: the meeting check-in stays (check-ins are never removed)"));
        return;
    }
    struct lcm_err err = {0};
    bool added = false;
    if (event_attend(t->st, s->open_event, v->learner_id, t->app->cfg.lcm_name, &added, &err) !=
        LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    tui_state_msg(t, ROLE_OK, _("%s %s came: meeting check-in logged"), v->first_name,
                  v->last_name);
    if (s->icur + 1 < s->ninv)
        s->icur++;
    tui_state_changed(t);
}

/* The handle op with an event's invitees listed. */
static enum hres invitees_handle(struct pane *p, struct tui *t, struct agenda *s, enum action a)
{
    switch (a) {
    case ACT_DOWN:
        if (s->icur + 1 < s->ninv)
            s->icur++;
        break;
    case ACT_UP:
        if (s->icur)
            s->icur--;
        break;
    case ACT_TOP:
        s->icur = 0;
        break;
    case ACT_BOTTOM:
        s->icur = s->ninv ? s->ninv - 1 : 0;
        break;
    case ACT_SELECT:
        tick(t, s);
        break;
    case ACT_OPEN:
        if (s->ninv && s->inv[s->icur].enrollment_id)
            pane_detail_open(t, s->inv[s->icur].enrollment_id);
        return H_HANDLED;
    case ACT_BACK:
        s->open_event = 0;
        s->stale = true;
        break;
    default:
        return H_NOT_HANDLED;
    }
    p->dirty = true;
    return H_HANDLED;
}

/* i on a call: the first press says what will be sent, the second queues the invitation
 * e-mail (the call_proposal template with an invite.ics METHOD:REQUEST part, as `lcmtui agenda
 * --invite`) in the outbox; `lcmtui outbox send` delivers it. */
static void invite(struct tui *t, struct agenda *s, const struct view_followup *f, bool confirmed)
{
    char when[80];
    if (strcmp(f->kind, "call") != 0) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("a reminder is not sent as an invitation"));
        return;
    }
    if (!confirmed) {
        s->confirm_invite = f->id;
        tui_state_msg(t, ROLE_RISK_WATCH, _("e-mail %s an invitation to the call on %s? i again"),
                      f->name, fmt_when_long(when, sizeof when, f->due_at));
        return;
    }
    struct caldav_config cc;
    struct lcm_err err = {0};
    if (caldav_config_load(&t->app->cfg, false, &cc, NULL, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    char user_dir[4096];
    struct invite_opts io = {.share_dir = t->app->share_dir,
                             .user_dir =
                                 template_user_dir(user_dir, sizeof user_dir) ? user_dir : NULL,
                             .lcm_name = t->app->cfg.lcm_name,
                             .lcm_email = t->app->cfg.lcm_email,
                             .lang = t->app->cfg.lang,
                             .tzid = cc.timezone};
    int64_t mid = 0;
    if (invite_request(t->st, f->id, &io, t->now_ts, &mid, &err) != LCM_OK)
        tui_state_fail(t, &err);
    else {
        tui_state_msg(t, ROLE_OK,
                      _("invitation to %s queued (message #%lld): lcmtui outbox send delivers it"),
                      f->name, (long long)mid);
        tui_state_changed(t);
    }
    caldav_config_free(&cc);
}

/* The handle op: moves, Enter (detail), d (check-in closing the follow-up), r (reschedule),
 * X twice (cancel, then a CalDAV push); other actions are not handled here. */
static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)key;
    struct agenda *s = p->st;
    if (s->open_event)
        return invitees_handle(p, t, s, a);
    const struct view_followup *f = s->cur < s->n ? &s->fu[s->cur] : NULL;
    size_t all = s->n + s->ev.n;
    struct lcm_err err = {0};
    int64_t confirm = s->confirm_cancel, confirm_inv = s->confirm_invite;
    s->confirm_cancel = s->confirm_invite = 0;
    switch (a) {
    case ACT_DOWN:
        if (s->cur + 1 < all)
            s->cur++;
        break;
    case ACT_UP:
        if (s->cur)
            s->cur--;
        break;
    case ACT_TOP:
        s->cur = 0;
        break;
    case ACT_BOTTOM:
        s->cur = all ? all - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        s->cur = s->cur + 10 < all ? s->cur + 10 : (all ? all - 1 : 0);
        break;
    case ACT_PAGE_UP:
        s->cur = s->cur > 10 ? s->cur - 10 : 0;
        break;
    case ACT_OPEN:
        if (!f && s->cur < all) { /* an event: its invitees */
            s->open_event = s->ev.v[s->cur - s->n].id;
            s->icur = 0;
            load_invitees(t, s);
            break;
        }
        if (f && f->enrollment_id)
            pane_detail_open(t, f->enrollment_id);
        return H_HANDLED;
    case ACT_DONE:
        if (f)
            forms_open_checkin(t, f->enrollment_id, f->id);
        return H_HANDLED;
    case ACT_RESCHEDULE:
        if (f)
            forms_open_schedule(t, f->enrollment_id, f->id);
        return H_HANDLED;
    case ACT_CANCEL:
        if (!f)
            return H_HANDLED;
        if (confirm != f->id) {
            char when[80];
            s->confirm_cancel = f->id;
            tui_state_msg(t, ROLE_RISK_WATCH, _("cancel the %s with %s on %s? X again to confirm"),
                          _(f->kind), f->name, fmt_when_long(when, sizeof when, f->due_at));
            return H_HANDLED;
        }
        if (store_followup_set_status(t->st, f->id, f->learner_id, FU_CANCELLED, 0, t->now_ts,
                                      &err) != LCM_OK)
            return tui_state_fail(t, &err);
        tui_state_msg(t, ROLE_OK, _("follow-up with %s cancelled"), f->name);
        tui_state_changed(t);
        caldav_bg_push(t);
        return H_HANDLED;
    case ACT_INVITE:
        if (f)
            invite(t, s, f, confirm_inv == f->id);
        return H_HANDLED;
    case ACT_NEW_EVENT:
        forms_event_open(t);
        return H_HANDLED;
    default:
        return H_NOT_HANDLED;
    }
    p->dirty = true;
    return H_HANDLED;
}

/* The free op. */
static void free_pane(struct pane *p)
{
    struct agenda *s = p->st;
    if (!s)
        return;
    store_view_detail_followups_free(&s->fu, s->n);
    store_event_list_free(&s->ev);
    store_event_invitees_free(&s->inv, s->ninv);
    store_event_row_clear(&s->open_row);
    free(s);
    p->st = NULL;
}

static const struct pane_ops ops = {
    .name = "agenda",
    .scope = SCOPE_AGENDA,
    .hints = N_(" Enter detail  d done  r reschedule  i invite  X cancel  s new call  c check-in  "
                "? help  q back"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = NULL,
    .free = free_pane,
    .invalidate = invalidate,
};

void pane_agenda_init(struct pane *p, struct tui *t)
{
    (void)t;
    struct agenda *s = lcm_xcalloc(1, sizeof *s);
    s->stale = true;
    p->ops = &ops;
    p->st = s;
    p->dirty = true;
    rich_buf_init(&p->rb);
}
