/* forms.c — the forms: filter, check-in, schedule/reschedule a call, snooze. Each saves at
 * once through the store (one transaction when it writes more than one row). A form never
 * calls the pane that opened it: a save invalidates every pane through tui_state_changed, and
 * the filter hands its choices to the callback its opener gave. */
#include "base/i18n.h"
#include "tui/forms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "cal/agenda.h"
#include "store/store.h"
#include "store/store_busy.h"
#include "store/store_checkin.h"
#include "store/store_entity.h"
#include "store/store_followup.h"
#include "store/store_snooze.h"
#include "store/store_team.h"
#include "msg/sequence.h"
#include "store/store_view.h"
#include "store/store_view_detail.h"
#include "cal/when.h"
#include "store/store_calendar.h"
#include "tui/caldav_bg.h"
#include "tui/fmt.h"
#include "tui/tui_state.h"

/* Parses a typed date in the local wall clock; *ts is the real Unix time. */
static enum lcm_status parse_when(struct tui *t, const char *s, int64_t *ts, struct lcm_err *err)
{
    int64_t wall;
    enum lcm_status rc = when_parse(s, t->today, fmt_to_wall(t->now_ts), &wall, err);
    if (rc == LCM_OK)
        *ts = fmt_from_wall(wall);
    return rc;
}

/* ---- filter ---------------------------------------------------------------------------- */

struct cohort_list {
    struct form_field *fl;
    int64_t selected;
};

/* store_entity_cohort_each callback: appends the cohort as a choice of the filter form's cohort
 * field (at most FORM_MAX_CHOICES), preselecting the one the list is filtered on. */
static enum lcm_status add_cohort(void *ctx, int64_t id, const char *program, const char *cohort,
                                  int64_t enrollments)
{
    (void)program;
    (void)enrollments;
    struct cohort_list *cl = ctx;
    struct form_field *fl = cl->fl;
    if (fl->nchoices >= FORM_MAX_CHOICES)
        return LCM_OK;
    fl->choice_ids[fl->nchoices] = id;
    if (id == cl->selected)
        fl->choice = fl->nchoices;
    fl->choices[fl->nchoices++] = lcm_xstrdup(cohort);
    return LCM_OK;
}

/* The N_-marked list src (NULL-terminated) translated into out (max entries with the NULL),
 * for form_add_choice, which copies the strings. Returns out. */
static const char *const *tr(const char *const *src, const char **out, size_t max)
{
    size_t i = 0;
    for (; src[i] && i + 1 < max; i++)
        out[i] = _(src[i]);
    out[i] = NULL;
    return out;
}

/* Saving the filter: the opener applies the choices (its done callback). */
static enum lcm_status filter_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    (void)err;
    if (f->done)
        f->done(t, f, f->done_ctx);
    return LCM_OK;
}

void forms_open_filter(struct tui *t, int64_t cohort_id, int level, form_done_fn done, void *ctx)
{
    static const char *const levels[] = {N_("everyone"), N_("at risk"),      N_("watch"),
                                         N_("ok"),       N_("to celebrate"), NULL};
    const char *all[] = {_("all cohorts"), NULL}, *tl[8];
    struct form *f = form_new(_("Filter the triage list"), filter_submit, NULL);
    struct cohort_list cl = {form_add_choice(f, _("Cohort"), all, 0), cohort_id};
    struct lcm_err err = {0};
    if (store_entity_cohort_each(t->st, add_cohort, &cl, &err) != LCM_OK)
        tui_state_fail(t, &err);
    int lv = level == VIEW_LEVEL_ANY ? 0 : level == 2 ? 1 : level == 1 ? 2 : level == 0 ? 3 : 4;
    form_add_choice(f, _("Level"), tr(levels, tl, 8), lv);
    f->done = done;
    f->done_ctx = ctx;
    form_free(&t->form);
    t->form = f;
}

/* ---- check-in -------------------------------------------------------------------------- */

/* The stored words (English, machine values: base/model.h); the form shows them translated.
 * The channels in the order of enum checkin_channel. */
