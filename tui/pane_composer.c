/* pane_composer.c — the message composer: a template filled from the learner, edited in
 * place (lineedit: cursor moves, UTF-8, word wrap) or in $EDITOR, previewed, then saved as a
 * draft or queued in the outbox. For several selected learners the text keeps its
 * placeholders ({first_name}...) and each learner gets a personalised copy. */
#include "base/i18n.h"
#include "tui/pane_composer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/day.h"
#include "base/text.h"
#include "msg/inbox.h"
#include "msg/outbox.h"
#include "msg/sequence.h"
#include "store/store.h"
#include "store/store_inbox.h"
#include "store/store_milestone_done.h"
#include "store/store_view_detail.h"
#include "msg/template.h"
#include "store/store_message.h"
#include "tui/fmt.h"
#include "tui/keymap.h"
#include "tui/lineedit.h"
#include "tui/tui_state.h"

struct composer {
    int64_t *ids;
    size_t n;
    unsigned long claim_key; /* a save refused by another LCM's claim at this key: the same
                                save right after overrides it (logged) */
    char **tpls;
    int ntpl, tpl;
    char lang[8];
    struct lineedit text; /* "Subject: ...\n\nbody" */
    bool generic;         /* several learners: placeholders stay in the text */
    char *generic_text;   /* the template as rendered for several: unchanged, each learner
                             gets the template in their own language */
    int64_t edit_id;      /* editing this stored message (from the outbox), 0: a new one */
    bool edit_draft;      /* ... which is a draft (y then approves it) */
    int64_t reply_id;     /* replying to this question (inbox_reply_body), 0: not a reply */
    char reply_to[300];   /* ... its learner and address, for the header */
    bool confirm_dup;     /* y warned that the same message is already queued: y again queues */
    bool editing;
    char *pristine; /* the text as the template or the stored message gave it (NULL: none) */
    int armed_what; /* a discard asked (enum discard) at key armed_key: the same again does it */
    unsigned long armed_key;
    int preview; /* -1: the text; else the rendered message for learner i */
    char user_dir[4096];
    size_t top;
    int rows, cols;
};

/* Values for a learner's placeholders; a value we cannot know stays "{name}" so the LCM sees
 * the hole and fills it in before queueing. */
struct vars {
    struct tpl_var v[16];
    size_t n;
    char buf[16][256];
};

/* Appends placeholder name with value to vs (at most 16); an unknown (empty) value stays
 * "{name}" in the text, so the LCM sees the hole. */
static void var(struct vars *vs, const char *name, const char *value)
{
    if (vs->n >= 16)
        return;
    if (value && *value)
        snprintf(vs->buf[vs->n], sizeof vs->buf[vs->n], "%s", value);
    else
        snprintf(vs->buf[vs->n], sizeof vs->buf[vs->n], "{%s}", name);
    vs->v[vs->n] = (struct tpl_var){name, vs->buf[vs->n]};
    vs->n++;
}

static const char *const var_names[] = {"first_name", "last_name", "course",        "cohort",
                                        "progress",   "milestone", "days_inactive", "lcm_name",
                                        "lcm_email",  "call_slot", "platform_url",  "login"};
#define N_VARS (sizeof var_names / sizeof *var_names)

/* The placeholders of learner d into vs; d NULL (several learners): every one stays as is. */
static void fill_vars(struct tui *t, const struct view_detail *d, struct vars *vs)
{
    char prog[16] = "", days[16] = "", slot[64] = "";
    vs->n = 0;
    if (!d) { /* generic text: every placeholder stays */
        for (size_t i = 0; i < N_VARS; i++)
            var(vs, var_names[i], NULL);
        return;
    }
    if (d->progress >= 0)
        snprintf(prog, sizeof prog, "%d", (int)(d->progress * 100 + 0.5));
    if (d->last_activity_day != DAY_NONE)
        snprintf(days, sizeof days, "%d", t->today - d->last_activity_day);
    if (d->next_followup_at)
        fmt_when(slot, sizeof slot, d->next_followup_at);
    var(vs, "first_name", d->first_name);
    var(vs, "last_name", d->last_name);
    var(vs, "course", d->program);
    var(vs, "cohort", d->cohort);
    var(vs, "progress", prog);
    var(vs, "milestone", d->celebrate);
    var(vs, "days_inactive", days);
    var(vs, "lcm_name", t->app->cfg.lcm_name);
    var(vs, "lcm_email", t->app->cfg.lcm_email);
    var(vs, "call_slot", slot);
    var(vs, "platform_url", NULL);
    var(vs, "login", d->email);
}

