/* pane_outbox.c — the outbox (key O): drafts waiting for approval (from the sequences or the
 * composer), queued, failed with the server's reply, and sent messages. Approve one (y) or
 * every draft (A, asked twice), edit a draft in the composer (e), skip one (x: a draft at
 * once, a queued or failed message asked twice), queue a failed one again (R), take one back
 * to draft (u: the one just approved or skipped, else the queued or skipped one under the
 * cursor), show the skipped ones (v). After y or x the cursor stays on the same line (the
 * next message comes under it), never follows the changed message elsewhere in the list.
 * Delivery itself is `lcmtui outbox send` (cron); this pane never sends. */
#include "base/i18n.h"
#include "tui/pane_outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "store/store_message.h"
#include "tui/fmt.h"
#include "tui/pane_composer.h"
#include "tui/pane_detail.h"
#include "tui/tui_state.h"

#define OUTBOX_PER_STATUS 300

struct ob_row {
    int64_t id, enrollment_id;
    char status[12];
    char *who, *subject, *error, *tpl;
    int64_t at; /* sent_at for sent ones, else updated_at */
    int attempts;
};

struct outbox {
    bool stale;
    struct ob_row *v;
    size_t n, cap, cur;
    struct store_msg_counts counts;
    bool confirm_all;   /* A pressed once: the second A approves every draft */
    bool show_skipped;  /* v: the skipped messages are listed too (last) */
    bool keep_index;    /* the next load keeps the cursor's line, not its message */
    int64_t armed_skip; /* x pressed once on this queued/failed message (at key armed_key) */
    unsigned long armed_key;
    int64_t last_id; /* the message the last y or x changed (at key last_key): u undoes it */
    unsigned long last_key;
};

/* Frees the rows' strings (the array stays, empty). */
static void rows_free(struct outbox *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->v[i].who);
        free(o->v[i].subject);
        free(o->v[i].error);
        free(o->v[i].tpl);
    }
    o->n = 0;
}

/* store_message_each callback: appends a copy of message r to the list. */
static enum lcm_status add_row(void *ctx, const struct store_msg_row *r)
{
    struct outbox *o = ctx;
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 64;
        o->v = lcm_xrealloc(o->v, o->cap * sizeof *o->v);
    }
    struct ob_row *w = &o->v[o->n++];
    memset(w, 0, sizeof *w);
    w->id = r->id;
    w->enrollment_id = r->enrollment_id;
    snprintf(w->status, sizeof w->status, "%s", r->status);
    bool post = strcmp(r->channel, "post") == 0; /* to a cohort's channel: "#Cohorte B1" */
    size_t len = strlen(r->to_name) + strlen(r->to_addr) + 4;
    w->who = lcm_xmalloc(len);
    if (post)
        snprintf(w->who, len, "%s", r->to_name);
    else
        snprintf(w->who, len, "%s%s%s%s", r->to_name, *r->to_name ? " <" : "",
                 *r->to_addr ? r->to_addr : _("no address"), *r->to_name ? ">" : "");
    w->subject = lcm_xstrdup(r->subject);
    w->error = lcm_xstrdup(r->error);
    w->tpl = lcm_xstrdup(post ? _("post") : r->template_name);
    /* a post not sent yet shows when it is to go */
    w->at = r->sent_at ? r->sent_at : post && r->not_before ? r->not_before : r->updated_at;
    w->attempts = r->attempts;
    return LCM_OK;
}

/* Reloads the messages (drafts first, then failed, queued, sending, sent; at most
 * OUTBOX_PER_STATUS each) and the counts, keeping the cursor on the same message. */
static void load(struct tui *t, struct outbox *o)
{
    /* N_: the status word is shown translated (the others are in base/model.c) */
    static const char *const order[] = {"draft",   "failed", "queued",
                                        "sending", "sent",   N_("skipped")};
    size_t norder = sizeof order / sizeof *order - (o->show_skipped ? 0 : 1);
    int64_t keep = o->n && o->cur < o->n && !o->keep_index ? o->v[o->cur].id : 0;
    o->keep_index = false;
    rows_free(o);
    o->stale = false;
    struct lcm_err err = {0};
    for (size_t s = 0; s < norder; s++)
        if (store_message_each(t->st, order[s], 0, OUTBOX_PER_STATUS, add_row, o, &err) != LCM_OK) {
            tui_state_fail(t, &err);
            break;
        }
    if (store_message_counts(t->st, &o->counts, &err) != LCM_OK)
        tui_state_fail(t, &err);
    for (size_t i = 0; keep && i < o->n; i++)
        if (o->v[i].id == keep)
            o->cur = i;
    if (o->cur >= o->n)
        o->cur = o->n ? o->n - 1 : 0;
}

