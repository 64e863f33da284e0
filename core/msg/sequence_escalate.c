/* sequence_escalate.c — the `escalate` rule: drafts to managers. See sequence_escalate.h. */
#include "msg/sequence_escalate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "msg/mail.h"
#include "msg/template.h"
#include "store/store_escalate.h"
#include "store/store_message.h"

struct esc_run {
    struct lcm_store *st;
    const struct seq_config *sc;
    const struct seq_rule *rule;
    const struct seq_run_opts *o;
    struct seq_result *res;
    struct lcm_err *err;
};

/* Renders the template for c in the learner's language (else the default one). */
static enum lcm_status render(struct esc_run *r, const struct store_escalate_cand *e,
                              const char **lang, char **subj, char **body, struct lcm_err *err)
{
    const struct store_seq_cand *c = &e->c;
    char progress[16] = "", days[16] = "", nudges[16], since[DAY_TEXT_LEN] = "";
    if (c->progress >= 0)
        snprintf(progress, sizeof progress, "%d", (int)floor(c->progress * 100 + 1e-9));
    if (c->last_activity_day != DAY_NONE)
        snprintf(days, sizeof days, "%d", r->o->today - c->last_activity_day);
    snprintf(nudges, sizeof nudges, "%d", e->unanswered);
    day_format(day_from_time(e->first_at), since);
    struct tpl_var v[] = {{"first_name", c->first_name},
                          {"last_name", c->last_name},
                          {"course", c->course},
                          {"cohort", c->cohort},
                          {"progress", progress},
                          {"days_inactive", days},
                          {"manager", e->manager},
                          {"nudges", nudges},
                          {"since", since},
                          {"lcm_name", r->sc->lcm_name},
                          {"lcm_email", r->sc->lcm_email},
                          {"platform_url", r->sc->platform_url}};
    size_t nv = sizeof v / sizeof v[0];
    const char *tpl = r->rule->template_name;
    *lang = c->lang && (strcmp(c->lang, "fr") == 0 || strcmp(c->lang, "en") == 0) ? c->lang
                                                                                  : r->sc->lang;
    enum lcm_status rc =
        template_render(r->o->share_dir, r->o->user_dir, tpl, *lang, v, nv, subj, body, err);
    if (rc == LCM_ERR_NOTFOUND && strcmp(*lang, r->sc->lang) != 0) {
        *lang = r->sc->lang;
        rc = template_render(r->o->share_dir, r->o->user_dir, tpl, *lang, v, nv, subj, body, err);
    }
    return rc;
}

static enum lcm_status on_cand(void *ctx, const struct store_escalate_cand *e)
{
    struct esc_run *r = ctx;
    bool due = (r->rule->nudges > 0 && e->unanswered >= r->rule->nudges) ||
               (r->rule->days > 0 && e->first_at <= r->o->now - (int64_t)r->rule->days * 86400);
    if (!due)
        return LCM_OK;
    char key[48];
    snprintf(key, sizeof key, "unanswered:%lld", (long long)e->first_msg_id);
    bool yes = false;
    enum lcm_status rc = store_sequence_fired(r->st, r->rule->name, e->c.enrollment_id,
                                              e->c.learner_id, key, &yes, r->err);
    if (rc != LCM_OK || yes)
        return rc;
    if (!mail_mime_addr_valid(e->manager_email)) {
        r->res->no_address++;
        return LCM_OK;
    }
    const char *lang;
    char *subj = NULL, *body = NULL;
    struct lcm_err te = {0};
    if (render(r, e, &lang, &subj, &body, &te) != LCM_OK) {
        if (r->res->failed++ == 0)
            snprintf(r->res->err_first, sizeof r->res->err_first, "%s", te.msg);
        return LCM_OK;
    }
    /* About the learner (their timeline, their outbox), to the manager; always a draft. */
    struct lcm_message m = {.learner_id = e->c.learner_id,
                            .enrollment_id = e->c.enrollment_id,
                            .template_name = r->rule->template_name,
                            .lang = lang,
                            .rule = r->rule->name,
                            .to_addr = e->manager_email,
                            .subject = subj,
                            .body = body,
                            .status = MSG_DRAFT};
    int64_t id = 0;
    rc = store_message_add(r->st, &m, r->o->now, &id, r->err);
    if (rc == LCM_OK)
        rc = store_sequence_fire(r->st, r->rule->name, e->c.enrollment_id, e->c.learner_id, key,
                                 r->o->today, id, r->err);
    if (rc == LCM_OK) {
        r->res->drafts++;
        if (r->o->made) {
            char who[256];
            snprintf(who, sizeof who, "%s %s", e->c.first_name, e->c.last_name);
            r->o->made(r->o->made_ctx, id, r->rule->name, r->rule->template_name, who,
                       e->manager_email, false);
        }
    }
    free(subj);
    free(body);
    return rc;
}

enum lcm_status sequence_escalate_run(struct lcm_store *st, const struct seq_config *sc,
                                      const struct seq_rule *rule, const struct seq_run_opts *o,
                                      struct seq_result *res, struct lcm_err *err)
{
    struct esc_run r = {st, sc, rule, o, res, err};
    return store_escalate_candidates(st, rule->template_name, on_cand, &r, err);
}