/* The template for learner d: hint ("congrats": the one for the milestone to celebrate), else a
 * nudge by days inactive, a congratulation for a pending milestone, or a call proposal. */
static const char *default_template(struct tui *t, const struct view_detail *d, const char *hint)
{
    int days = d && d->last_activity_day != DAY_NONE ? t->today - d->last_activity_day : 0;
    if (hint && strcmp(hint, "congrats") == 0) {
        /* the milestone still to celebrate, never one already celebrated (the progress alone
         * would offer congrats_75 again to who is at 80 % and was congratulated at 75 %) */
        int pct = d && d->celebrate_threshold >= 0 ? (int)(d->celebrate_threshold * 100 + 0.5) : -1;
        return pct == 100  ? "congrats_100"
               : pct == 75 ? "congrats_75"
               : pct == 50 ? "congrats_50"
               : pct == 25 ? "congrats_25"
                           : "congrats_milestone";
    }
    if (hint)
        return hint;
    if (days >= 21)
        return "nudge_21";
    if (days >= 14)
        return "nudge_14";
    if (days >= 7)
        return "nudge_7";
    if (d && d->celebrate)
        return "congrats_milestone";
    return "call_proposal";
}

/* The editor's text "Subject: ...\n\nbody", malloc'ed (the caller frees it). */
static char *join_message(const char *subject, const char *body)
{
    size_t n = strlen(subject) + strlen(body) + 16;
    char *s = lcm_xmalloc(n);
    snprintf(s, n, "Subject: %s\n\n%s", subject, body);
    return s;
}

/* Splits "Subject: ...\n\nbody" (the editor's text); both malloc'ed. */
static void split_message(const char *text, char **subject, char **body)
{
    const char *p = text;
    if (strncmp(p, "Subject:", 8) == 0) {
        p += 8;
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, "\n");
        *subject = lcm_xmalloc(n + 1);
        memcpy(*subject, p, n);
        (*subject)[n] = '\0';
        p += n;
        while (*p == '\n')
            p++;
    } else {
        *subject = lcm_xstrdup("");
    }
    *body = lcm_xstrdup(p);
}

/* Renders the current template into the editor (for the first learner, or generic). */
static void render_template(struct tui *t, struct composer *c)
{
    if (c->ntpl == 0 || c->n == 0)
        return;
    struct view_detail d;
    struct lcm_err err = {0};
    bool have = !c->generic && store_view_detail(t->st, c->ids[0], t->today, &d, &err) == LCM_OK;
    struct vars vs;
    fill_vars(t, have ? &d : NULL, &vs);
    char *subject = NULL, *body = NULL;
    if (template_render(t->app->share_dir, c->user_dir, c->tpls[c->tpl], c->lang, vs.v, vs.n,
                        &subject, &body, &err) == LCM_OK) {
        char *msg = join_message(subject, body);
        lineedit_set(&c->text, msg);
        c->text.cur = 0;
        free(c->pristine);
        c->pristine = lcm_xstrdup(msg);
        free(c->generic_text);
        c->generic_text = c->generic ? msg : NULL;
        if (!c->generic)
            free(msg);
    } else {
        tui_state_fail(t, &err);
    }
    free(subject);
    free(body);
    if (have)
        store_view_detail_clear(&d);
    c->top = 0;
}

/* Forgets the message in progress: learners, templates, text, edit target. */
static void reset(struct composer *c)
{
    free(c->ids);
    c->ids = NULL;
    c->n = 0;
    template_list_free(&c->tpls);
    c->ntpl = c->tpl = 0;
    lineedit_set(&c->text, "");
    c->editing = false;
    c->preview = -1;
    free(c->generic_text);
    c->generic_text = NULL;
    c->edit_id = 0;
    c->edit_draft = false;
    c->reply_id = 0;
    c->reply_to[0] = '\0';
    free(c->pristine);
    c->pristine = NULL;
    c->armed_what = 0;
    c->confirm_dup = false;
}

/* True when the text holds edits that no save has kept. */
static bool unsaved(const struct composer *c)
{
    return c->n && c->pristine && strcmp(c->pristine, lineedit_text(&c->text)) != 0;
}

/* Before an action that replaces the text: false when nothing would be lost, or when the key
 * just before asked for this very action (the second press confirms); else asks on the status
 * line and returns true (the caller does nothing). */
static bool ask_discard(struct tui *t, struct composer *c, enum composer_discard what)
{
    if (!unsaved(c))
        return false;
    if (c->armed_what == (int)what && c->armed_key + 1 == t->keyno) {
        c->armed_what = 0;
        return false;
    }
    c->armed_what = (int)what;
    c->armed_key = t->keyno;
    tui_state_msg(t, ROLE_RISK_WATCH, "%s",
                  _("the message you edited is not saved: the same key again discards it "
                    "(d keeps it as a draft)"));
    return true;
}

