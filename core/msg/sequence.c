/* sequence.c — sequence rules: config, candidates, drafts. See sequence.h. */
#include "msg/sequence.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "msg/mail.h"
#include "msg/sequence_escalate.h"
#include "base/model.h"
#include "store/store.h"
#include "store/store_message.h"
#include "store/store_sequence.h"
#include "msg/template.h"

static const char *const seq_keys[] = {"enabled",      "quiet_days",  "platform_url", "rules",
                                       "holdout_seed", "holdout_min", "holdout",      NULL};
static const char *const rule_keys[] = {
    "name", "on",     "days",    "within_days",     "until_days", "template",
    "auto", "nudges", "holdout", "holdout_at_risk", NULL};

static const struct seq_rule default_rules[] = {
    {"congrats", SEQ_MILESTONE, 3, 0, "", false, 0, 0, false},
    {"nudge_7", SEQ_INACTIVE, 7, 0, "nudge_7", false, 0, 0, false},
    {"nudge_14", SEQ_INACTIVE, 14, 0, "nudge_14", false, 0, 0, false},
    {"nudge_21", SEQ_INACTIVE, 21, 0, "nudge_21", false, 0, 0, false},
    {"not_started", SEQ_NOT_STARTED, 7, 0, "not_started", false, 0, 0, false},
};

void sequence_config_free(struct seq_config *sc)
{
    if (!sc)
        return;
    for (size_t i = 0; i < sc->n; i++) {
        free(sc->rules[i].name);
        free(sc->rules[i].template_name);
    }
    free(sc->rules);
    free(sc->lang);
    free(sc->lcm_name);
    free(sc->lcm_email);
    free(sc->platform_url);
    free(sc->holdout_seed);
    memset(sc, 0, sizeof *sc);
}

static bool plain_name(const char *s, bool empty_ok)
{
    if (!s || (!*s && !empty_ok) || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* An `escalate` rule: nudges and days (at least one), always drafts. */
static enum lcm_status load_escalate(const config_setting_t *r, const char *name, const char *tpl,
                                     const char *where, struct seq_rule *out, struct lcm_err *err)
{
    out->on = SEQ_ESCALATE;
    if (!tpl)
        tpl = "escalate_manager";
    if (!plain_name(tpl, false))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: sequences rule %s needs a template name"),
                           where, name);
    bool auto_queue = false;
    if (config_get_int(r, "nudges", 2, 0, 50, &out->nudges, err) ||
        config_get_int(r, "days", 0, 0, 3650, &out->days, err) ||
        config_get_bool(r, "auto", false, &auto_queue, err))
        return err ? err->status : LCM_ERR_CONFIG;
    if (auto_queue)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: sequences rule %s: an escalation to the manager is always a "
                             "draft (auto = true refused)"),
                           where, name);
    if (out->nudges == 0 && out->days == 0)
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: sequences rule %s: set nudges or days (or both)"), where, name);
    out->name = lcm_xstrdup(name);
    out->template_name = lcm_xstrdup(tpl);
    return LCM_OK;
}