/* The invalidate op: the messages are reloaded at the next recalc. */
static void invalidate(struct pane *p, struct tui *t)
{
    (void)t;
    ((struct outbox *)p->st)->stale = true;
    p->dirty = true;
}

/* The colour role of a message status. */
static enum role status_role(const char *s)
{
    if (strcmp(s, "draft") == 0)
        return ROLE_RISK_WATCH;
    if (strcmp(s, "failed") == 0)
        return ROLE_ERROR;
    if (strcmp(s, "sent") == 0)
        return ROLE_OK;
    return ROLE_ACCENT;
}

/* The recalc op: the counts, then one line a message (status, when, to, subject, error), the
 * cursor kept in view; the focused learner is the cursor's. */
static void recalc(struct pane *p, struct tui *t, int rows, int cols)
{
    struct outbox *o = p->st;
    if (o->stale)
        load(t, o);
    rich_buf_clear(&p->rb);
    const struct store_msg_counts *c = &o->counts;
    struct rline *l = rich_buf_line(&p->rb, ROLE_NORMAL);
    rich_line_addf(
        l, ROLE_HEADER,
        ngettext(" Outbox · %lld draft to approve · %lld queued · %lld failed · %lld sent",
                 " Outbox · %lld drafts to approve · %lld queued · %lld failed · %lld sent",
                 (unsigned long)c->draft),
        (long long)c->draft, (long long)(c->queued + c->sending), (long long)c->failed,
        (long long)c->sent);
    if (c->skipped)
        rich_line_addf(l, ROLE_DIM,
                       o->show_skipped ? _(" · %lld skipped (v hides them)")
                                       : _(" · %lld skipped (v shows them)"),
                       (long long)c->skipped);
    rich_buf_line(&p->rb, ROLE_NORMAL);
    size_t cursor_line = 0;
    for (size_t i = 0; i < o->n; i++) {
        const struct ob_row *r = &o->v[i];
        bool cur = i == o->cur;
        enum role base = cur ? ROLE_CURSOR : ROLE_NORMAL;
        l = rich_buf_line(&p->rb, base);
        if (cur)
            cursor_line = p->rb.n - 1;
        char when[48];
        rich_line_add(l, base, " ");
        rich_line_data(l, cur ? base : status_role(r->status), _(r->status), 10, true);
        rich_line_data(l, cur ? base : ROLE_DIM, fmt_when_short(when, sizeof when, r->at, t->today),
                       12, true);
        rich_line_add(l, base, " ");
        rich_line_data(l, base, r->who, 40, true);
        rich_line_add(l, base, " ");
        rich_line_data(l, base, *r->subject ? r->subject : _("(no subject)"), cols - l->width,
                       false);
        if (*r->error && strcmp(r->status, "sent") != 0) {
            l = rich_buf_line(&p->rb, ROLE_NORMAL);
            rich_line_addf(l, ROLE_DIM,
                           ngettext("          %d attempt: ", "          %d attempts: ",
                                    (unsigned long)r->attempts),
                           r->attempts);
            rich_line_data(l, ROLE_ERROR, r->error, cols - l->width, false);
        }
    }
    if (o->n == 0)
        rich_line_add(rich_buf_line(&p->rb, ROLE_NORMAL), ROLE_DIM,
                      _(" The outbox is empty: m on a learner writes a message."));
    p->rb.top = cursor_line >= (size_t)rows - 1 ? cursor_line - (size_t)rows + 2 : 0;
    t->focus_enrollment = o->n ? o->v[o->cur].enrollment_id : 0;
}