bool pane_composer_keep(struct tui *t, enum composer_discard what)
{
    struct composer *c = t->panes[PANE_COMPOSER].st;
    return ask_discard(t, c, what);
}

/* True when learner eid has a milestone to celebrate; else says so on the status line. */
static bool has_celebration(struct tui *t, int64_t eid)
{
    struct view_detail d;
    struct lcm_err err = {0};
    if (store_view_detail(t->st, eid, t->today, &d, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return false;
    }
    bool yes = d.celebrate != NULL;
    if (!yes)
        tui_state_msg(t, ROLE_STATUS,
                      _("nothing to celebrate for %s %s: every milestone reached is celebrated"),
                      d.first_name, d.last_name);
    store_view_detail_clear(&d);
    return yes;
}

void pane_composer_open(struct tui *t, const int64_t *ids, size_t n, const char *tpl)
{
    struct composer *c = t->panes[PANE_COMPOSER].st;
    if (tpl && strcmp(tpl, "congrats") == 0 && n == 1 && !has_celebration(t, ids[0]))
        return;
    if (ask_discard(t, c, COMPOSER_DISCARD_OPEN))
        return;
    reset(c);
    c->ids = lcm_xmalloc(n * sizeof *ids);
    memcpy(c->ids, ids, n * sizeof *ids);
    c->n = n;
    c->generic = n > 1;
    struct view_detail d;
    struct lcm_err err = {0};
    bool have = store_view_detail(t->st, ids[0], t->today, &d, &err) == LCM_OK;
    const char *lang =
        have && (strcmp(d.lang, "en") == 0 || strcmp(d.lang, "fr") == 0) && !c->generic ? d.lang
        : t->app->cfg.lang ? t->app->cfg.lang
                           : "fr";
    snprintf(c->lang, sizeof c->lang, "%s", lang);
    /* The list in locals until it is complete (the static analyser cannot follow c through
     * the calls in between). */
    char **tpls = NULL;
    int ntpl = 0, pick = 0;
    if (template_list(t->app->share_dir, c->user_dir, c->lang, &tpls, &err) != LCM_OK)
        tui_state_fail(t, &err);
    while (tpls && tpls[ntpl])
        ntpl++;
    const char *want = default_template(t, have ? &d : NULL, tpl);
    for (int i = 0; i < ntpl; i++)
        if (strcmp(tpls[i], want) == 0)
            pick = i;
    c->tpls = tpls;
    c->ntpl = ntpl;
    c->tpl = pick;
    const char *name = ntpl ? tpls[pick] : _("no template");
    if (have)
        store_view_detail_clear(&d);
    render_template(t, c);
    tui_state_show(t, PANE_COMPOSER);
    tui_state_msg(
        t, ROLE_STATUS,
        ngettext("%s for %zu learner: i edit · t template · p preview · y queue · d draft",
                 "%s for %zu learners: i edit · t template · p preview · y queue · d draft",
                 (unsigned long)n),
        name, n);
}

/* Renders the text for learner i: subject and body malloc'ed, or an error. */
/* A learner's own language ("en"/"fr" from learner.lang) when the composer's text is the
 * template untouched, so each learner of several gets the template in their language; else
 * the composer's. */
static const char *learner_lang(const struct composer *c, const struct view_detail *d)
{
    bool untouched = c->generic_text && strcmp(c->generic_text, lineedit_text(&c->text)) == 0;
    if (untouched && d->lang && (strcmp(d->lang, "en") == 0 || strcmp(d->lang, "fr") == 0))
        return d->lang;
    return c->lang;
}

/* The text for learner i: the edited text; for several learners, its placeholders filled
 * for i (or the template rendered in i's own language when the text was left untouched).
 * A placeholder left without a value is LCM_ERR_INVALID naming the learner. On LCM_OK,
 * *subject and *body are malloc'ed and *d filled (the caller frees all three); nothing is
 * left to free on error. */
static enum lcm_status render_for(struct tui *t, struct composer *c, size_t i, char **subject,
                                  char **body, struct view_detail *d, struct lcm_err *err)
{
    *subject = *body = NULL;
    enum lcm_status rc = store_view_detail(t->st, c->ids[i], t->today, d, err);
    if (rc != LCM_OK)
        return rc;
    const char *lang = c->generic ? learner_lang(c, d) : c->lang;
    if (c->generic && strcmp(lang, c->lang) != 0) {
        struct vars vs;
        fill_vars(t, d, &vs);
        rc = template_render(t->app->share_dir, c->user_dir, c->tpls[c->tpl], lang, vs.v, vs.n,
                             subject, body, err);
    } else if (c->generic) {
        struct vars vs;
        fill_vars(t, d, &vs);
        rc = template_render_text("draft", lineedit_text(&c->text), vs.v, vs.n, subject, body, err);
    } else {
        split_message(lineedit_text(&c->text), subject, body);
    }
    if (rc == LCM_OK) {
        char **holes = NULL;
        char *all = join_message(*subject, *body);
        const char *key = NULL;
        if (template_placeholders(all, &holes, err) == LCM_OK && holes && holes[0] &&
            (key = template_config_key(holes[0], strlen(holes[0]))))
            rc = lcm_err_set(err, LCM_ERR_INVALID,
                             _("{%s} has no value: set %s in %s (or type it: i)"), holes[0], key,
                             t->app->cfg.path ? t->app->cfg.path : _("the configuration"));
        else if (holes && holes[0])
            rc = lcm_err_set(err, LCM_ERR_INVALID,
                             _("%s %s: {%s} still has no value: edit the text (i) first"),
                             d->first_name, d->last_name, holes[0]);
        else if (rc == LCM_OK && err->status != LCM_OK)
            rc = LCM_OK; /* placeholder scan refused odd braces: the text is plain text */
        template_list_free(&holes);
        free(all);
    }
    if (rc != LCM_OK) {
        free(*subject);
        free(*body);
        *subject = *body = NULL;
        store_view_detail_clear(d);
    }
    return rc;
}

/* Saves the edited text of stored message c->edit_id; queue approves a draft. */
static enum hres save_edit(struct tui *t, struct composer *c, bool queue)
{
    char *subject, *body;
    struct lcm_err err = {0};
    split_message(lineedit_text(&c->text), &subject, &body);
    int64_t id = c->edit_id;
    enum lcm_status rc = store_begin(t->st, &err);
    if (rc == LCM_OK)
        rc = store_message_edit(t->st, id, subject, body, t->now_ts, &err);
    if (rc == LCM_OK && queue && c->edit_draft)
        rc = store_message_approve(t->st, id, t->now_ts, NULL, &err);
    if (rc == LCM_OK)
        rc = store_commit(t->st, &err);
    else
        store_rollback(t->st);
    free(subject);
    free(body);
    if (rc != LCM_OK)
        return tui_state_fail(t, &err);
    bool draft = c->edit_draft && !queue;
    reset(c);
    tui_state_changed(t);
    tui_state_back(t);
    tui_state_msg(t, ROLE_OK,
                  draft   ? _("message %lld saved (still a draft)")
                  : queue ? _("message %lld saved and queued")
                          : _("message %lld saved"),
                  (long long)id);
    return H_HANDLED;
}

void pane_composer_edit(struct tui *t, int64_t message_id)
{
    struct composer *c = t->panes[PANE_COMPOSER].st;
    struct store_msg_row r;
    struct lcm_err err = {0};
    if (store_message_get(t->st, message_id, &r, &err) != LCM_OK) {
        tui_state_fail(t, &err);
        return;
    }
    if (strcmp(r.status, "draft") != 0 && strcmp(r.status, "queued") != 0) {
        tui_state_msg(t, ROLE_ERROR,
                      _("message %lld is %s: only drafts and queued messages can be edited"),
                      (long long)message_id, _(r.status));
        store_message_row_clear(&r);
        return;
    }
    if (ask_discard(t, c, COMPOSER_DISCARD_OPEN)) {
        store_message_row_clear(&r);
        return;
    }
    reset(c);
    c->ids = lcm_xmalloc(sizeof *c->ids);
    c->ids[0] = r.enrollment_id;
    c->n = 1;
    c->edit_id = message_id;
    c->edit_draft = strcmp(r.status, "draft") == 0;
    snprintf(c->lang, sizeof c->lang, "%s", *r.lang ? r.lang : "fr");
    char *msg = join_message(r.subject, r.body);
    lineedit_set(&c->text, msg);
    c->text.cur = 0;
    c->pristine = msg;
    c->top = 0;
    tui_state_show(t, PANE_COMPOSER);
    tui_state_msg(t, ROLE_STATUS, _("editing message %lld to %s: i edit · E $EDITOR · d save%s"),
                  (long long)message_id, *r.to_addr ? r.to_addr : _("(no address)"),
                  c->edit_draft ? _(" · y save and approve") : "");
    store_message_row_clear(&r);
}

void pane_composer_reply(struct tui *t, int64_t question_id)
{
    struct composer *c = t->panes[PANE_COMPOSER].st;
    struct store_inbox_row q;
    struct lcm_err err = {0};
    char *subject = NULL, *body = NULL;
    if (question_id <= 0) {
        tui_state_msg(t, ROLE_ERROR, "%s", _("no question waiting here"));
        return;
    }
    if (inbox_reply_prefill(t->st, question_id, &subject, &body, &err) != LCM_OK ||
        store_inbox_get(t->st, question_id, &q, &err) != LCM_OK) {
        free(subject);
        free(body);
        tui_state_fail(t, &err);
        return;
    }
    if (ask_discard(t, c, COMPOSER_DISCARD_OPEN)) {
        free(subject);
        free(body);
        store_inbox_row_clear(&q);
        return;
    }
    reset(c);
    c->ids = lcm_xmalloc(sizeof *c->ids);
    c->ids[0] = q.enrollment_id;
    c->n = 1;
    c->reply_id = question_id;
    const char *addr = q.from_addr[0] ? q.from_addr : q.learner_email;
    snprintf(c->reply_to, sizeof c->reply_to, "%s <%s>",
             q.learner_name[0] ? q.learner_name : q.from_name, addr);
    char *msg = join_message(subject, body);
    lineedit_set(&c->text, msg);
    const char *txt = lineedit_text(&c->text), *gap = strstr(txt, "\n\n");
    c->text.cur = gap ? (size_t)(gap - txt) + 2 : 0; /* the empty line above the quotation */
    c->pristine = msg;
    c->top = 0;
    tui_state_show(t, PANE_COMPOSER);
    tui_state_msg(t, ROLE_STATUS, "%s",
                  _("reply: i edit · E $EDITOR · y queue · d draft · Esc cancel"));
    free(subject);
    free(body);
    store_inbox_row_clear(&q);
}

/* Queues (or keeps as a draft) the reply to question c->reply_id: the subject as the LCM left
 * it, the text after it the whole body (it holds the quotation the LCM kept);
 * inbox_reply_body sets the threading headers and answers the question. */
static enum hres save_reply(struct tui *t, struct composer *c, bool draft)
{
    char *subject, *body;
    struct lcm_err err = {0};
    split_message(lineedit_text(&c->text), &subject, &body);
    int64_t id = 0;
    enum lcm_status rc =
        inbox_reply_body(t->st, c->reply_id, subject, body, draft, t->now_ts, &id, &err);
    free(subject);
    free(body);
    if (rc != LCM_OK)
        return tui_state_fail(t, &err);
    reset(c);
    tui_state_changed(t);
    tui_state_back(t);
    tui_state_msg(t, ROLE_OK,
                  draft ? _("reply saved as draft (message %lld); the question is answered")
                        : _("reply queued in the outbox (message %lld); the question is answered"),
                  (long long)id);
    return H_HANDLED;
}

/* Saves the message for every learner as status (a draft, or queued after outbox_add checked
 * the address), in one transaction; a congratulation acknowledges the pending milestones.
 * Then returns to the previous pane. An error names the learner and rolls everything back. */
static enum hres save(struct tui *t, struct composer *c, enum message_status status)
{
    if (c->n == 0)
        return H_HANDLED;
    if (c->edit_id)
        return save_edit(t, c, status == MSG_QUEUED);
    if (c->reply_id)
        return save_reply(t, c, status == MSG_DRAFT);
    struct lcm_err err = {0};
    bool override = c->claim_key && c->claim_key + 1 == t->keyno;
    c->claim_key = 0;
    if (store_begin(t->st, &err) != LCM_OK)
        return tui_state_fail(t, &err);
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; i < c->n && rc == LCM_OK; i++) {
        char *subject, *body;
        struct view_detail d;
        rc = render_for(t, c, i, &subject, &body, &d, &err);
        if (rc != LCM_OK)
            break;
        struct lcm_message m = {.learner_id = d.learner_id,
                                .enrollment_id = d.enrollment_id,
                                .template_name = c->ntpl ? c->tpls[c->tpl] : NULL,
                                .lang = c->generic ? learner_lang(c, &d) : c->lang,
                                .rule = "manual",
                                .to_addr = *d.email ? d.email : NULL,
                                .subject = subject,
                                .body = body,
                                .status = status,
                                .claim_days = sequence_quiet_days(&t->app->cfg),
                                .override = override};
        /* queueing checks the address first (outbox_add): none or an invalid one is refused
         * here, not at sending */
        if (status == MSG_QUEUED)
            rc = outbox_add(t->st, &m, NULL, NULL, t->now_ts, NULL, &err);
        else
            rc = store_message_add(t->st, &m, t->now_ts, NULL, &err);
        if (rc == LCM_ERR_CONFLICT) { /* another LCM's contact: the same key again overrides */
            char why[sizeof err.msg];
            snprintf(why, sizeof why, "%s", err.msg);
            lcm_err_set(&err, rc, _("%s %s: %.300s; the same key again sends anyway"), d.first_name,
                        d.last_name, why);
            c->claim_key = t->keyno;
        } else if (rc != LCM_OK) {
            char why[sizeof err.msg];
            snprintf(why, sizeof why, "%s", err.msg);
            lcm_err_set(&err, rc, "%s %s: %.400s", d.first_name, d.last_name, why);
        }
        /* a congratulation acknowledges the milestones waiting to be celebrated */
        if (rc == LCM_OK && m.template_name && strncmp(m.template_name, "congrats", 8) == 0)
            rc = store_milestone_done_celebrate(t->st, d.enrollment_id, d.learner_id, 0, t->now_ts,
                                                &err);
        free(subject);
        free(body);
        store_view_detail_clear(&d);
    }
    if (rc == LCM_OK)
        rc = store_commit(t->st, &err);
    else
        store_rollback(t->st);
    if (rc != LCM_OK)
        return tui_state_fail(t, &err);
    size_t n = c->n;
    reset(c);
    tui_state_clear_selection(t);
    tui_state_changed(t);
    tui_state_back(t);
    if (status == MSG_QUEUED)
        tui_state_msg(t, ROLE_OK,
                      ngettext("%zu message queued in the outbox",
                               "%zu messages queued in the outbox", (unsigned long)n),
                      n);
    else
        tui_state_msg(t, ROLE_OK,
                      ngettext("%zu message saved as draft", "%zu messages saved as drafts",
                               (unsigned long)n),
                      n);
    return H_HANDLED;
}