/* One element of the rules list. */
static enum lcm_status load_rule(const config_setting_t *r, int holdout, struct seq_rule *out,
                                 const struct lcm_report *rep, struct lcm_err *err)
{
    char where[300];
    config_where(r, where, sizeof where);
    if (!config_setting_is_group(r))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: each sequences.rules entry is a { group }"),
                           where);
    config_check_keys(r, rule_keys, rep);
    const char *name = NULL, *on = NULL, *tpl = NULL;
    if (config_get_string(r, "name", NULL, &name, err) ||
        config_get_string(r, "on", NULL, &on, err) ||
        config_get_string(r, "template", NULL, &tpl, err))
        return err ? err->status : LCM_ERR_CONFIG;
    if (!plain_name(name, false))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: sequences rule needs a name of letters, "
                             "digits, _ or -"),
                           where);
    if (on && strcmp(on, "escalate") == 0)
        return load_escalate(r, name, tpl, where, out, err);
    if (!on || (strcmp(on, "inactive") && strcmp(on, "not_started") && strcmp(on, "milestone")))
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: sequences rule %s: on must be \"inactive\", \"not_started\", "
                             "\"milestone\" or \"escalate\""),
                           where, name);
    out->on = strcmp(on, "inactive") == 0      ? SEQ_INACTIVE
              : strcmp(on, "not_started") == 0 ? SEQ_NOT_STARTED
                                               : SEQ_MILESTONE;
    if (!tpl)
        tpl = out->on == SEQ_MILESTONE ? "" : NULL;
    if (!plain_name(tpl, out->on == SEQ_MILESTONE))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: sequences rule %s needs a template name"),
                           where, name);
    if (out->on == SEQ_MILESTONE) {
        if (config_get_int(r, "within_days", 3, 0, 365, &out->days, err))
            return err ? err->status : LCM_ERR_CONFIG;
    } else if (config_get_int(r, "days", 7, 1, 3650, &out->days, err) ||
               config_get_int(r, "until_days", 0, 0, 3650, &out->until_days, err)) {
        return err ? err->status : LCM_ERR_CONFIG;
    }
    bool at_risk = true;
    if (config_get_bool(r, "auto", false, &out->auto_queue, err) ||
        config_get_int(r, "holdout", holdout, 0, 90, &out->holdout, err) ||
        config_get_bool(r, "holdout_at_risk", true, &at_risk, err))
        return err ? err->status : LCM_ERR_CONFIG;
    out->spare_at_risk = !at_risk;
    out->name = lcm_xstrdup(name);
    out->template_name = lcm_xstrdup(tpl);
    return LCM_OK;
}

static enum lcm_status load_rules(const config_setting_t *g, int holdout, struct seq_config *sc,
                                  const struct lcm_report *rep, struct lcm_err *err)
{
    const config_setting_t *list = g ? config_setting_get_member(g, "rules") : NULL;
    if (!list) {
        size_t n = sizeof default_rules / sizeof default_rules[0];
        sc->rules = lcm_xcalloc(n, sizeof *sc->rules);
        for (size_t i = 0; i < n; i++) {
            sc->rules[i] = default_rules[i];
            sc->rules[i].name = lcm_xstrdup(default_rules[i].name);
            sc->rules[i].template_name = lcm_xstrdup(default_rules[i].template_name);
            sc->rules[i].holdout = holdout;
        }
        sc->n = n;
        return LCM_OK;
    }
    char where[300];
    if (!config_setting_is_list(list) && !config_setting_is_array(list))
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: sequences.rules must be a list ( ... )"),
                           config_where(list, where, sizeof where));
    int n = config_setting_length(list);
    sc->rules = lcm_xcalloc((size_t)n + 1, sizeof *sc->rules);
    for (int i = 0; i < n; i++) {
        const config_setting_t *r = config_setting_get_elem(list, (unsigned)i);
        enum lcm_status rc = load_rule(r, holdout, &sc->rules[sc->n], rep, err);
        if (rc != LCM_OK)
            return rc;
        sc->n++;
        for (size_t j = 0; j + 1 < sc->n; j++)
            if (strcmp(sc->rules[j].name, sc->rules[sc->n - 1].name) == 0)
                return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: sequences rule %s defined twice"),
                                   config_where(r, where, sizeof where), sc->rules[j].name);
    }
    return LCM_OK;
}