static const char *const channels[] = {N_("call"),  N_("email"),   N_("sms"),  N_("chat"),
                                       N_("video"), N_("meeting"), N_("note"), NULL};
static const enum checkin_channel channel_ids[] = {CH_CALL,  CH_EMAIL,   CH_SMS, CH_CHAT,
                                                   CH_VIDEO, CH_MEETING, CH_NOTE};
static const char *const directions[] = {N_("outgoing (I reached out)"),
                                         N_("incoming (the learner did)"), NULL};
enum { CI_CHANNEL, CI_DIRECTION, CI_OUTCOME, CI_NOTE, CI_NEXT, CI_WHEN };

/* Live hint under the check-in's follow-up field: the parsed date, or why it does not parse. */
static void checkin_change(struct tui *t, struct form *f)
{
    const char *w = form_text(f, CI_WHEN);
    f->when_ts = 0;
    if (!*w) {
        form_hint(&f->f[CI_WHEN], "%s",
                  _("optional: a follow-up reminder (\"tue 14:30\", \"demain 9h\", \"+7d\")"));
        return;
    }
    struct lcm_err err = {0};
    int64_t ts;
    if (parse_when(t, w, &ts, &err) == LCM_OK) {
        char buf[80];
        f->when_ts = ts;
        form_hint(&f->f[CI_WHEN], "→ %s", fmt_when_long(buf, sizeof buf, ts));
    } else {
        form_hint(&f->f[CI_WHEN], "%s", err.msg);
    }
}

/* The writes of a check-in (store_tx() runs them, again when the base asks for a retry). */
struct checkin_tx {
    const struct lcm_checkin *c;
    int64_t followup_id; /* the follow-up the check-in closes, or 0 */
    int64_t due;         /* the reminder's time, or 0 */
    int64_t now;
};

static enum lcm_status checkin_writes(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct checkin_tx *x = ctx;
    int64_t cid = 0;
    enum lcm_status rc = store_checkin_add(st, x->c, &cid, err);
    if (rc == LCM_OK && x->followup_id)
        rc = store_followup_set_status(st, x->followup_id, x->c->learner_id, FU_DONE, cid, x->now,
                                       err);
    if (rc == LCM_OK && x->due) {
        struct lcm_followup fu = {.learner_id = x->c->learner_id,
                                  .enrollment_id = x->c->enrollment_id,
                                  .kind = "reminder",
                                  .due_at = x->due,
                                  .duration_min = 15,
                                  .status = FU_PLANNED,
                                  .title = *x->c->next_step ? x->c->next_step : _("follow up"),
                                  .checkin_id = cid};
        rc = store_followup_add(st, &fu, x->now, NULL, err);
    }
    return rc;
}

/* Saves the check-in, closes its follow-up and plans the reminder, in one transaction. LCM_OK
 * closes the form (status line, panes invalidated, a CalDAV push when a follow-up changed);
 * an error keeps it open with err. */
static enum lcm_status checkin_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    int64_t due = 0;
    const char *w = form_text(f, CI_WHEN);
    if (*w && parse_when(t, w, &due, err) != LCM_OK)
        return err->status;
    struct lcm_checkin c = {
        .learner_id = f->learner_id,
        .enrollment_id = f->enrollment_id,
        .at = t->now_ts,
        .channel = channel_ids[form_choice(f, CI_CHANNEL)],
        .direction = model_checkin_directions[form_choice(f, CI_DIRECTION)],
        .outcome = model_checkin_outcomes[form_choice(f, CI_OUTCOME)],
        .note = form_text(f, CI_NOTE),
        .next_step = form_text(f, CI_NEXT),
        .author = t->app->cfg.lcm_name && *t->app->cfg.lcm_name ? t->app->cfg.lcm_name : NULL,
        .followup_id = f->followup_id,
        /* one contact per learner per quiet period across the team: another LCM's claim is
         * shown (form.c: a conflict asks for Enter again), and Enter again overrides it */
        .claim_days = sequence_quiet_days(&t->app->cfg),
        .override = f->confirm,
    };
    struct checkin_tx x = {.c = &c, .followup_id = f->followup_id, .due = due, .now = t->now_ts};
    enum lcm_status rc = store_tx(t->st, checkin_writes, &x, NULL, err);
    if (rc == LCM_ERR_CONFLICT) {
        char why[sizeof err->msg];
        snprintf(why, sizeof why, "%s", err->msg);
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("%.300s; Enter again to log it anyway"), why);
    }
    if (rc == LCM_OK) {
        tui_state_msg(t, ROLE_OK, "%s (%s, %s)%s", _("check-in saved"),
                      _(model_checkin_channel_name(c.channel)), _(c.outcome),
                      due ? _("; reminder planned") : "");
        tui_state_changed(t);
        if (due || f->followup_id)
            caldav_bg_push(t);
    }
    return rc;
}

