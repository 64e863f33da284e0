/* pane_detail.c — one learner: identity, manager, cohort and dates, progress against the
 * schedule, weekly activity sparkline, milestones done and missed, every risk reason, and the
 * timeline of check-ins, messages and follow-ups. */
#include "tui/pane_detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/day.h"
#include "base/text.h"
#include "risk/risk.h"
#include "store/store_message.h"
#include "tui/fmt.h"
#include "tui/tui_state.h"
#include "store/store_effect.h"
#include "store/store_sequence.h"
#include "store/store_view_detail.h"
#include "store/store_inbox.h"
#include "msg/inbox.h"

#define WEEKS 12
#define TIMELINE_MAX 200

struct detail {
    int64_t eid;
    bool stale;
    struct view_detail d;
    bool have;
    int weekly[WEEKS];
    struct view_milestone *ms;
    size_t nms;
    struct view_event *ev;
    size_t nev;
    struct fx_msg { /* sent messages and whether the learner came back after each */
        int64_t sent_at;
        char *tpl, *subject;
        int back3, back7; /* 1 yes, 0 no, -1 too early */
    } * fx;
    size_t nfx;
    char question[600]; /* the learner's oldest open question: its age and subject; "" none */
    char held[512];     /* "nudge_21 since 2026-11-28, ..." : the rules holding the learner out */
    size_t top;
    int rows;
};

#define EFFECT_MAX 20

/* store_effect_for_learner callback: keeps a sent message and whether the learner came back
 * (at most EFFECT_MAX). */
static enum lcm_status add_effect(void *ctx, const struct store_msg_effect *e)
{
    struct detail *s = ctx;
    if (s->nfx >= EFFECT_MAX)
        return LCM_OK;
    if (!s->fx)
        s->fx = lcm_xcalloc(EFFECT_MAX, sizeof *s->fx);
    s->fx[s->nfx++] =
        (struct fx_msg){e->sent_at, lcm_xstrdup(e->template_name ? e->template_name : ""),
                        lcm_xstrdup(e->subject ? e->subject : ""), e->back3, e->back7};
    return LCM_OK;
}

/* store_sequence_held_rules callback: appends "rule (since DAY)" to s->held. */
static enum lcm_status add_held(void *ctx, const char *rule, int first_day, int last_day,
                                int64_t times)
{
    (void)last_day;
    (void)times;
    struct detail *s = ctx;
    char d[DAY_TEXT_LEN];
    size_t n = strlen(s->held);
    if (n + 1 < sizeof s->held)
        snprintf(s->held + n, sizeof s->held - n, _("%s%s since %s"), n ? ", " : "", rule,
                 day_format(first_day, d));
    return LCM_OK;
}

/* Frees everything loaded for the open learner. */
static void unload(struct detail *s)
{
    if (s->have)
        store_view_detail_clear(&s->d);
    store_view_detail_milestones_free(&s->ms, s->nms);
    store_view_detail_events_free(&s->ev, s->nev);
    for (size_t i = 0; i < s->nfx; i++) {
        free(s->fx[i].tpl);
        free(s->fx[i].subject);
    }
    free(s->fx);
    s->fx = NULL;
    s->nms = s->nev = s->nfx = 0;
    s->held[0] = '\0';
    s->question[0] = '\0';
    s->have = false;
}

/* The learner's oldest open question, for the line under the identity (R, F, W answer it). */
static void load_question(struct tui *t, struct detail *s)
{
    struct lcm_err err = {0};
    int64_t q = 0;
    struct store_inbox_row r;
    if (inbox_question_of(t->st, s->d.learner_id, &q, &err) != LCM_OK || !q ||
        store_inbox_get(t->st, q, &r, &err) != LCM_OK)
        return;
    char age[160];
    inbox_age(r.received_at, t->now_ts, age, sizeof age);
    snprintf(s->question, sizeof s->question, " %s \xe2\x80\x94 %s", age,
             r.subject[0] ? r.subject : "-");
    store_inbox_row_clear(&r);
}

/* Loads the open learner (s->eid): detail, weekly minutes, milestones, timeline, outreach
 * effects; a store error goes to the status line. */