/* The recalc op: the header (learners, template, language, mode), then the text being edited
 * with the terminal cursor in it, or the rendered preview for one learner. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    struct composer *c = p->st;
    rich_buf_clear(&p->rb);
    c->rows = rows;
    c->cols = cols;
    if (c->n == 0) {
        rich_line_add(
            rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
            _(" No message in progress: m on a learner (or on several selected with Space)."));
        return;
    }
    struct rline *l = rich_buf_line(&p->rb, ROLE_NORMAL);
    if (c->reply_id) {
        rich_line_add(l, ROLE_HEADER, _(" Reply to "));
        rich_line_data(l, ROLE_ACCENT, c->reply_to, cols > 40 ? cols - 40 : 20, false);
        rich_line_addf(l, ROLE_HEADER, " · %s",
                       c->editing ? _("editing (Esc to stop)") : _("Esc cancels"));
    } else {
        rich_line_addf(l, ROLE_HEADER,
                       ngettext(" To %zu learner · template ", " To %zu learners · template ",
                                (unsigned long)c->n),
                       c->n);
        rich_line_data(l, ROLE_ACCENT, c->ntpl ? c->tpls[c->tpl] : _("(none)"), 24, false);
        rich_line_addf(l, ROLE_HEADER, " · %s · %s", c->lang,
                       c->preview >= 0 ? _("preview")
                       : c->editing    ? _("editing (Esc to stop)")
                                       : _("text"));
    }
    if (c->generic && c->preview < 0)
        rich_line_add(
            rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
            _(" Placeholders like {first_name} are filled for each learner (p previews)."));
    rich_buf_line(&p->rb, ROLE_NORMAL);
    size_t head = p->rb.n;
    int width = cols - 4;
    if (c->preview >= 0) {
        char *subject, *body;
        struct view_detail d;
        struct lcm_err err = {0};
        if (render_for(t, c, (size_t)c->preview, &subject, &body, &d, &err) == LCM_OK) {
            l = rich_buf_line(&p->rb, ROLE_NORMAL);
            rich_line_add(l, ROLE_DIM, _("  To: "));
            rich_line_data(l, ROLE_NORMAL, *d.email ? d.email : _("(no e-mail address)"), width,
                           false);
            char *msg = join_message(subject, body);
            char *clean = text_clean(msg, true);
            rich_buf_wrap(&p->rb, ROLE_NORMAL, clean, width + 2, 2);
            free(clean);
            free(msg);
            free(subject);
            free(body);
            store_view_detail_clear(&d);
        } else {
            rich_line_data(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_ERROR, err.msg, cols, false);
        }
    } else {
        struct le_vline *vl;
        size_t n = lineedit_wrap(&c->text, width, &vl);
        const char *txt = lineedit_text(&c->text);
        for (size_t i = 0; i < n; i++) {
            l = rich_buf_line(&p->rb, ROLE_NORMAL);
            rich_line_add(l, ROLE_NORMAL, "  ");
            size_t len = vl[i].end - vl[i].start;
            char *seg = lcm_xmalloc(len + 1);
            memcpy(seg, txt + vl[i].start, len);
            seg[len] = '\0';
            rich_line_data(l, c->editing ? ROLE_INPUT : ROLE_NORMAL, seg, width, c->editing);
            free(seg);
        }
        free(vl);
        int row, col;
        lineedit_cursor(&c->text, width, &row, &col);
        if (c->editing) {
            p->rb.cursor_y = (int)head + row;
            p->rb.cursor_x = 2 + col;
        }
        /* keep the cursor line visible */
        size_t cy = head + (size_t)row;
        if (cy < c->top + head && c->top > 0)
            c->top = cy > head ? cy - head : 0;
        if (cy >= c->top + (size_t)rows)
            c->top = cy - (size_t)rows + 1;
    }
    size_t max = p->rb.n > (size_t)rows ? p->rb.n - (size_t)rows : 0;
    if (c->top > max)
        c->top = max;
    p->rb.top = c->top;
}

