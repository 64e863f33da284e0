/* report_html.c — the HTML report: one self-contained file (inline CSS and SVG, no script),
 * readable on screen and printed on A4. A busy manager reads the four figures first; charts
 * and tables follow. Every data string goes through report_common_html_put(). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "report/report_common.h"
#include "report/report_html.h"
#include "report/report_svg.h"

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:#212121;"
    "max-width:60rem;margin:1.5rem auto;padding:0 1rem}\n"
    "h1{font-size:1.6rem;margin:0 0 .2rem}h2{font-size:1.25rem;border-bottom:2px solid #1565c0;"
    "padding-bottom:.15rem;margin-top:2rem}h3{font-size:1rem;margin:.2rem 0}\n"
    ".meta{color:#555;margin:0}.private{color:#b71c1c;font-weight:bold}\n"
    ".cards{display:grid;grid-template-columns:repeat(2,1fr);gap:.8rem}\n"
    ".card{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem}\n"
    ".fig{font-size:1.9rem;font-weight:bold;color:#1565c0;margin:.1rem 0}\n"
    ".card p{margin:.2rem 0}.formula{font-family:ui-monospace,monospace;font-size:.92rem}\n"
    "table{border-collapse:collapse;width:100%;margin:.6rem 0 1rem;font-size:.9rem}\n"
    "th,td{border:1px solid #ddd;padding:.25rem .45rem;text-align:left;vertical-align:top}\n"
    "th{background:#f1f5fb}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}\n"
    "figure.chart{margin:1rem 0}figcaption{font-size:.85rem;color:#555;text-align:center}\n"
    "svg text{font:11px sans-serif;fill:#333}svg .grid{stroke:#e0e0e0}\n"
    "svg .ln{fill:none;stroke:#212121;stroke-width:2}svg .frame{fill:none;stroke:#bbb}\n"
    "@page{size:A4;margin:14mm}\n"
    "@media print{body{margin:0;max-width:none;font-size:10.5pt}"
    "h2{break-after:avoid;page-break-after:avoid}"
    "figure.chart,.card,table.small{break-inside:avoid;page-break-inside:avoid}"
    "#charts,#tables{break-before:page;page-break-before:always}"
    ".cards{grid-template-columns:repeat(2,1fr)}a{color:inherit;text-decoration:none}}\n";

/* <th> cells from a '|'-separated list; a leading '#' marks a numeric column. */
static void thead(FILE *f, const char *id, const char *caption, const char *cols)
{
    fprintf(f, "<table id=\"%s\" class=\"small\"><caption>", id);
    report_common_html_put(f, caption);
    fputs("</caption>\n<thead><tr>", f);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", cols);
    for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        bool num = *t == '#';
        fprintf(f, "<th%s>", num ? " class=\"n\"" : "");
        report_common_html_put(f, num ? t + 1 : t);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
}