static void load(struct tui *t, struct detail *s)
{
    unload(s);
    s->stale = false;
    if (!s->eid)
        return;
    struct lcm_err err = {0};
    if (store_view_detail(t->st, s->eid, t->today, &s->d, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    s->have = true;
    if (store_view_detail_weekly(t->st, s->eid, s->d.learner_id, t->today, WEEKS, s->weekly,
                                 &err) != LCM_OK ||
        store_view_detail_milestones(t->st, s->eid, s->d.learner_id, t->today, &s->ms, &s->nms,
                                     &err) != LCM_OK ||
        store_view_detail_timeline(t->st, s->d.learner_id, TIMELINE_MAX, &s->ev, &s->nev, &err) !=
            LCM_OK ||
        store_effect_for_learner(t->st, s->d.learner_id, t->today, add_effect, s, &err) != LCM_OK ||
        store_sequence_held_rules(t->st, s->d.learner_id, add_held, s, &err) != LCM_OK)
        tui_state_fail(t, &err);
    load_question(t, s);
}

void pane_detail_open(struct tui *t, int64_t enrollment_id)
{
    struct pane *p = &t->panes[PANE_DETAIL];
    struct detail *s = p->st;
    s->eid = enrollment_id;
    s->stale = true;
    s->top = 0;
    tui_state_show(t, PANE_DETAIL);
}

/* A blank line, then a section header. */
static void section(struct rbuf *rb, const char *title)
{
    rich_buf_line(rb, ROLE_NORMAL);
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(l, ROLE_HEADER, " ");
    rich_line_add(l, ROLE_HEADER, title);
}

/* Name, risk level and score, milestone reached, contact and language, manager and
 * department, cohort and dates. */
static void identity(struct rbuf *rb, struct tui *t, const struct view_detail *d, int cols)
{
    char buf[1024], a[32], b[32];
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    snprintf(buf, sizeof buf, "%s %s", d->first_name, d->last_name);
    rich_line_add(l, ROLE_NORMAL, " ");
    rich_line_data(l, ROLE_ACCENT, buf, cols / 2, false);
    if (d->level >= 0) {
        static const char *const lv[] = {N_("ok"), N_("watch"), N_("at risk")};
        snprintf(buf, sizeof buf, _("   [%s · score %.0f]"), _(lv[d->level > 2 ? 2 : d->level]),
                 d->score);
        rich_line_add(l,
                      d->level == 2   ? ROLE_RISK_HIGH
                      : d->level == 1 ? ROLE_RISK_WATCH
                                      : ROLE_OK,
                      buf);
    }
    if (d->celebrate) {
        rich_line_add(l, ROLE_CELEBRATE, _("   reached "));
        rich_line_data(l, ROLE_CELEBRATE, d->celebrate, 30, false);
    }
    l = rich_buf_line(rb, ROLE_NORMAL);
    snprintf(buf, sizeof buf, " %s · %s · %s", *d->email ? d->email : _("no e-mail"),
             *d->phone ? d->phone : _("no phone"), *d->lang ? d->lang : _("lang ?"));
    rich_line_data(l, ROLE_NORMAL, buf, cols, false);
    l = rich_buf_line(rb, ROLE_NORMAL);
    snprintf(buf, sizeof buf, _(" manager: %s%s%s%s · department: %s"),
             *d->manager ? d->manager : "—", *d->manager_email ? " <" : "", d->manager_email,
             *d->manager_email ? ">" : "", *d->department ? d->department : "—");
    rich_line_data(l, ROLE_NORMAL, buf, cols, false);
    l = rich_buf_line(rb, ROLE_NORMAL);
    snprintf(buf, sizeof buf, " %s · %s (%s → %s) · %s", d->program, d->cohort,
             fmt_day(a, sizeof a, d->cohort_start), fmt_day(b, sizeof b, d->cohort_end),
             _(d->status));
    rich_line_data(l, ROLE_NORMAL, buf, cols, false);
    l = rich_buf_line(rb, ROLE_NORMAL);
    snprintf(buf, sizeof buf, _(" enrolled %s, expected end %s"),
             fmt_day(a, sizeof a, d->start_day), fmt_day(b, sizeof b, d->expected_end_day));
    rich_line_data(l, ROLE_DIM, buf, cols, false);
    (void)t;
}

/* Progress bar against the expected progress, and the weekly minutes sparkline. */
static void progress(struct rbuf *rb, struct tui *t, const struct detail *s, int cols)
{
    const struct view_detail *d = &s->d;
    char buf[512], bar[128], ago[32];
    rich_buf_line(rb, ROLE_NORMAL);
    struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(l, ROLE_NORMAL, _(" Progress  "));
    rich_line_add(l, ROLE_BAR, fmt_bar(bar, sizeof bar, d->progress, 20));
    if (d->progress >= 0)
        rich_line_addf(l, ROLE_NORMAL, " %3d %%", (int)(d->progress * 100 + 0.5));
    if (d->expected >= 0) {
        int gap = (int)((d->expected - (d->progress < 0 ? 0 : d->progress)) * 100 + 0.5);
        rich_line_addf(l, ROLE_NORMAL, _("   expected %d %%"), (int)(d->expected * 100 + 0.5));
        if (gap > 0)
            rich_line_addf(
                l, gap >= 15 ? ROLE_RISK_WATCH : ROLE_DIM,
                ngettext("  (%d point behind)", "  (%d points behind)", (unsigned long)gap), gap);
        else
            rich_line_add(l, ROLE_OK, _("  (on schedule)"));
    }
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(l, ROLE_NORMAL, _(" Activity  "));
    rich_line_add(l, ROLE_BAR, fmt_spark(bar, sizeof bar, s->weekly, WEEKS));
    int total = 0;
    for (int i = 0; i < WEEKS; i++)
        total += s->weekly[i];
    snprintf(buf, sizeof buf, _("  weekly minutes, last %d weeks (%d min) · last activity %s"),
             WEEKS, total, fmt_ago(ago, sizeof ago, d->last_activity_day, t->today));
    rich_line_data(l, ROLE_DIM, buf, cols - l->width, false);
}

/* Why the learner is flagged, one reason a line, and the snooze when there is one. */
static void reasons(struct rbuf *rb, const struct view_detail *d, int cols)
{
    char buf[128], day[32];
    if (d->level < 0) {
        section(rb, _("Risk: not scored yet (lcmtui risk update)"));
        return;
    }
    snprintf(buf, sizeof buf, _("Why flagged (score %.0f%s%s)"), d->score,
             d->flagged_since != DAY_NONE ? _(", since ") : "",
             d->flagged_since != DAY_NONE ? fmt_day(day, sizeof day, d->flagged_since) : "");
    section(rb, d->level > 0 ? buf : _("Risk: no flag"));
    char text[4096]; /* stored language-neutral, shown in the screen's language */
    risk_text_render(d->reasons, text, sizeof text);
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *one = lcm_xmalloc(n + 1);
        memcpy(one, p, n);
        one[n] = '\0';
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_add(l, ROLE_NORMAL, "   • ");
        rich_line_data(l, d->level == 2 ? ROLE_RISK_HIGH : ROLE_NORMAL, one, cols - 5, false);
        free(one);
        p += n;
        if (*p)
            p++;
    }
    if (d->snooze_until != DAY_NONE) {
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_addf(l, ROLE_DIM, _("   snoozed until %s: "),
                       fmt_day(day, sizeof day, d->snooze_until));
        rich_line_data(l, ROLE_DIM, d->snooze_reason, cols - l->width, false);
    }
}

/* Each milestone: reached (when), missed, or due. */
static void milestones(struct rbuf *rb, const struct detail *s, int cols)
{
    section(rb, _("Milestones"));
    if (s->nms == 0)
        rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_DIM,
                      _("   none defined for this programme"));
    for (size_t i = 0; i < s->nms; i++) {
        const struct view_milestone *m = &s->ms[i];
        char day[32], buf[256];
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        if (m->done_day != DAY_NONE) {
            rich_line_add(l, ROLE_OK, "   ✓ ");
            snprintf(buf, sizeof buf, _("reached %s"), fmt_day(day, sizeof day, m->done_day));
        } else if (m->missed) {
            rich_line_add(l, ROLE_RISK_HIGH, "   ✗ ");
            snprintf(buf, sizeof buf, _("missed, was due %s"),
                     fmt_day(day, sizeof day, m->due_day));
        } else {
            rich_line_add(l, ROLE_DIM, "   · ");
            if (m->due_day != DAY_NONE)
                snprintf(buf, sizeof buf, _("due %s"), fmt_day(day, sizeof day, m->due_day));
            else
                buf[0] = '\0';
        }
        rich_line_data(l, ROLE_NORMAL, m->name, 30, true);
        rich_line_data(l, m->missed ? ROLE_RISK_HIGH : ROLE_DIM, buf, cols - l->width, false);
    }
}

