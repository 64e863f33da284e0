/* report_md.c — the Markdown report, for an e-mail or a wiki page. Data strings are cleaned
 * and their Markdown and HTML specials escaped, so a name cannot break a table or inject
 * markup into a wiki that renders HTML. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "report/report_common.h"
#include "report/report_md.h"

/* HTML specials become entities (a wiki may render HTML); Markdown specials get a backslash. */
static const char *md_escape(char c)
{
    static const char specials[] = "\\`*_[]|#~!";
    static const char *const escaped[] = {"\\\\", "\\`", "\\*", "\\_", "\\[",
                                          "\\]",  "\\|", "\\#", "\\~", "\\!"};
    if (c == '<' || c == '>' || c == '&')
        return report_common_html_entity(c);
    const char *at = c ? strchr(specials, c) : NULL;
    return at ? escaped[at - specials] : NULL;
}

static void md_put(FILE *f, const char *s)
{
    report_common_put_escaped(f, s, md_escape);
}

static void md_counts_table(FILE *f, const char *what, const struct kpi_counts *g, size_t n)
{
    char a[32], b[32], c[32];
    fprintf(f,
            _("| %s | Enrolled | In progress | Active 7 d | Completed | Withdrawn | Failed "
              "| Completion | Drop-out | Hours |\n"),
            what);
    fputs("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("| ", f);
        md_put(f, g[i].label);
        fprintf(f,
                " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64
                " | %s | %s | %s |\n",
                g[i].enrolled, g[i].running, g[i].active7, g[i].completed, g[i].withdrawn,
                g[i].failed, report_common_pct(g[i].completed, g[i].enrolled, a, sizeof a),
                report_common_pct(g[i].withdrawn, g[i].enrolled, b, sizeof b),
                report_common_int((g[i].minutes + 30) / 60, c, sizeof c));
    }
    fputs("\n", f);
}

static void md_indicators(FILE *f, const struct kpi_result *r)
{
    const struct kpi_counts *t = &r->total;
    char a[32], b[32];
    fputs(_("## Indicators\n\n| Indicator | Value |\n"), f);
    fputs("|---|---:|\n", f);
    fprintf(f, _("| Enrolled | %s |\n"), report_common_int(t->enrolled, a, sizeof a));
    fprintf(f, _("| In progress | %s |\n"), report_common_int(t->running, a, sizeof a));
    fprintf(f, _("| Active in the last 7 days | %s |\n"),
            report_common_int(t->active7, a, sizeof a));
    fprintf(f, _("| Active in the last 30 days | %s |\n"),
            report_common_int(t->active30, a, sizeof a));
    fprintf(f, _("| Completed | %s |\n"), report_common_int(t->completed, a, sizeof a));
    fprintf(f, _("| Withdrawn | %s |\n"), report_common_int(t->withdrawn, a, sizeof a));
    fprintf(f, _("| Failed | %s |\n"), report_common_int(t->failed, a, sizeof a));
    fprintf(f, _("| Completion rate (completed / enrolled) | %s |\n"),
            report_common_pct(t->completed, t->enrolled, a, sizeof a));
    fprintf(f, _("| Drop-out rate (withdrawn / enrolled) | %s |\n"),
            report_common_pct(t->withdrawn, t->enrolled, a, sizeof a));
    fprintf(f, _("| Sessions (connections) | %s |\n"), report_common_int(t->sessions, a, sizeof a));
    fprintf(f, _("| Training time | %s h |\n"),
            report_common_int((t->minutes + 30) / 60, a, sizeof a));
    fprintf(f, _("| Training time per enrolled learner | %s min |\n"),
            report_common_int((int64_t)(r->avg_minutes + 0.5), a, sizeof a));
    fprintf(f, _("| Visit frequency | %s active days per week |\n"),
            report_common_real(r->visit_frequency, 2, report_common_french(), b, sizeof b));
    fputs(_("\n## Progress distribution\n\n| Progress | Learners |\n"), f);
    fputs("|---|---:|\n", f);
    for (int i = 0; i < KPI_BUCKETS; i++)
        fprintf(f, "| %s | %" PRId64 " |\n", _(report_common_bucket_names[i]), r->buckets[i]);
    if (r->progress_unknown)
        fprintf(f, "| %s | %" PRId64 " |\n", _("unknown"), r->progress_unknown);
    fputs("\n", f);
}