/* A key while editing the text in place: cursor moves, deletions, Emacs-style kills, text.
 * Returns whether the text or the cursor changed. */
static bool edit_key(struct composer *c, int key)
{
    int w = c->cols - 4 > 1 ? c->cols - 4 : 1;
    if (keymap_is_enter(key))
        return lineedit_insert_cp(&c->text, '\n');
    if (keymap_is_backspace(key))
        return lineedit_backspace(&c->text);
    if (keymap_is_delete(key) || key == 4)
        return lineedit_delete(&c->text);
    if (key == keymap_named_key("Left"))
        return lineedit_left(&c->text);
    if (key == keymap_named_key("Right"))
        return lineedit_right(&c->text);
    if (key == keymap_named_key("Up"))
        return lineedit_up(&c->text, w);
    if (key == keymap_named_key("Down"))
        return lineedit_down(&c->text, w);
    if (key == keymap_named_key("Home") || key == 1)
        return lineedit_home(&c->text);
    if (key == keymap_named_key("End") || key == 5)
        return lineedit_end(&c->text);
    if (key == 23)
        return lineedit_kill_word(&c->text);
    if (key == 21)
        return lineedit_kill_to_start(&c->text);
    if (key == 11)
        return lineedit_kill_to_end(&c->text);
    if (!KEY_IS_FN(key) && key >= 0x20)
        return lineedit_insert_cp(&c->text, (uint32_t)key);
    return false;
}