/* The words the store joins for a timeline event ("email (in) · no answer", "message · sent",
 * "call planned · 30 min") in the interface's language: each " · " part whole when the
 * catalog has it, else word by word on its last space ("call" "planned"). Returns out. */
static const char *what_tr(const char *what, char *out, size_t len)
{
    static const char *const words[] = {N_("message"), N_("reminder"), N_("(in)"), N_("post")};
    (void)words; /* for xgettext: the kinds and the direction the store writes */
    size_t o = 0;
    out[0] = '\0';
    for (const char *p = what; *p && o < len;) {
        size_t n = strcspn(p, "·");
        char part[128];
        snprintf(part, sizeof part, "%.*s", (int)n, p);
        size_t pl = strlen(part);
        bool lead = pl && part[0] == ' ', trail = pl && part[pl - 1] == ' ';
        char *w = part + lead;
        if (trail)
            part[pl - 1] = '\0';
        const char *tr = *w ? _(w) : w;
        char *sp = strrchr(w, ' ');
        char two[160];
        if (tr == w && sp) {
            *sp = '\0';
            snprintf(two, sizeof two, "%s %s", _(w), *(sp + 1) ? _(sp + 1) : "");
            tr = two;
        }
        o += (size_t)snprintf(out + o, len - o, "%s%s%s", lead ? " " : "", tr, trail ? " " : "");
        p += n;
        if (*p && o < len) {
            o += (size_t)snprintf(out + o, len - o, "·");
            p += strlen("·");
        }
    }
    return out;
}

