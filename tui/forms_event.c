/* forms_event.c — the new group event form (see forms_event.h). */
#include "tui/forms_event.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "cal/caldav.h"
#include "cal/event.h"
#include "cal/when.h"
#include "msg/template.h"
#include "store/store_entity.h"
#include "tui/caldav_bg.h"
#include "tui/fmt.h"
#include "tui/form.h"
#include "tui/tui_state.h"

enum { EV_COHORT, EV_TITLE, EV_WHEN, EV_DURATION, EV_PLACE };

/* store_entity_cohort_each callback: the cohort as a choice (at most FORM_MAX_CHOICES). */
static enum lcm_status add_cohort(void *ctx, int64_t id, const char *program, const char *cohort,
                                  int64_t enrollments)
{
    (void)program;
    (void)enrollments;
    struct form_field *fl = ctx;
    if (fl->nchoices >= FORM_MAX_CHOICES)
        return LCM_OK;
    fl->choice_ids[fl->nchoices] = id;
    fl->choices[fl->nchoices++] = lcm_xstrdup(cohort);
    return LCM_OK;
}

/* The typed time in the local wall clock; *ts the real Unix time (as forms.c). */
static enum lcm_status parse_at(struct tui *t, const char *s, int64_t *ts, struct lcm_err *err)
{
    int64_t wall;
    enum lcm_status rc = when_parse(s, t->today, fmt_to_wall(t->now_ts), &wall, err);
    if (rc == LCM_OK)
        *ts = fmt_from_wall(wall);
    return rc;
}

/* Live hints: the parsed time and duration. */
static void event_change(struct tui *t, struct form *f)
{
    struct lcm_err err = {0};
    int64_t ts = 0;
    int dur = 60;
    f->when_ts = 0;
    if (when_parse_duration(form_text(f, EV_DURATION), &dur, &err) != LCM_OK) {
        form_hint(&f->f[EV_DURATION], "%s", err.msg);
        return;
    }
    f->f[EV_DURATION].hint[0] = '\0';
    f->duration = dur;
    if (parse_at(t, form_text(f, EV_WHEN), &ts, &err) != LCM_OK) {
        form_hint(&f->f[EV_WHEN], "%s",
                  *form_text(f, EV_WHEN) ? err.msg : _("\"jeudi 12h30\", \"2026-12-10 12:30\""));
        return;
    }
    f->when_ts = ts;
    char when[80];
    form_hint(&f->f[EV_WHEN], "→ %s%s", fmt_when_long(when, sizeof when, ts),
              ts < t->now_ts ? _(" (in the past!)") : "");
}

static enum lcm_status event_submit(struct tui *t, struct form *f, struct lcm_err *err)
{
    event_change(t, f);
    if (f->f[EV_COHORT].nchoices == 0)
        return lcm_err_set(err, LCM_ERR_INVALID, _("no cohort in the base"));
    if (!f->when_ts)
        return parse_at(t, form_text(f, EV_WHEN), &f->when_ts, err);
    struct caldav_config cc;
    enum lcm_status rc = caldav_config_load(&t->app->cfg, false, &cc, NULL, err);
    if (rc != LCM_OK)
        return rc;
    char user_dir[4096];
    struct event_opts eo = {.share_dir = t->app->share_dir,
                            .user_dir =
                                template_user_dir(user_dir, sizeof user_dir) ? user_dir : NULL,
                            .lcm_name = t->app->cfg.lcm_name,
                            .lcm_email = t->app->cfg.lcm_email,
                            .lang = t->app->cfg.lang,
                            .tzid = cc.timezone};
    int64_t cohort = form_choice_id(f, EV_COHORT), id = 0;
    struct event_new e = {.title = form_text(f, EV_TITLE),
                          .place = form_text(f, EV_PLACE),
                          .start_at = f->when_ts,
                          .duration_min = f->duration};
    struct event_sent sent;
    rc = event_create(t->st, &e, &cohort, 1, &eo, t->now_ts, &id, &sent, err);
    caldav_config_free(&cc);
    if (rc == LCM_OK) {
        tui_state_msg(t, ROLE_OK,
                      _("event #%lld created: %d invitation(s) queued, %d skipped (lcmtui outbox "
                        "send delivers them)"),
                      (long long)id, sent.queued, sent.skipped);
        tui_state_changed(t);
        caldav_bg_push(t);
    }
    return rc;
}

void forms_event_open(struct tui *t)
{
    struct form *f = form_new(_("New group event"), event_submit, event_change);
    const char *none[] = {NULL};
    struct form_field *cf = form_add_choice(f, _("Cohort"), none, 0);
    struct lcm_err err = {0};
    if (store_entity_cohort_each(t->st, add_cohort, cf, &err) != LCM_OK)
        tui_state_fail(t, &err);
    form_add_text(f, _("Title"), "Learning Lunch");
    form_add_text(f, _("When"), "");
    form_add_text(f, _("Duration"), "60");
    form_add_text(f, _("Place"), "");
    event_change(t, f);
    form_free(&t->form);
    t->form = f;
}