/* The raw_key op: while editing, every key goes to the text (Esc stops editing). */
static enum hres raw_key(struct pane *p, struct tui *t, int key)
{
    struct composer *c = p->st;
    if (!c->editing && c->reply_id && key == 27) {    /* Esc cancels the reply: nothing saved */
        if (ask_discard(t, c, COMPOSER_DISCARD_OPEN)) /* typed text: the same key again */
            return H_HANDLED;
        reset(c);
        tui_state_back(t);
        tui_state_msg(t, ROLE_STATUS, "%s", _("reply cancelled"));
        p->dirty = true;
        return H_HANDLED;
    }
    if (!c->editing)
        return H_NOT_HANDLED;
    if (key == 27)
        c->editing = false;
    else
        edit_key(c, key);
    (void)t;
    p->dirty = true;
    return H_HANDLED;
}

/* $EDITOR: the text goes to a private temporary file; the loop runs the editor on it. */
static void start_editor(struct tui *t, struct composer *c)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(t->editor_path, sizeof t->editor_path, "%s/lcmtui-message-XXXXXX.txt",
             tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemps(t->editor_path, 4);
    if (fd < 0) {
        tui_state_msg(t, ROLE_ERROR, _("cannot create a temporary file: %s"), strerror(errno));
        t->editor_path[0] = '\0';
        return;
    }
    fchmod(fd, 0600);
    const char *txt = lineedit_text(&c->text);
    size_t n = strlen(txt);
    bool ok = write(fd, txt, n) == (ssize_t)n && write(fd, "\n", 1) == 1;
    close(fd);
    if (!ok) {
        tui_state_msg(t, ROLE_ERROR, _("cannot write %s"), t->editor_path);
        unlink(t->editor_path);
        t->editor_path[0] = '\0';
    }
}