/* The newest check-ins, messages and follow-ups, one a line, with their next step. */
static void timeline(struct rbuf *rb, const struct detail *s, int cols)
{
    section(rb, _("Timeline (check-ins, messages, follow-ups; newest first)"));
    if (s->nev == 0)
        rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_DIM,
                      _("   nothing yet: c logs a check-in"));
    for (size_t i = 0; i < s->nev; i++) {
        const struct view_event *e = &s->ev[i];
        char when[48];
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_add(l, ROLE_NORMAL, "   ");
        rich_line_data(l, ROLE_DIM, fmt_when(when, sizeof when, e->at), 16, true);
        rich_line_add(l, ROLE_NORMAL, " ");
        enum role r = e->kind == VIEW_EV_CHECKIN   ? ROLE_ACCENT
                      : e->kind == VIEW_EV_MESSAGE ? ROLE_CELEBRATE
                                                   : ROLE_RISK_WATCH;
        char what[128];
        rich_line_data(l, r, what_tr(e->what, what, sizeof what), 28, true);
        rich_line_add(l, ROLE_NORMAL, " ");
        if (e->author && *e->author) { /* who logged it: a team shares one base */
            char by[128];
            snprintf(by, sizeof by, _("%s: "), e->author); /* "Claire Martin : " in French */
            rich_line_data(l, ROLE_DIM, by, 22, false);
        }
        char *clean = text_clean(e->text, true);
        size_t first = strcspn(clean, "\n");
        clean[first] = '\0';
        rich_line_data(l, ROLE_NORMAL, clean, cols - l->width, false);
        free(clean);
        if (e->kind == VIEW_EV_CHECKIN && *e->extra) {
            l = rich_buf_line(rb, ROLE_NORMAL);
            rich_line_pad_to(l, ROLE_NORMAL, 20);
            rich_line_add(l, ROLE_DIM, _("next: "));
            rich_line_data(l, ROLE_NORMAL, e->extra, cols - l->width, false);
        }
    }
}

/* "yes", "no" or "too early" for a came-back flag (1, 0, -1). */
static const char *came_back(int v)
{
    return v > 0 ? _("yes") : v == 0 ? _("no") : _("too early");
}

/* Outreach effect: for each sent message, activity within 3 / 7 days after it; and the rules
 * that hold the learner out (control group), so the LCM knows why no nudge came. */