/* Resolves an enrollment's learner and name into f; false (status set) when it is gone. */
static bool load_learner(struct tui *t, struct form *f, int64_t enrollment_id, char *name,
                         size_t len)
{
    struct view_detail d;
    struct lcm_err err = {0};
    if (store_view_detail(t->st, enrollment_id, t->today, &d, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return false;
    }
    f->enrollment_id = enrollment_id;
    f->learner_id = d.learner_id;
    snprintf(name, len, "%s %s", d.first_name, d.last_name);
    store_view_detail_clear(&d);
    return true;
}

void forms_open_checkin(struct tui *t, int64_t enrollment_id, int64_t followup_id)
{
    if (!enrollment_id) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("no learner here: select one first"));
        return;
    }
    struct form *f = form_new(_("Check-in"), checkin_submit, checkin_change);
    char name[256], title[300];
    if (!load_learner(t, f, enrollment_id, name, sizeof name)) {
        form_free(&f);
        return;
    }
    snprintf(title, sizeof title, _("Check-in with %s%s"), name,
             followup_id ? _(" (follow-up done)") : "");
    form_title(f, "%s", title);
    f->followup_id = followup_id;
    const char *tl[16];
    form_add_choice(f, _("Channel"), tr(channels, tl, 16), 0);
    form_add_choice(f, _("Direction"), tr(directions, tl, 16), 0);
    form_add_choice(f, _("Outcome"), tr(model_checkin_outcomes, tl, 16), 0);
    form_add_text(f, _("Note"), "");
    form_add_text(f, _("Next step"), "");
    form_add_text(f, _("Follow-up"), "");
    checkin_change(t, f);
    form_free(&t->form);
    t->form = f;
}

/* ---- schedule / reschedule ------------------------------------------------------------- */

enum { SC_WHEN, SC_DURATION, SC_TITLE, SC_REPLACE };

/* Finds a planned call, or an imported busy time (core/store_calendar.h: the LCM's other
 * meetings), that overlaps [ts, ts+dur) (skipping f->followup_id); writes a readable
 * description into buf. Returns the clashing follow-up's id, -1 for a busy time, 0 for none. */
static int64_t find_clash(struct tui *t, struct form *f, int64_t ts, int dur, char *buf, size_t len)
{
    struct view_followup *fu = NULL;
    struct cal_busy *busy = NULL;
    size_t n = 0, nb = 0;
    struct lcm_err err = {0};
    if (store_view_detail_followups(t->st, 0, ts - 86400, ts + 86400, 2000, &fu, &n, &err) !=
        LCM_OK)
        return 0;
    if (store_busy_range(t->st, ts - 86400, ts + 86400, &busy, &nb, &err) != LCM_OK)
        nb = 0;
    struct agenda_slot *slots = lcm_xcalloc(n + nb ? n + nb : 1, sizeof *slots);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(fu[i].kind, "call") == 0 && fu[i].due_at > ts - 86400)
            slots[k++] = (struct agenda_slot){fu[i].id, fu[i].due_at, fu[i].duration_min};
    k += fmt_busy_slots(busy, nb, false, slots + k);
    long c = agenda_clash(slots, k, ts, dur, f->followup_id);
    int64_t id = 0;
    char when[48];
    if (c >= 0 && slots[c].id < 0) {
        const struct cal_busy *b = &busy[-slots[c].id - 1];
        snprintf(buf, len, _("clashes with \"%s\" at %s (%d min, %s)"),
                 *b->summary ? b->summary : _("busy"), fmt_when(when, sizeof when, b->start_at),
                 slots[c].duration_min, b->source);
        id = -1;
    } else if (c >= 0) {
        for (size_t i = 0; i < n; i++)
            if (fu[i].id == slots[c].id) {
                snprintf(buf, len, _("clashes with the call with %s at %s (%d min)"), fu[i].name,
                         fmt_when(when, sizeof when, fu[i].due_at), fu[i].duration_min);
                id = fu[i].id;
            }
    }
    free(slots);
    store_busy_free(&busy, nb);
    store_view_detail_followups_free(&fu, n);
    return id;
}