/* Closes a table body, with one explanatory row when it had none. */
static void tend(FILE *f, size_t rows, int cols, const char *empty)
{
    if (rows == 0) {
        fprintf(f, "<tr><td colspan=\"%d\">", cols);
        report_common_html_put(f, empty);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void td(FILE *f, const char *s)
{
    fputs("<td>", f);
    report_common_html_put(f, s);
    fputs("</td>", f);
}

static void tdn(FILE *f, const char *s)
{
    fputs("<td class=\"n\">", f);
    report_common_html_put(f, s);
    fputs("</td>", f);
}

static void tdi(FILE *f, int64_t v)
{
    char b[32];
    tdn(f, report_common_int(v, b, sizeof b));
}

static void counts_table(FILE *f, const char *id, const char *caption, const char *what,
                         const struct kpi_counts *g, size_t n)
{
    char cols[512], a[32];
    /* TRANSLATORS: column names separated by '|'; a leading '#' marks a numeric column. */
    snprintf(cols, sizeof cols,
             _("%s|#Enrolled|#In progress|#Active 7 d|#Completed|#Withdrawn|"
               "#Failed|#Completion|#Drop-out|#Hours"),
             what);
    thead(f, id, caption, cols);
    for (size_t i = 0; i < n; i++) {
        fputs("<tr>", f);
        td(f, g[i].label);
        int64_t v[] = {g[i].enrolled,  g[i].running,   g[i].active7,
                       g[i].completed, g[i].withdrawn, g[i].failed};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            tdi(f, v[k]);
        tdn(f, report_common_pct(g[i].completed, g[i].enrolled, a, sizeof a));
        tdn(f, report_common_pct(g[i].withdrawn, g[i].enrolled, a, sizeof a));
        tdi(f, (g[i].minutes + 30) / 60);
        fputs("</tr>\n", f);
    }
    tend(f, n, 10, _("No enrollment in this scope."));
}

static void indicators_table(FILE *f, const struct kpi_result *r)
{
    const struct kpi_counts *t = &r->total;
    char a[64];
    thead(f, "table-indicators", _("Indicators"), _("Indicator|#Value"));
    struct {
        const char *name;
        int64_t v;
    } rows[] = {{N_("Enrolled"), t->enrolled},
                {N_("In progress"), t->running},
                {N_("Active in the last 7 days"), t->active7},
                {N_("Active in the last 30 days"), t->active30},
                {N_("Completed"), t->completed},
                {N_("Withdrawn"), t->withdrawn},
                {N_("Failed"), t->failed},
                {N_("Sessions (connections)"), t->sessions},
                {N_("Training time (hours)"), (t->minutes + 30) / 60}};
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        fputs("<tr>", f);
        td(f, _(rows[i].name));
        tdi(f, rows[i].v);
        fputs("</tr>\n", f);
    }
    fputs("<tr>", f);
    td(f, _("Completion rate (completed / enrolled)"));
    tdn(f, report_common_pct(t->completed, t->enrolled, a, sizeof a));
    fputs("</tr>\n<tr>", f);
    td(f, _("Drop-out rate (withdrawn / enrolled)"));
    tdn(f, report_common_pct(t->withdrawn, t->enrolled, a, sizeof a));
    fputs("</tr>\n<tr>", f);
    td(f, _("Visit frequency (active days per week)"));
    tdn(f, report_common_real(r->visit_frequency, 2, report_common_french(), a, sizeof a));
    fputs("</tr>\n</tbody></table>\n", f);
    thead(f, "table-progress", _("Progress distribution"), _("Progress|#Learners"));
    for (int i = 0; i < KPI_BUCKETS; i++) {
        fputs("<tr>", f);
        td(f, _(report_common_bucket_names[i]));
        tdi(f, r->buckets[i]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static void milestone_table(FILE *f, const struct kpi_result *r)
{
    char a[32];
    thead(f, "table-milestones", _("Milestones"),
          _("Milestone|#Reached|#Of|#Share|#Median days from start"));
    for (size_t i = 0; i < r->n_milestones; i++) {
        const struct kpi_milestone *m = &r->milestones[i];
        fputs("<tr>", f);
        td(f, m->name);
        tdi(f, m->reached);
        tdi(f, m->eligible);
        tdn(f, report_common_pct(m->reached, m->eligible, a, sizeof a));
        tdn(f, m->median_days >= 0
                   ? report_common_real(m->median_days, 1, report_common_french(), a, sizeof a)
                   : "\xe2\x80\x93");
        fputs("</tr>\n", f);
    }
    tend(f, r->n_milestones, 5, _("No milestone defined for these programmes."));
}

/* The effect against the holdout: one sentence per rule, then the three windows. */
static void html_holdout(FILE *f, const struct effect_table *t)
{
    if (t->n == 0)
        return;
    char line[512], cell[64];
    fputs("<h3>", f);
    report_common_html_put(f, _("Outreach against a control group"));
    fputs("</h3>\n<ul class=\"holdout\">\n", f);
    for (size_t i = 0; i < t->n; i++) {
        fputs("<li>", f);
        report_common_html_put(f,
                               effect_sentence(t, &t->rows[i], EFFECT_HEADLINE, line, sizeof line));
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    /* xgettext:no-c-format */
    thead(f, "table-holdout", _("Active again, messaged minus held out, in points (95 % CI)"),
          _("Rule|#Within 3 days|#Within 7 days|#Within 14 days|#Messaged|#Held out"));
    for (size_t i = 0; i < t->n; i++) {
        const struct effect_row *r = &t->rows[i];
        fputs("<tr>", f);
        td(f, r->name);
        for (int w = 0; w < EFFECT_WINDOWS; w++)
            tdn(f, effect_cell_text(&r->w[w], cell, sizeof cell));
        tdi(f, r->w[EFFECT_HEADLINE].n1);
        tdi(f, r->w[EFFECT_HEADLINE].n0);
        fputs("</tr>\n", f);
    }
    tend(f, t->n, 6, "");
}

static void followup_tables(FILE *f, const struct kpi_result *r)
{
    char lines[8][256], a[32];
    size_t n = report_common_followup_lines(r, lines, 8);
    fputs("<h3>", f);
    report_common_html_put(f, _("The LCM's follow-up"));
    fputs("</h3>\n<ul>\n", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<li>", f);
        report_common_html_put(f, lines[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    thead(f, "table-channels", _("Check-ins by channel"), _("Channel|#Check-ins"));
    for (int c = 0; c < CH_COUNT; c++) {
        fputs("<tr>", f);
        td(f, report_common_channel(c));
        tdi(f, r->checkins_by_channel[c]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
    thead(f, "table-templates", _("Messages by template"),
          _("Template|#Sent|#Active within 7 days|#Return rate"));
    for (size_t i = 0; i < r->n_templates; i++) {
        const struct kpi_template *t = &r->templates[i];
        fputs("<tr>", f);
        td(f, t->name);
        tdi(f, t->sent);
        tdi(f, t->returned7);
        tdn(f, report_common_pct(t->returned7, t->sent, a, sizeof a));
        fputs("</tr>\n", f);
    }
    tend(f, r->n_templates, 4, _("No message sent in the period."));
    html_holdout(f, &r->holdout);
}

static void weeks_table(FILE *f, const struct kpi_result *r)
{
    char w[16], a[32];
    fputs("<h3>", f);
    report_common_html_put(f, _("Weekly trend"));
    fputs("</h3>\n", f);
    thead(f, "table-weeks", _("Each indicator per ISO week"),
          _("Week|#In progress|#Active|#Active share|#Sessions|#Hours|#Check-ins|#Messages|"
            "#Completed|#Withdrawn|#Risk low|#Risk medium|#Risk high"));
    for (size_t i = 0; i < r->n_weeks; i++) {
        const struct kpi_week *k = &r->weeks[i];
        int64_t ci = 0;
        for (int c = 0; c < CH_COUNT; c++)
            ci += k->checkins[c];
        fputs("<tr>", f);
        td(f, report_common_week(k, w, sizeof w));
        tdi(f, k->running);
        tdi(f, k->active);
        tdn(f, report_common_pct(k->active, k->running, a, sizeof a));
        int64_t v[] = {k->sessions,  (k->minutes + 30) / 60, ci,         k->messages,
                       k->completed, k->withdrawn,           k->risk[0], k->risk[1],
                       k->risk[2]};
        for (size_t j = 0; j < sizeof v / sizeof *v; j++)
            tdi(f, v[j]);
        fputs("</tr>\n", f);
    }
    tend(f, r->n_weeks, 13, _("No week in the period."));
}

static void learners_table(FILE *f, const struct kpi_result *r, const struct report_options *o)
{
    char name[128], a[32], d[32];
    fputs("<h3>", f);
    report_common_html_put(f, _("Learners"));
    fputs("</h3>\n", f);
    thead(f, "table-learners", o->anonymous ? _("Learners (pseudonyms)") : _("Learners"),
          o->private_notes ? _("Learner|Cohort|Department|Status|#Progress|Last active|"
                               "#Active days|#Hours|Risk|Latest note (private)")
                           : _("Learner|Cohort|Department|Status|#Progress|Last active|"
                               "#Active days|#Hours|Risk"));
    for (size_t i = 0; i < r->n_learners; i++) {
        const struct kpi_learner *l = &r->learners[i];
        fputs("<tr>", f);
        td(f, report_common_learner_name(o, l, name, sizeof name));
        td(f, l->cohort);
        td(f, l->department);
        td(f, report_common_status(l->status));
        if (l->progress >= 0)
            report_common_pct_of(100 * l->progress, 0, a, sizeof a);
        else
            snprintf(a, sizeof a, "\xe2\x80\x93");
        tdn(f, a);
        td(f, l->last_active == DAY_NONE ? _("never") : i18n_date(d, sizeof d, l->last_active));
        tdi(f, l->active_days);
        tdi(f, (l->minutes + 30) / 60);
        td(f, report_common_risk(l->risk_level));
        if (o->private_notes)
            td(f, l->note ? l->note : "");
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* "Training report: SCOPE" (the title and the heading). */
static void title(FILE *f, const struct report_options *o)
{
    report_common_html_put(f, _("Training report"));
    if (o->scope && *o->scope) {
        report_common_html_put(f, _(": "));
        report_common_html_put(f, o->scope);
    }
}

static void head(FILE *f, const struct kpi_result *r, const struct report_options *o)
{
    char from[32], to[32], gen[32], line[256];
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>",
            i18n_code());
    title(f, o);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    title(f, o);
    fputs("</h1>\n<p class=\"meta\">", f);
    snprintf(line, sizeof line, _("Period %s to %s, generated for %s."),
             i18n_date(from, sizeof from, r->from_day), i18n_date(to, sizeof to, r->to_day),
             i18n_date(gen, sizeof gen, o->today));
    report_common_html_put(f, line);
    fputs(o->private_notes ? " <span class=\"private\">" : " ", f);
    report_common_html_put(f, o->private_notes
                                  ? _("PRIVATE: contains the LCM's notes, do not forward.")
                                  : _("Manager-facing: no private notes."));
    fputs(o->private_notes ? "</span></p>\n</header>\n" : "</p>\n</header>\n", f);
}

enum lcm_status report_html_write(FILE *f, const struct kpi_result *r,
                                  const struct report_options *o)
{
    char buf[768];
    head(f, r, o);
    struct report_common_headline h[4];
    report_common_headlines(r, h);
    fputs("<section id=\"summary\">\n<h2>", f);
    report_common_html_put(f, _("Summary"));
    fputs("</h2>\n<div class=\"cards\">\n", f);
    for (int i = 0; i < 4; i++) {
        fputs("<div class=\"card\"><h3>", f);
        report_common_html_put(f, h[i].title);
        fputs("</h3><p class=\"fig\">", f);
        report_common_html_put(f, h[i].figure);
        fputs("</p><p>", f);
        report_common_html_put(f, h[i].sentence);
        fputs("</p></div>\n", f);
    }
    fputs("</div>\n", f);
    if (r->money.configured) {
        fputs("<h3>", f);
        report_common_html_put(f, _("Money"));
        fputs("</h3>\n<ul id=\"money\">\n", f);
        for (int i = 0; i < 2; i++) {
            fputs("<li class=\"formula\">", f);
            report_common_html_put(f, report_common_money_sentence(r, i, buf, sizeof buf));
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</section>\n<section id=\"charts\">\n<h2>", f);
    report_common_html_put(f, _("Charts"));
    fputs("</h2>\n", f);
    report_svg_weekly_active(f, r);
    report_svg_funnel(f, r);
    report_svg_risk_weeks(f, r);
    report_svg_checkin_weeks(f, r);
    report_svg_cohorts(f, r);
    fputs("</section>\n<section id=\"tables\">\n<h2>", f);
    report_common_html_put(f, _("Tables"));
    fputs("</h2>\n", f);
    indicators_table(f, r);
    milestone_table(f, r);
    counts_table(f, "table-cohorts", _("Completion by cohort"), _("Cohort"), r->cohorts,
                 r->n_cohorts);
    if (r->by != KPI_BY_NONE)
        counts_table(f, "table-groups", _("Breakdown"),
                     r->by == KPI_BY_DEPARTMENT ? _("Department") : _("Manager"), r->groups,
                     r->n_groups);
    followup_tables(f, r);
    weeks_table(f, r);
    if (r->n_learners)
        learners_table(f, r, o);
    fputs("</section>\n<section id=\"definitions\">\n<h2>", f);
    report_common_html_put(f, _("Definitions"));
    fputs("</h2>\n<ul>\n", f);
    for (size_t i = 0; report_common_definitions[i]; i++) {
        fputs("<li>", f);
        report_common_html_put(f, _(report_common_definitions[i]));
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n</body>\n</html>\n", f);
    return ferror(f) ? LCM_ERR_IO : LCM_OK;
}