static void effects(struct rbuf *rb, const struct detail *s, int cols)
{
    if (s->held[0]) {
        section(rb, _("Control group"));
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_add(l, ROLE_RISK_WATCH, _("   Held out on purpose (no message) by: "));
        rich_line_data(l, ROLE_NORMAL, s->held, cols - l->width, false);
    }
    if (s->nfx == 0)
        return;
    section(rb, _("Outreach effect (back on the platform within 3 / 7 days of each message)"));
    for (size_t i = 0; i < s->nfx; i++) {
        const struct fx_msg *m = &s->fx[i];
        char when[48];
        struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_add(l, ROLE_NORMAL, "   ");
        rich_line_data(l, ROLE_DIM, fmt_when(when, sizeof when, m->sent_at), 16, true);
        rich_line_add(l, ROLE_NORMAL, _(" 3 d: "));
        rich_line_data(l,
                       m->back3 > 0    ? ROLE_OK
                       : m->back3 == 0 ? ROLE_RISK_WATCH
                                       : ROLE_DIM,
                       came_back(m->back3), 10, true);
        rich_line_add(l, ROLE_NORMAL, _("7 d: "));
        rich_line_data(l,
                       m->back7 > 0    ? ROLE_OK
                       : m->back7 == 0 ? ROLE_RISK_WATCH
                                       : ROLE_DIM,
                       came_back(m->back7), 10, true);
        rich_line_data(l, ROLE_ACCENT, *m->tpl ? m->tpl : _("(written)"), 20, true);
        rich_line_add(l, ROLE_NORMAL, " ");
        rich_line_data(l, ROLE_NORMAL, m->subject, cols - l->width, false);
    }
}

/* The recalc op: every section of the open learner, scrolled to s->top (clamped); the
 * focused learner is this one. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    struct detail *s = p->st;
    if (s->stale)
        load(t, s);
    rich_buf_clear(&p->rb);
    s->rows = rows;
    if (!s->have) {
        rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                      _(" No learner open: Enter on a line of the overview opens one."));
        return;
    }
    identity(&p->rb, t, &s->d, cols);
    if (s->question[0]) {
        rich_buf_line(&p->rb, ROLE_NORMAL);
        struct rline *l = rich_buf_line(&p->rb, ROLE_NORMAL);
        /* every key when the line has room for them and a long subject, else R alone */
        const char *keys = _("  R reply · F forward · W close");
        if (cols - text_width(keys) < 72)
            keys = _("  R reply");
        int kw = text_width(keys);
        bool room = cols - kw >= 30;
        rich_line_data(l, ROLE_RISK_WATCH, s->question, room ? cols - kw : cols, false);
        if (room)
            rich_line_add(l, ROLE_DIM, keys);
    }
    progress(&p->rb, t, s, cols);
    reasons(&p->rb, &s->d, cols);
    milestones(&p->rb, s, cols);
    effects(&p->rb, s, cols);
    timeline(&p->rb, s, cols);
    size_t max = p->rb.n > (size_t)rows ? p->rb.n - (size_t)rows : 0;
    if (s->top > max)
        s->top = max;
    p->rb.top = s->top;
    t->focus_enrollment = s->eid;
}

/* The handle op: scrolling (Enter does nothing here); the rest falls to the global actions. */
static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)key;
    struct detail *s = p->st;
    size_t page = s->rows > 2 ? (size_t)s->rows - 2 : 1;
    switch (a) {
    case ACT_DOWN:
        s->top++;
        break;
    case ACT_UP:
        if (s->top)
            s->top--;
        break;
    case ACT_TOP:
        s->top = 0;
        break;
    case ACT_BOTTOM:
        s->top = (size_t)-1 / 2;
        break;
    case ACT_PAGE_DOWN:
        s->top += page;
        break;
    case ACT_PAGE_UP:
        s->top = s->top > page ? s->top - page : 0;
        break;
    case ACT_OPEN:
        return H_HANDLED;
    default:
        (void)t;
        return H_NOT_HANDLED;
    }
    p->dirty = true;
    return H_HANDLED;
}

/* The free op. */
static void free_pane(struct pane *p)
{
    struct detail *s = p->st;
    if (!s)
        return;
    unload(s);
    free(s);
    p->st = NULL;
}

/* The invalidate op: marks the open learner for reload (after a save anywhere). */
static void invalidate(struct pane *p, struct tui *t)
{
    (void)t;
    ((struct detail *)p->st)->stale = true;
    p->dirty = true;
}

static const struct pane_ops ops = {
    .name = "detail",
    .scope = SCOPE_DETAIL,
    .hints =
        N_(" j/k scroll  c check-in  m message  C celebrate  s call  z snooze  Tab next  ? help  "
           "q back"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = NULL,
    .free = free_pane,
    .invalidate = invalidate,
};

void pane_detail_init(struct pane *p, struct tui *t)
{
    (void)t;
    p->ops = &ops;
    p->st = lcm_xcalloc(1, sizeof(struct detail));
    p->dirty = true;
    rich_buf_init(&p->rb);
}