/* The edited op: the loop ran $EDITOR on t->editor_path (start_editor's file); its text
 * replaces the message, and the file is removed. */
static void edited(struct pane *p, struct tui *t)
{
    struct composer *c = p->st;
    FILE *f = fopen(t->editor_path, "r");
    if (f) {
        char *buf = lcm_xmalloc(256 * 1024);
        size_t n = fread(buf, 1, 256 * 1024 - 1, f);
        buf[n] = '\0';
        while (n > 0 && buf[n - 1] == '\n')
            buf[--n] = '\0';
        fclose(f);
        lineedit_set(&c->text, buf);
        free(buf);
    }
    unlink(t->editor_path);
    t->editor_path[0] = '\0';
    p->dirty = true;
}

/* The handle op: i edit, E $EDITOR, t next template, p preview, d draft, y queue, scrolling. */
/* True (and a warning on the status line, c->confirm_dup set) when one of the learners
 * already has the same template's message queued: a second identical nudge asks first. */
static bool already_queued(struct tui *t, struct composer *c)
{
    const char *tpl = c->ntpl ? c->tpls[c->tpl] : NULL;
    for (size_t i = 0; tpl && i < c->n; i++) {
        int64_t id = 0;
        struct lcm_err err = {0};
        if (store_message_pending_like(t->st, c->ids[i], tpl, &id, &err) != LCM_OK || !id)
            continue;
        struct view_detail d;
        bool have = store_view_detail(t->st, c->ids[i], t->today, &d, &err) == LCM_OK;
        tui_state_msg(t, ROLE_RISK_WATCH,
                      _("%s %s already has %s queued (message %lld): y again to queue another"),
                      have ? d.first_name : "", have ? d.last_name : "", tpl, (long long)id);
        if (have)
            store_view_detail_clear(&d);
        c->confirm_dup = true;
        return true;
    }
    return false;
}