/* "" for a call within the working days and hours (calendar.work_days, work_hours, else
 * tui.day_start/day_end), else what it falls outside of: a call is rarely meant for Sunday. */
static const char *off_hours(const struct tui *t, int64_t ts, int dur)
{
    int64_t w = fmt_to_wall(ts);
    int d = day_from_time(w);
    int min = (int)((w - day_to_time(d)) / 60);
    if (!agenda_work_day(t->work_days, d))
        return _(" (not a working day)");
    if (min < t->work_from || min + dur > t->work_to)
        return _(" (outside working hours)");
    return "";
}

/* Live hints of the schedule form: the parsed duration and date, and a clash with a planned
 * call or a busy time (f->when_ts, f->duration, f->clash_id follow them). */
static void schedule_change(struct tui *t, struct form *f)
{
    struct lcm_err err = {0};
    int64_t ts = 0;
    int dur = 30;
    f->when_ts = 0;
    f->clash_id = 0;
    struct form_field *wf = &f->f[SC_WHEN];
    if (when_parse_duration(form_text(f, SC_DURATION), &dur, &err) != LCM_OK) {
        form_hint(&f->f[SC_DURATION], "%s", err.msg);
        return;
    }
    f->f[SC_DURATION].hint[0] = '\0';
    f->duration = dur;
    if (parse_when(t, form_text(f, SC_WHEN), &ts, &err) != LCM_OK) {
        form_hint(wf, "%s",
                  *form_text(f, SC_WHEN)
                      ? err.msg
                      : _("\"tue 14:30\", \"mardi 14h30\", \"2026-12-01 09:00\""));
        return;
    }
    f->when_ts = ts;
    char when[80], clash[200] = "";
    fmt_when_long(when, sizeof when, ts);
    f->clash_id = find_clash(t, f, ts, dur, clash, sizeof clash);
    if (f->clash_id)
        form_hint(wf, "→ %s — %s", when, clash);
    else
        form_hint(wf, _("→ %s, free%s"), when,
                  ts < t->now_ts ? _(" (in the past!)") : off_hours(t, ts, dur));
}

/* The writes of a new call: it, and the overdue one it replaces cancelled (store_tx()). */
struct call_tx {
    const struct lcm_followup *fu;
    int64_t replace; /* the overdue call to cancel, or 0 */
    int64_t now;
};

static enum lcm_status call_writes(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct call_tx *x = ctx;
    enum lcm_status rc = store_followup_add(st, x->fu, x->now, NULL, err);
    if (rc == LCM_OK && x->replace)
        rc = store_followup_set_status(st, x->replace, x->fu->learner_id, FU_CANCELLED, 0, x->now,
                                       err);
    return rc;
}

/* Saves the new or moved call. A clash refuses once (LCM_ERR_CONFLICT, the form stays open)
 * and saves at the next Enter; LCM_OK closes the form and starts a CalDAV push. */