/* Runs one store change on the cursor's message; reloads and reports. */
static enum hres act(struct tui *t, struct outbox *o, enum action a)
{
    struct lcm_err err = {0};
    enum lcm_status rc;
    if (a == ACT_APPROVE_ALL) {
        if (!o->confirm_all) {
            o->confirm_all = true;
            tui_state_msg(t, ROLE_RISK_WATCH, _("approve all %lld drafts? A again to queue them"),
                          (long long)o->counts.draft);
            return H_HANDLED;
        }
        int n = 0;
        if (store_message_approve(t->st, 0, t->now_ts, &n, &err) != LCM_OK)
            return tui_state_fail(t, &err);
        tui_state_changed(t);
        tui_state_msg(t, ROLE_OK,
                      ngettext("%d draft approved: queued for `lcmtui outbox send`",
                               "%d drafts approved: queued for `lcmtui outbox send`",
                               (unsigned long)n),
                      n);
        return H_HANDLED;
    }
    bool undo = a == ACT_TO_DRAFT && o->last_id && o->last_key + 1 == t->keyno;
    if (o->n == 0 && !undo)
        return H_HANDLED;
    const struct ob_row *r = o->n ? &o->v[o->cur] : NULL;
    int64_t id = undo ? o->last_id : r->id;
    const char *done = "";
    switch (a) {
    case ACT_APPROVE:
        rc = store_message_approve(t->st, id, t->now_ts, NULL, &err);
        done = _("approved: queued (u takes it back)");
        break;
    case ACT_SKIP:
        if (strcmp(r->status, "draft") != 0 &&
            (o->armed_skip != id || o->armed_key + 1 != t->keyno)) {
            o->armed_skip = id;
            o->armed_key = t->keyno;
            tui_state_msg(t, ROLE_RISK_WATCH, _("message %lld is %s, to %s: x again skips it"),
                          (long long)id, _(r->status), r->who);
            return H_HANDLED;
        }
        rc = store_message_skip(t->st, id, t->now_ts, &err);
        done = _("skipped: it will not be sent (u restores it, v shows the skipped)");
        break;
    case ACT_RETRY:
        rc = store_message_requeue(t->st, id, t->now_ts, &err);
        done = _("queued again");
        break;
    case ACT_TO_DRAFT:
        rc = store_message_to_draft(t->st, id, t->now_ts, &err);
        done = _("back to draft: it waits for approval");
        break;
    default:
        return H_NOT_HANDLED;
    }
    o->armed_skip = 0;
    if (rc != LCM_OK)
        return tui_state_fail(t, &err);
    if (a == ACT_APPROVE || a == ACT_SKIP) {
        o->last_id = id;
        o->last_key = t->keyno;
        o->keep_index = true;
    } else {
        o->last_id = 0;
    }
    tui_state_changed(t);
    tui_state_msg(t, ROLE_OK, _("message %lld %s"), (long long)id, done);
    return H_HANDLED;
}

/* The handle op: moves, y approve, A twice approve all, x skip, R retry, u back to draft, v
 * skipped shown, e edit in the composer, Enter the learner's detail. */
static enum hres handle(struct pane *p, struct tui *t, enum action a, int key)
{
    (void)key;
    struct outbox *o = p->st;
    bool confirm = o->confirm_all;
    o->confirm_all = false;
    switch (a) {
    case ACT_DOWN:
        if (o->cur + 1 < o->n)
            o->cur++;
        break;
    case ACT_UP:
        if (o->cur)
            o->cur--;
        break;
    case ACT_TOP:
        o->cur = 0;
        break;
    case ACT_BOTTOM:
        o->cur = o->n ? o->n - 1 : 0;
        break;
    case ACT_PAGE_DOWN:
        o->cur = o->cur + 10 < o->n ? o->cur + 10 : (o->n ? o->n - 1 : 0);
        break;
    case ACT_PAGE_UP:
        o->cur = o->cur > 10 ? o->cur - 10 : 0;
        break;
    case ACT_APPROVE_ALL:
        o->confirm_all = confirm;
        return act(t, o, a);
    case ACT_APPROVE:
    case ACT_SKIP:
    case ACT_RETRY:
    case ACT_TO_DRAFT:
        return act(t, o, a);
    case ACT_SHOW_SKIPPED:
        o->show_skipped = !o->show_skipped;
        o->stale = true;
        tui_state_msg(t, ROLE_STATUS, "%s",
                      o->show_skipped ? _("skipped messages shown (u restores one)")
                                      : _("skipped messages hidden"));
        break;
    case ACT_EDIT_MESSAGE:
        if (o->n)
            pane_composer_edit(t, o->v[o->cur].id);
        return H_HANDLED;
    case ACT_OPEN:
        if (o->n && o->v[o->cur].enrollment_id)
            pane_detail_open(t, o->v[o->cur].enrollment_id);
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
    struct outbox *o = p->st;
    if (!o)
        return;
    rows_free(o);
    free(o->v);
    free(o);
    p->st = NULL;
}

static const struct pane_ops ops = {
    .name = "outbox",
    .scope = SCOPE_OUTBOX,
    .hints = N_(
        " y approve  A all  e edit  x skip  u to draft  v skipped  R retry  Enter detail  ? help"),
    .recalc = recalc,
    .handle = handle,
    .raw_key = NULL,
    .free = free_pane,
    .invalidate = invalidate,
};

void pane_outbox_init(struct pane *p, struct tui *t)
{
    (void)t;
    struct outbox *o = lcm_xcalloc(1, sizeof *o);
    o->stale = true;
    p->ops = &ops;
    p->st = o;
    p->dirty = true;
    rich_buf_init(&p->rb);
}