static void md_milestones(FILE *f, const struct kpi_result *r)
{
    char a[32], b[32];
    fputs(_("## Milestones\n\n| Milestone | Reached | Of | Share | Median days from start |\n"), f);
    fputs("|---|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < r->n_milestones; i++) {
        const struct kpi_milestone *m = &r->milestones[i];
        fputs("| ", f);
        md_put(f, m->name);
        if (m->median_days >= 0)
            report_common_real(m->median_days, 1, report_common_french(), b, sizeof b);
        else
            snprintf(b, sizeof b, "\xe2\x80\x93");
        fprintf(f, " | %" PRId64 " | %" PRId64 " | %s | %s |\n", m->reached, m->eligible,
                report_common_pct(m->reached, m->eligible, a, sizeof a), b);
    }
    fputs("\n", f);
}

/* The effect against the holdout: one sentence per rule, then the three windows. */
static void md_holdout(FILE *f, const struct effect_table *t)
{
    if (t->n == 0)
        return;
    char line[512], cell[64];
    fputs(_("### Outreach against a control group\n\n"), f);
    for (size_t i = 0; i < t->n; i++) {
        fputs("- ", f);
        md_put(f, effect_sentence(t, &t->rows[i], EFFECT_HEADLINE, line, sizeof line));
        fputs("\n", f);
    }
    fputs(_("\n| Rule | Within 3 days | Within 7 days | Within 14 days | Messaged | Held out |\n"),
          f);
    fputs("|---|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < t->n; i++) {
        const struct effect_row *r = &t->rows[i];
        fputs("| ", f);
        md_put(f, r->name);
        for (int w = 0; w < EFFECT_WINDOWS; w++)
            fprintf(f, " | %s", effect_cell_text(&r->w[w], cell, sizeof cell));
        fprintf(f, " | %" PRId64 " | %" PRId64 " |\n", r->w[EFFECT_HEADLINE].n1,
                r->w[EFFECT_HEADLINE].n0);
    }
    /* xgettext:no-c-format */
    fputs(_("\nPoints: the share of learners active again within N days when messaged minus "
            "when held out (no message), with its 95 % confidence interval (Newcombe's score "
            "method).\n\n"),
          f);
}

static void md_followup(FILE *f, const struct kpi_result *r)
{
    char lines[8][256], a[32];
    size_t n = report_common_followup_lines(r, lines, 8);
    fputs(_("## The LCM's follow-up\n\n"), f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "- %s\n", lines[i]);
    fputs(_("\n| Channel | Check-ins |\n"), f);
    fputs("|---|---:|\n", f);
    for (int c = 0; c < CH_COUNT; c++)
        fprintf(f, "| %s | %" PRId64 " |\n", report_common_channel(c), r->checkins_by_channel[c]);
    if (r->n_templates == 0) {
        fputs(_("\nNo message sent in the period.\n\n"), f);
        md_holdout(f, &r->holdout);
        return;
    }
    fputs(_("\n| Template | Sent | Active within 7 days | Return rate |\n"), f);
    fputs("|---|---:|---:|---:|\n", f);
    for (size_t i = 0; i < r->n_templates; i++) {
        const struct kpi_template *t = &r->templates[i];
        fputs("| ", f);
        md_put(f, t->name);
        fprintf(f, " | %" PRId64 " | %" PRId64 " | %s |\n", t->sent, t->returned7,
                report_common_pct(t->returned7, t->sent, a, sizeof a));
    }
    fputs("\n", f);
    md_holdout(f, &r->holdout);
}

static void md_weeks(FILE *f, const struct kpi_result *r)
{
    char w[16], a[32];
    fputs(_("## Weekly trend\n\n| Week | In progress | Active | Active share | Sessions | Hours "
            "| Check-ins | Messages | Completed | Withdrawn | Risk low / medium / high |\n"),
          f);
    fputs("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n", f);
    for (size_t i = 0; i < r->n_weeks; i++) {
        const struct kpi_week *k = &r->weeks[i];
        int64_t ci = 0;
        for (int c = 0; c < CH_COUNT; c++)
            ci += k->checkins[c];
        fprintf(f,
                "| %s | %" PRId64 " | %" PRId64 " | %s | %" PRId64 " | %" PRId64 " | %" PRId64
                " | %" PRId64 " | %" PRId64 " | %" PRId64 " | %" PRId64 " / %" PRId64 " / %" PRId64
                " |\n",
                report_common_week(k, w, sizeof w), k->running, k->active,
                report_common_pct(k->active, k->running, a, sizeof a), k->sessions,
                (k->minutes + 30) / 60, ci, k->messages, k->completed, k->withdrawn, k->risk[0],
                k->risk[1], k->risk[2]);
    }
    fputs("\n", f);
}