enum lcm_status sequence_config_load(const struct lcm_config *cfg, struct seq_config *out,
                                     const struct lcm_report *rep, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    const config_setting_t *g = config_section(cfg, "sequences");
    config_check_keys(g, seq_keys, rep);
    const char *url = NULL, *seed = NULL;
    int holdout = 0;
    enum lcm_status rc = LCM_OK;
    if (config_get_bool(g, "enabled", true, &out->enabled, err) ||
        config_get_int(g, "quiet_days", 3, 0, 365, &out->quiet_days, err) ||
        config_get_string(g, "platform_url", "", &url, err) ||
        config_get_string(g, "holdout_seed", "lcmtui", &seed, err) ||
        config_get_int(g, "holdout_min", 20, 1, 100000, &out->holdout_min, err) ||
        config_get_int(g, "holdout", 0, 0, 90, &holdout, err))
        rc = err ? err->status : LCM_ERR_CONFIG;
    if (rc == LCM_OK)
        rc = load_rules(g, holdout, out, rep, err);
    out->platform_url = lcm_xstrdup(url ? url : "");
    out->holdout_seed = lcm_xstrdup(seed ? seed : "lcmtui");
    out->lang = lcm_xstrdup(cfg->lang && *cfg->lang ? cfg->lang : "fr");
    out->lcm_name = lcm_xstrdup(cfg->lcm_name ? cfg->lcm_name : "");
    out->lcm_email = lcm_xstrdup(cfg->lcm_email ? cfg->lcm_email : "");
    if (rc != LCM_OK)
        sequence_config_free(out);
    return rc;
}

/* The state of one run, passed to the candidate callbacks. */
struct run {
    struct lcm_store *st;
    const struct seq_config *sc;
    const struct seq_run_opts *o;
    const struct seq_rule *rule;
    int next_rung; /* inactive: the next higher inactive rule's days (INT32_MAX: none) */
    struct seq_result *res;
    struct lcm_err *err;
};

/* congrats_25 .. congrats_100 for progress milestones at those thresholds. */
static const char *milestone_template(const struct store_seq_cand *c, char *buf, size_t len)
{
    if (strcmp(c->milestone_kind, "progress") == 0 && c->threshold > 0) {
        int pct = (int)lround(c->threshold * 100);
        if (pct == 25 || pct == 50 || pct == 75 || pct == 100) {
            snprintf(buf, len, "congrats_%d", pct);
            return buf;
        }
    }
    return "congrats_milestone";
}

/* Renders the rule's template for c, in the learner's language when it exists. */
static enum lcm_status render(struct run *r, const struct store_seq_cand *c, const char *tpl,
                              const char **lang, char **subj, char **body, struct lcm_err *e)
{
    char progress[16] = "", days[16] = "";
    if (c->progress >= 0)
        snprintf(progress, sizeof progress, "%d", (int)floor(c->progress * 100 + 1e-9));
    int since = r->rule->on == SEQ_NOT_STARTED ? c->start_day : c->last_activity_day;
    if (since != DAY_NONE)
        snprintf(days, sizeof days, "%d", r->o->today - since);
    struct tpl_var v[] = {{"first_name", c->first_name},   {"last_name", c->last_name},
                          {"course", c->course},           {"cohort", c->cohort},
                          {"progress", progress},          {"days_inactive", days},
                          {"milestone", c->milestone},     {"lcm_name", r->sc->lcm_name},
                          {"lcm_email", r->sc->lcm_email}, {"platform_url", r->sc->platform_url}};
    size_t nv = sizeof v / sizeof v[0];
    *lang = c->lang && (strcmp(c->lang, "fr") == 0 || strcmp(c->lang, "en") == 0) ? c->lang
                                                                                  : r->sc->lang;
    enum lcm_status rc =
        template_render(r->o->share_dir, r->o->user_dir, tpl, *lang, v, nv, subj, body, e);
    if (rc == LCM_ERR_NOTFOUND && strcmp(*lang, r->sc->lang) != 0) {
        *lang = r->sc->lang;
        rc = template_render(r->o->share_dir, r->o->user_dir, tpl, *lang, v, nv, subj, body, e);
    }
    return rc;
}

bool sequence_holdout_pick(const char *seed, const char *rule, int64_t learner_id, int percent)
{
    if (percent <= 0)
        return false;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)learner_id);
    const char *parts[] = {seed ? seed : "", rule ? rule : "", id};
    uint64_t h = 14695981039346656037u; /* FNV-1a 64 */
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        for (const unsigned char *p = (const unsigned char *)parts[i];; p++) {
            h = (h ^ *p) * 1099511628211u; /* the NUL too: "ab"+"c" is not "a"+"bc" */
            if (!*p)
                break;
        }
    /* splitmix64's finaliser: FNV's low digits follow the last bytes too closely */
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9u;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebu;
    h ^= h >> 31;
    return (int)(h % 10000) < percent * 100;
}