static enum lcm_status schedule_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    schedule_change(t, f);
    if (!f->when_ts)
        return parse_when(t, form_text(f, SC_WHEN), &f->when_ts, err);
    if (f->clash_id && !f->confirm)
        return lcm_err_set(err, LCM_ERR_CONFLICT, _("%s; Enter again to save anyway"),
                           f->f[SC_WHEN].hint);
    enum lcm_status rc;
    char when[80];
    /* the learner's overdue call the form offered to replace, when the LCM kept "replace" */
    int64_t replace =
        f->n > SC_REPLACE && form_choice(f, SC_REPLACE) == 0 ? f->f[SC_REPLACE].choice_ids[0] : 0;
    if (f->followup_id) {
        rc = store_followup_move(t->st, f->followup_id, f->learner_id, f->when_ts, f->duration,
                                 t->now_ts, err);
    } else {
        struct lcm_followup fu = {.learner_id = f->learner_id,
                                  .enrollment_id = f->enrollment_id,
                                  .kind = "call",
                                  .due_at = f->when_ts,
                                  .duration_min = f->duration,
                                  .status = FU_PLANNED,
                                  .title = form_text(f, SC_TITLE)};
        struct call_tx x = {.fu = &fu, .replace = replace, .now = t->now_ts};
        rc = store_tx(t->st, call_writes, &x, NULL, err);
    }
    if (rc == LCM_OK) {
        tui_state_msg(t, ROLE_OK,
                      f->followup_id ? _("call moved to %s (%d min)")
                      : replace      ? _("call planned for %s (%d min); the overdue one cancelled")
                                     : _("call planned for %s (%d min)"),
                      fmt_when_long(when, sizeof when, f->when_ts), f->duration);
        tui_state_changed(t);
        caldav_bg_push(t);
    }
    return rc;
}

/* A new call for a learner whose earlier call is overdue (planned, its time past): a last
 * field offers to replace it (cancelled when the new one is saved), the default, or to keep
 * it. The overdue call's id rides in the field's first choice id. */
static void offer_replace(struct tui *t, struct form *f)
{
    struct view_followup *fu = NULL;
    size_t n = 0;
    struct lcm_err err = {0};
    if (store_view_detail_followups(t->st, f->learner_id, 0, t->now_ts, 20, &fu, &n, &err) !=
        LCM_OK)
        return;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(fu[i].kind, "call") != 0 || fu[i].due_at >= t->now_ts)
            continue;
        char when[48], replace[128];
        snprintf(replace, sizeof replace, _("replace the one of %s (cancelled)"),
                 fmt_when(when, sizeof when, fu[i].due_at));
        const char *choices[] = {replace, _("keep it too"), NULL};
        struct form_field *fl = form_add_choice(f, _("Overdue call"), choices, 0);
        fl->choice_ids[0] = fu[i].id;
        break; /* the oldest first: one offer */
    }
    store_view_detail_followups_free(&fu, n);
}

void forms_open_schedule(struct tui *t, int64_t enrollment_id, int64_t followup_id)
{
    if (!enrollment_id && !followup_id) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("no learner here: select one first"));
        return;
    }
    struct form *f = form_new(followup_id ? _("Reschedule") : _("Schedule a call"), schedule_submit,
                              schedule_change);
    char name[256] = "", title[300];
    if (enrollment_id && !load_learner(t, f, enrollment_id, name, sizeof name)) {
        form_free(&f);
        return;
    }
    f->followup_id = followup_id;
    snprintf(title, sizeof title,
             followup_id ? _("Reschedule the call with %s") : _("Schedule a call with %s"), name);
    form_title(f, "%s", title);
    form_add_text(f, _("When"), "");
    char dur[16];
    snprintf(dur, sizeof dur, "%d", t->call_minutes);
    form_add_text(f, _("Duration"), dur);
    snprintf(title, sizeof title, _("Call with %s"), name);
    form_add_text(f, _("Title"), title);
    if (!followup_id)
        offer_replace(t, f);
    schedule_change(t, f);
    form_free(&t->form);
    t->form = f;
}

/* ---- snooze ---------------------------------------------------------------------------- */

static const char *const snooze_for[] = {N_("7 days"), N_("14 days"), N_("30 days"), N_("3 days"),
                                         NULL};
static const int snooze_days[] = {7, 14, 30, 3};

/* Snoozes the flag for the chosen days with the typed reason (required: LCM_ERR_INVALID
 * without); LCM_OK closes the form and invalidates the panes. */