static void md_learners(FILE *f, const struct kpi_result *r, const struct report_options *o)
{
    char name[128], a[32], d[32];
    fprintf(f,
            _("## Learners\n\n| Learner | Cohort | Department | Status | Progress | Last active "
              "| Active days | Hours | Risk |%s\n"),
            o->private_notes ? _(" Latest note (private) |") : "");
    fprintf(f, "|---|---|---|---|---:|---|---:|---:|---|%s\n", o->private_notes ? "---|" : "");
    for (size_t i = 0; i < r->n_learners; i++) {
        const struct kpi_learner *l = &r->learners[i];
        fputs("| ", f);
        md_put(f, report_common_learner_name(o, l, name, sizeof name));
        fputs(" | ", f);
        md_put(f, l->cohort);
        fputs(" | ", f);
        md_put(f, l->department);
        if (l->progress >= 0)
            report_common_pct_of(100 * l->progress, 0, a, sizeof a);
        else
            snprintf(a, sizeof a, "\xe2\x80\x93");
        fprintf(f, " | %s | %s | %s | %" PRId64 " | %" PRId64 " | %s |",
                report_common_status(l->status), a,
                l->last_active == DAY_NONE ? _("never") : i18n_date(d, sizeof d, l->last_active),
                l->active_days, (l->minutes + 30) / 60, report_common_risk(l->risk_level));
        if (o->private_notes) {
            fputs(" ", f);
            md_put(f, l->note ? l->note : "");
            fputs(" |", f);
        }
        fputs("\n", f);
    }
    fputs("\n", f);
}

enum lcm_status report_md_write(FILE *f, const struct kpi_result *r, const struct report_options *o)
{
    char from[32], to[32], buf[768];
    fputs(_("# Training report"), f);
    if (o->scope && *o->scope) {
        fputs(_(": "), f);
        md_put(f, o->scope);
    }
    fputs("\n\n", f);
    fprintf(f, _("Period %s to %s."), i18n_date(from, sizeof from, r->from_day),
            i18n_date(to, sizeof to, r->to_day));
    fprintf(f, " %s\n\n",
            o->private_notes ? _("PRIVATE: contains the LCM's notes, do not forward.")
                             : _("Manager-facing: no private notes."));
    struct report_common_headline h[4];
    report_common_headlines(r, h);
    fputs(_("## Summary\n\n"), f);
    for (int i = 0; i < 4; i++)
        fprintf(f, _("- **%s: %s.** %s\n"), h[i].title, h[i].figure, h[i].sentence);
    fputs("\n", f);
    md_indicators(f, r);
    if (r->money.configured) {
        fprintf(f, _("## Money\n\n- %s\n"), report_common_money_sentence(r, 0, buf, sizeof buf));
        fprintf(f, "- %s\n\n", report_common_money_sentence(r, 1, buf, sizeof buf));
    }
    md_milestones(f, r);
    fputs(_("## Completion by cohort\n\n"), f);
    md_counts_table(f, _("Cohort"), r->cohorts, r->n_cohorts);
    if (r->by != KPI_BY_NONE) {
        const char *what = r->by == KPI_BY_DEPARTMENT ? _("Department") : _("Manager");
        fputs(r->by == KPI_BY_DEPARTMENT ? _("## By department\n\n") : _("## By manager\n\n"), f);
        md_counts_table(f, what, r->groups, r->n_groups);
    }
    md_followup(f, r);
    md_weeks(f, r);
    if (r->n_learners)
        md_learners(f, r, o);
    fputs(_("## Definitions\n\n"), f);
    for (size_t i = 0; report_common_definitions[i]; i++)
        fprintf(f, "- %s\n", _(report_common_definitions[i]));
    return ferror(f) ? LCM_ERR_IO : LCM_OK;
}