int sequence_quiet_days(const struct lcm_config *cfg)
{
    const config_setting_t *g = cfg ? config_section(cfg, "sequences") : NULL;
    int v = 3;
    if (g && config_get_int(g, "quiet_days", 3, 0, 365, &v, NULL) != LCM_OK)
        v = 3;
    return v;
}

int sequence_holdout_min(const struct lcm_config *cfg)
{
    const config_setting_t *g = cfg ? config_section(cfg, "sequences") : NULL;
    int v = 20;
    if (g && config_get_int(g, "holdout_min", 20, 1, 100000, &v, NULL) != LCM_OK)
        v = 20;
    return v;
}

/* Whether c's episode is held out by the rule (see sequence.h); counts it in res->held.
 * *drawn: it went through the draw (the rule keeps a holdout that does not spare it). */
static enum lcm_status hold_out(struct run *r, const struct store_seq_cand *c, bool *yes,
                                bool *drawn)
{
    *yes = *drawn = false;
    const struct seq_rule *rule = r->rule;
    if (rule->holdout <= 0 || (rule->spare_at_risk && c->risk_level >= 2))
        return LCM_OK;
    *drawn = true;
    enum lcm_status rc = store_sequence_held_learner(r->st, rule->name, c->learner_id, yes, r->err);
    if (rc == LCM_OK && !*yes)
        *yes = sequence_holdout_pick(r->sc->holdout_seed, rule->name, c->learner_id, rule->holdout);
    if (rc == LCM_OK && *yes)
        r->res->held++;
    return rc;
}

/* Creates the message for c (when nothing keeps it back) and records the firing. */
static enum lcm_status make(struct run *r, const struct store_seq_cand *c, const char *key,
                            const char *tpl)
{
    int64_t since = r->o->now - (int64_t)r->sc->quiet_days * 86400;
    struct store_seq_check k;
    enum lcm_status rc = store_sequence_check(r->st, r->rule->name, c->enrollment_id, c->learner_id,
                                              key, since, &k, r->err);
    if (rc != LCM_OK || k.fired || k.held)
        return rc;
    if (!mail_mime_addr_valid(c->email)) {
        r->res->no_address++;
        return LCM_OK;
    }
    bool yes = false;
    if (k.recent_contact) {
        r->res->quiet++;
        return LCM_OK;
    }
    bool drawn = false;
    if ((rc = hold_out(r, c, &yes, &drawn)) != LCM_OK)
        return rc;
    if (yes)
        return store_sequence_hold(r->st, r->rule->name, c->enrollment_id, c->learner_id, key,
                                   r->o->today, tpl, r->err);
    const char *lang;
    char *subj = NULL, *body = NULL;
    struct lcm_err e = {0};
    if (render(r, c, tpl, &lang, &subj, &body, &e) != LCM_OK) {
        if (r->res->failed++ == 0)
            snprintf(r->res->err_first, sizeof r->res->err_first, "%s", e.msg);
        return LCM_OK;
    }
    struct lcm_message m = {.learner_id = c->learner_id,
                            .enrollment_id = c->enrollment_id,
                            .template_name = tpl,
                            .lang = lang,
                            .rule = r->rule->name,
                            .to_addr = c->email,
                            .subject = subj,
                            .body = body,
                            .status = r->rule->auto_queue ? MSG_QUEUED : MSG_DRAFT,
                            .claim_days = r->sc->quiet_days,
                            .claim_strict = true};
    int64_t id = 0;
    struct lcm_err claimed = {0};
    rc = store_message_add(r->st, &m, r->o->now, &id, &claimed);
    if (rc == LCM_ERR_CONFLICT) { /* another LCM contacted them in the quiet period */
        r->res->claimed++;
        free(subj);
        free(body);
        return LCM_OK;
    }
    if (rc != LCM_OK && r->err)
        *r->err = claimed;
    if (rc == LCM_OK)
        rc = store_sequence_fire(r->st, r->rule->name, c->enrollment_id, c->learner_id, key,
                                 r->o->today, id, r->err);
    if (rc == LCM_OK && drawn)
        rc = store_sequence_drawn(r->st, r->rule->name, c->enrollment_id, c->learner_id, key,
                                  r->err);
    if (rc == LCM_OK) {
        *(r->rule->auto_queue ? &r->res->queued : &r->res->drafts) += 1;
        if (r->o->made) {
            char who[256];
            snprintf(who, sizeof who, "%s %s", c->first_name, c->last_name);
            r->o->made(r->o->made_ctx, id, r->rule->name, tpl, who, c->email, r->rule->auto_queue);
        }
    }
    free(subj);
    free(body);
    return rc;
}