static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)key;
    struct composer *c = p->st;
    if (c->n == 0 && a != ACT_BACK)
        return H_NOT_HANDLED;
    bool confirmed = c->confirm_dup;
    c->confirm_dup = false; /* any other key: the next y asks again */
    if (a == ACT_QUEUE)
        c->confirm_dup = confirmed;
    switch (a) {
    case ACT_EDIT:
        c->editing = true;
        c->preview = -1;
        break;
    case ACT_EDITOR:
        c->preview = -1;
        start_editor(t, c);
        break;
    case ACT_TEMPLATE:
        if (c->ntpl && !c->reply_id && !ask_discard(t, c, COMPOSER_DISCARD_TEMPLATE)) {
            c->tpl = (c->tpl + 1) % c->ntpl;
            render_template(t, c);
            tui_state_msg(t, ROLE_STATUS, _("template %s"), c->tpls[c->tpl]);
        }
        break;
    case ACT_PREVIEW:
        if (c->reply_id)
            break; /* one learner, the text is the message */
        c->preview = c->preview + 1 < (int)c->n ? c->preview + 1 : -1;
        c->top = 0;
        break;
    case ACT_DRAFT:
        return save(t, c, MSG_DRAFT);
    case ACT_QUEUE:
        if (!c->edit_id && !c->confirm_dup && already_queued(t, c))
            return H_HANDLED;
        return save(t, c, MSG_QUEUED);
    case ACT_DOWN:
        c->top++;
        break;
    case ACT_UP:
        if (c->top)
            c->top--;
        break;
    case ACT_PAGE_DOWN:
        c->top += 10;
        break;
    case ACT_PAGE_UP:
        c->top = c->top > 10 ? c->top - 10 : 0;
        break;
    default:
        return H_NOT_HANDLED;
    }
    p->dirty = true;
    return H_HANDLED;
}

/* The free op. */
static void free_pane(struct pane *p)
{
    struct composer *c = p->st;
    if (!c)
        return;
    reset(c);
    lineedit_free(&c->text);
    free(c);
    p->st = NULL;
}

static const struct pane_ops ops = {
    .name = "composer",
    .scope = SCOPE_COMPOSER,
    .hints = N_(" i edit  E $EDITOR  t template  p preview  d draft  y queue  ? help  q back"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = raw_key,
    .free = free_pane,
    .edited = edited,
};

void pane_composer_init(struct pane *p, struct tui *t)
{
    (void)t;
    struct composer *c = lcm_xcalloc(1, sizeof *c);
    lineedit_init(&c->text, "", true);
    c->text.max = 64 * 1024;
    c->preview = -1;
    if (!template_user_dir(c->user_dir, sizeof c->user_dir))
        c->user_dir[0] = '\0';
    p->ops = &ops;
    p->st = c;
    p->dirty = true;
    rich_buf_init(&p->rb);
}