static enum lcm_status snooze_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    const char *reason = form_text(f, 1);
    if (!*reason)
        return lcm_err_set(err, LCM_ERR_INVALID, "%s",
                           _("say why (\"on holiday until the 15th\")"));
    struct view_detail d;
    double score = 0;
    if (store_view_detail(t->st, f->enrollment_id, t->today, &d, err) == LCM_OK) {
        score = d.score;
        store_view_detail_clear(&d);
    }
    int days = snooze_days[form_choice(f, 0)];
    enum lcm_status rc =
        store_snooze_add(t->st, f->enrollment_id, t->today + days, reason, score, t->now_ts, err);
    if (rc == LCM_OK) {
        tui_state_msg(t, ROLE_OK, _("snoozed for %d days (x shows snoozed learners)"), days);
        tui_state_changed(t);
    }
    return rc;
}

void forms_open_snooze(struct tui *t, int64_t enrollment_id)
{
    if (!enrollment_id) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("no learner here: select one first"));
        return;
    }
    struct form *f = form_new(_("Snooze"), snooze_submit, NULL);
    char name[256], title[300];
    if (!load_learner(t, f, enrollment_id, name, sizeof name)) {
        form_free(&f);
        return;
    }
    snprintf(title, sizeof title, _("Snooze the flag of %s"), name);
    form_title(f, "%s", title);
    const char *tl[8];
    form_add_choice(f, _("For"), tr(snooze_for, tl, 8), 0);
    form_add_text(f, _("Reason"), "");
    form_free(&t->form);
    t->form = f;
}

/* ---- assign ---------------------------------------------------------------------------- */

/* The learner of enrollment id (0 when it is gone). */
static int64_t learner_of(struct tui *t, int64_t enrollment_id)
{
    struct view_detail d;
    struct lcm_err err = {0};
    if (store_view_detail(t->st, enrollment_id, t->today, &d, &err) != LCM_OK)
        return 0;
    int64_t lid = d.learner_id;
    store_view_detail_clear(&d);
    return lid;
}

/* Gives the form's learner, or every selected one, to the LCM whose e-mail was typed (made
 * when new); from another LCM it is a handover (store_team.h). */
static enum lcm_status assign_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    int64_t user = 0;
    enum lcm_status rc = store_team_user_find(t->st, form_text(f, 0), true, t->now_ts, &user, err);
    struct store_handover sum = {0, 0, 0, 0};
    size_t n = t->nsel ? t->nsel : 1;
    for (size_t i = 0; rc == LCM_OK && i < n; i++) {
        int64_t lid = t->nsel ? learner_of(t, t->sel[i]) : f->learner_id;
        struct store_handover h;
        if (lid &&
            (rc = store_team_assign_learner(t->st, lid, user, t->now_ts, &h, err)) == LCM_OK) {
            sum.learners += h.learners;
            sum.handed += h.handed;
            sum.followups += h.followups;
            sum.drafts += h.drafts;
        }
    }
    if (rc == LCM_OK) {
        tui_state_msg(t, ROLE_OK,
                      _("assigned to %s: %d learners change LCM, %d handed over (%d follow-ups, "
                        "%d drafts moved)"),
                      form_text(f, 0), sum.learners, sum.handed, sum.followups, sum.drafts);
        tui_state_changed(t);
    }
    return rc;
}

void forms_open_assign(struct tui *t, int64_t enrollment_id)
{
    if (!enrollment_id && !t->nsel) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("no learner here: select one first"));
        return;
    }
    struct form *f = form_new(_("Assign"), assign_submit, NULL);
    char name[256];
    if (!t->nsel && !load_learner(t, f, enrollment_id, name, sizeof name)) {
        form_free(&f);
        return;
    }
    if (t->nsel)
        form_title(f,
                   ngettext("Assign %zu selected learner to an LCM",
                            "Assign %zu selected learners to an LCM", (unsigned long)t->nsel),
                   t->nsel);
    else
        form_title(f, _("Assign %s to an LCM"), name);
    const char *me = t->app->cfg.lcm_email;
    form_add_text(f, _("LCM's e-mail"), me ? me : "");
    form_free(&t->form);
    t->form = f;
}