static enum lcm_status on_inactive(void *ctx, const struct store_seq_cand *c)
{
    struct run *r = ctx;
    int idle = r->o->today - c->last_activity_day;
    if (idle >= r->next_rung || (r->rule->until_days > 0 && idle > r->rule->until_days))
        return LCM_OK;
    char key[32], d[DAY_TEXT_LEN];
    snprintf(key, sizeof key, "last:%s", day_format(c->last_activity_day, d));
    return make(r, c, key, r->rule->template_name);
}

static enum lcm_status on_not_started(void *ctx, const struct store_seq_cand *c)
{
    struct run *r = ctx;
    return make(r, c, "start", r->rule->template_name);
}

static enum lcm_status on_milestone(void *ctx, const struct store_seq_cand *c)
{
    struct run *r = ctx;
    char key[32], buf[32];
    snprintf(key, sizeof key, "milestone:%lld", (long long)c->milestone_id);
    const char *tpl =
        r->rule->template_name[0] ? r->rule->template_name : milestone_template(c, buf, sizeof buf);
    return make(r, c, key, tpl);
}

/* The days of the next higher inactive rule (the ladder). */
static int next_rung(const struct seq_config *sc, const struct seq_rule *rule)
{
    int next = INT32_MAX;
    for (size_t i = 0; i < sc->n; i++)
        if (sc->rules[i].on == SEQ_INACTIVE && sc->rules[i].days > rule->days &&
            sc->rules[i].days < next)
            next = sc->rules[i].days;
    return next;
}

static enum lcm_status run_rule(struct run *r)
{
    const struct seq_rule *rule = r->rule;
    int today = r->o->today;
    switch (rule->on) {
    case SEQ_INACTIVE:
        r->next_rung = next_rung(r->sc, rule);
        return store_sequence_inactive(r->st, today - rule->days, on_inactive, r, r->err);
    case SEQ_NOT_STARTED:
        return store_sequence_not_started(r->st, today - rule->days, on_not_started, r, r->err);
    case SEQ_ESCALATE:
        return sequence_escalate_run(r->st, r->sc, rule, r->o, r->res, r->err);
    case SEQ_MILESTONE:
    default:
        return store_sequence_milestones(r->st, today - rule->days, today, on_milestone, r, r->err);
    }
}

enum lcm_status sequence_run(struct lcm_store *st, const struct seq_config *sc,
                             const struct seq_run_opts *o, struct seq_result *res,
                             struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    if (!sc->enabled)
        return LCM_OK;
    enum lcm_status rc = store_begin(st, err);
    if (rc == LCM_OK) /* each check reads the drafts, claims and firings made before it */
        rc = store_plan_each_run(st, err);
    if (rc != LCM_OK) {
        store_rollback(st);
        return rc;
    }
    struct run r = {.st = st, .sc = sc, .o = o, .res = res, .err = err};
    for (size_t i = 0; rc == LCM_OK && i < sc->n; i++) {
        r.rule = &sc->rules[i];
        rc = run_rule(&r);
    }
    if (rc == LCM_OK && !o->dry_run)
        rc = store_commit(st, err);
    if (rc != LCM_OK || o->dry_run)
        store_rollback(st);
    return rc;
}
