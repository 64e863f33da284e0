/* report_svg.c — the inline SVG charts of the HTML report: plain shapes and text, no script,
 * readable in print (each chart has a <title>, a <desc> and a legend; values are in the
 * tables too). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/text.h"
#include "report/report_common.h"
#include "report/report_svg.h"

#define W 720
#define H 260
#define ML 48 /* margins: left (axis labels), right, top (legend), bottom (x labels) */
#define MR 12
#define MT 30
#define MB 34

struct vbars {
    const char *id, *title, *desc;
    size_t n;                 /* x positions */
    char (*xlab)[16];         /* n labels */
    size_t ns;                /* stacked series */
    const char *const *sname; /* ns names */
    const char *const *color; /* ns colours */
    const int64_t *v;         /* ns rows of n values */
    const int64_t *line;      /* optional n values drawn as a line */
    const char *line_name;
};

static void svg_open(FILE *f, const char *id, const char *title, const char *desc, int h)
{
    fprintf(f,
            "<figure class=\"chart\">\n<svg id=\"%s\" xmlns=\"http://www.w3.org/2000/svg\" "
            "viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" aria-label=\"",
            id, W, h);
    report_common_html_put(f, title);
    fputs("\">\n<title>", f);
    report_common_html_put(f, title);
    fputs("</title>\n<desc>", f);
    report_common_html_put(f, desc);
    fputs("</desc>\n", f);
}

static void svg_close(FILE *f, const char *title)
{
    fputs("</svg>\n<figcaption>", f);
    report_common_html_put(f, title);
    fputs("</figcaption>\n</figure>\n", f);
}

static void legend(FILE *f, size_t ns, const char *const *names, const char *const *colors,
                   const char *line_name)
{
    int x = ML;
    for (size_t s = 0; s < ns; s++) {
        fprintf(f,
                "<rect x=\"%d\" y=\"8\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                "<text x=\"%d\" y=\"18\" class=\"lg\">",
                x, colors[s], x + 16);
        report_common_html_put(f, names[s]);
        fputs("</text>\n", f);
        x += 28 + 7 * (int)strlen(names[s]);
    }
    if (line_name) {
        fprintf(f,
                "<line x1=\"%d\" y1=\"14\" x2=\"%d\" y2=\"14\" fill=\"none\" stroke=\"#212121\" "
                "stroke-width=\"2\"/>"
                "<text x=\"%d\" y=\"18\" class=\"lg\">",
                x, x + 14, x + 18);
        report_common_html_put(f, line_name);
        fputs("</text>\n", f);
    }
}

static int64_t nice_max(int64_t m)
{
    if (m <= 4)
        return 4;
    int64_t p = 1;
    while (p * 10 < m)
        p *= 10;
    for (int64_t k = 1; k <= 10; k++)
        if (k * p >= m && (k * p) % 2 == 0)
            return k * p;
    return 10 * p;
}

static void svg_vbars(FILE *f, const struct vbars *b)
{
    svg_open(f, b->id, b->title, b->desc, H);
    legend(f, b->ns, b->sname, b->color, b->line ? b->line_name : NULL);
    int64_t max = 0;
    for (size_t i = 0; i < b->n; i++) {
        int64_t sum = 0;
        for (size_t s = 0; s < b->ns; s++)
            sum += b->v[s * b->n + i];
        if (sum > max)
            max = sum;
        if (b->line && b->line[i] > max)
            max = b->line[i];
    }
    max = nice_max(max);
    const double ph = H - MT - MB, pw = W - ML - MR;
    for (int t = 0; t <= 2; t++) {
        double y = MT + ph - ph * t / 2.0;
        fprintf(f,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e0e0e0\"/>"
                "<text x=\"%d\" y=\"%.1f\" class=\"ax\" text-anchor=\"end\">%" PRId64 "</text>\n",
                ML, y, W - MR, y, ML - 4, y + 4, max * t / 2);
    }
    double bw = b->n ? pw / (double)b->n : pw;
    size_t every = b->n > 13 ? (b->n + 12) / 13 : 1;
    for (size_t i = 0; i < b->n; i++) {
        double x = ML + bw * (double)i, y = MT + ph;
        for (size_t s = 0; s < b->ns; s++) {
            int64_t v = b->v[s * b->n + i];
            double h = ph * (double)v / (double)max;
            if (v <= 0)
                continue;
            y -= h;
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                    "<title>",
                    x + bw * 0.1, y, bw * 0.8, h, b->color[s]);
            report_common_html_put(f, b->xlab[i]);
            fprintf(f, " ");
            report_common_html_put(f, b->sname[s]);
            report_common_html_put(f, _(": "));
            fprintf(f, "%" PRId64 "</title></rect>\n", v);
        }
        if (i % every == 0) {
            fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"ax\" text-anchor=\"middle\">", x + bw / 2,
                    H - MB + 14);
            report_common_html_put(f, b->xlab[i]);
            fputs("</text>\n", f);
        }
    }
    if (b->line && b->n) {
        fputs("<polyline fill=\"none\" stroke=\"#212121\" stroke-width=\"2\" points=\"", f);
        for (size_t i = 0; i < b->n; i++)
            fprintf(f, "%s%.1f,%.1f", i ? " " : "", ML + bw * ((double)i + 0.5),
                    MT + ph - ph * (double)b->line[i] / (double)max);
        fputs("\"/>\n", f);
    }
    svg_close(f, b->title);
}

/* Horizontal bars: one row per label, stacked series as shares of total[i]. */
struct hbars {
    const char *id, *title, *desc;
    size_t n;
    const char *const *label;
    size_t ns;
    const char *const *sname, *const *color;
    const int64_t *v; /* ns rows of n */
    const int64_t *total;
};

static void svg_hbars(FILE *f, const struct hbars *b)
{
    const int row = 26, lw = 220;
    int h = MT + row * (int)(b->n ? b->n : 1) + 10;
    svg_open(f, b->id, b->title, b->desc, h);
    legend(f, b->ns, b->sname, b->color, NULL);
    const double pw = W - lw - MR - 110;
    for (size_t i = 0; i < b->n; i++) {
        int y = MT + row * (int)i;
        char *lab = text_clean_plain(b->label[i], false, REPORT_COMMON_TEXT_MAX);
        if (strlen(lab) > 34) /* keep whole UTF-8 sequences */
            for (size_t k = 34; k > 0; k--)
                if (((unsigned char)lab[k] & 0xC0) != 0x80) {
                    strcpy(lab + k, "\xe2\x80\xa6");
                    break;
                }
        fprintf(f, "<text x=\"%d\" y=\"%d\" class=\"ax\" text-anchor=\"end\">", lw - 6, y + 16);
        report_common_html_put(f, lab);
        free(lab);
        fputs("</text>\n", f);
        double x = lw;
        for (size_t s = 0; s < b->ns; s++) {
            int64_t v = b->v[s * b->n + i];
            double w = b->total[i] > 0 ? pw * (double)v / (double)b->total[i] : 0;
            if (v <= 0)
                continue;
            fprintf(f,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
                    "<title>",
                    x, y + 3, w, b->color[s]);
            report_common_html_put(f, b->sname[s]);
            fprintf(f, _(": %lld of %lld"), (long long)v, (long long)b->total[i]);
            fputs("</title></rect>\n", f);
            x += w;
        }
        fprintf(f,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"none\" "
                "stroke=\"#bbbbbb\"/>",
                lw, y + 3, pw);
        char pct[32];
        fprintf(f, "<text x=\"%.1f\" y=\"%d\" class=\"ax\">%s (%" PRId64 "/%" PRId64 ")</text>\n",
                lw + pw + 6, y + 16, report_common_pct(b->v[i], b->total[i], pct, sizeof pct),
                b->v[i], b->total[i]);
    }
    svg_close(f, b->title);
}

static char (*week_labels(const struct kpi_result *r))[16]
{
    char(*lab)[16] = lcm_xcalloc(r->n_weeks ? r->n_weeks : 1, sizeof *lab);
    for (size_t i = 0; i < r->n_weeks; i++)
        /* TRANSLATORS: an ISO week number on a chart's axis ("S48" in French). */
        snprintf(lab[i], sizeof lab[i], _("W%02d"), r->weeks[i].iso_week);
    return lab;
}

void report_svg_weekly_active(FILE *f, const struct kpi_result *r)
{
    const char *const names[] = {_("Active learners")};
    static const char *const colors[] = {"#1565c0"};
    size_t n = r->n_weeks;
    int64_t *v = lcm_xcalloc(n ? n : 1, sizeof *v), *line = lcm_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        v[i] = r->weeks[i].active;
        line[i] = r->weeks[i].running;
    }
    char(*lab)[16] = week_labels(r);
    struct vbars b = {.id = "chart-weekly-active",
                      .title = _("Weekly active learners"),
                      .desc = _("Learners with at least one active day each ISO week; the line "
                                "is the number of learners in progress."),
                      .n = n,
                      .xlab = lab,
                      .ns = 1,
                      .sname = names,
                      .color = colors,
                      .v = v,
                      .line = line,
                      .line_name = _("In progress")};
    svg_vbars(f, &b);
    free(v);
    free(line);
    free(lab);
}

void report_svg_risk_weeks(FILE *f, const struct kpi_result *r)
{
    const char *const names[] = {_("Low"), _("Medium (idle 7-13 d)"), _("High (idle 14+ d)")};
    static const char *const colors[] = {"#81c784", "#ffb74d", "#e57373"};
    size_t n = r->n_weeks;
    int64_t *v = lcm_xcalloc(3 * (n ? n : 1), sizeof *v);
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < 3; s++)
            v[s * n + i] = r->weeks[i].risk[s];
    char(*lab)[16] = week_labels(r);
    struct vbars b = {.id = "chart-risk-levels",
                      .title = _("Risk levels over time"),
                      .desc = _("Learners in progress at the end of each week by risk level, "
                                "derived from days without activity."),
                      .n = n,
                      .xlab = lab,
                      .ns = 3,
                      .sname = names,
                      .color = colors,
                      .v = v};
    svg_vbars(f, &b);
    free(v);
    free(lab);
}

void report_svg_checkin_weeks(FILE *f, const struct kpi_result *r)
{
    static const char *const colors[CH_COUNT] = {"#6a1b9a", "#1565c0", "#00838f", "#2e7d32",
                                                 "#9e9e9e", "#ef6c00", "#ad1457"};
    const char *names[CH_COUNT];
    for (int c = 0; c < CH_COUNT; c++)
        names[c] = report_common_channel(c);
    size_t n = r->n_weeks;
    int64_t *v = lcm_xcalloc(CH_COUNT * (n ? n : 1), sizeof *v);
    for (size_t i = 0; i < n; i++)
        for (size_t s = 0; s < CH_COUNT; s++)
            v[s * n + i] = r->weeks[i].checkins[s];
    char(*lab)[16] = week_labels(r);
    struct vbars b = {.id = "chart-checkins",
                      .title = _("Check-ins per week"),
                      .desc = _("The LCM's logged contacts each ISO week, by channel."),
                      .n = n,
                      .xlab = lab,
                      .ns = CH_COUNT,
                      .sname = names,
                      .color = colors,
                      .v = v};
    svg_vbars(f, &b);
    free(v);
    free(lab);
}

void report_svg_funnel(FILE *f, const struct kpi_result *r)
{
    const char *const names[] = {_("Reached")};
    static const char *const colors[] = {"#2e7d32"};
    size_t n = r->n_milestones;
    const char **lab = lcm_xcalloc(n ? n : 1, sizeof *lab);
    int64_t *v = lcm_xcalloc(n ? n : 1, sizeof *v), *tot = lcm_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        lab[i] = r->milestones[i].name;
        v[i] = r->milestones[i].reached;
        tot[i] = r->milestones[i].eligible;
    }
    struct hbars b = {.id = "chart-funnel",
                      .title = _("Progress funnel by milestone"),
                      .desc = _("Share of the enrolled learners who reached each milestone."),
                      .n = n,
                      .label = lab,
                      .ns = 1,
                      .sname = names,
                      .color = colors,
                      .v = v,
                      .total = tot};
    svg_hbars(f, &b);
    free(lab);
    free(v);
    free(tot);
}

void report_svg_cohorts(FILE *f, const struct kpi_result *r)
{
    const char *const names[] = {_("Completed"), _("In progress"), _("Withdrawn"), _("Failed")};
    static const char *const colors[] = {"#2e7d32", "#90caf9", "#c62828", "#ef6c00"};
    size_t n = r->n_cohorts;
    const char **lab = lcm_xcalloc(n ? n : 1, sizeof *lab);
    int64_t *v = lcm_xcalloc(4 * (n ? n : 1), sizeof *v), *tot = lcm_xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const struct kpi_counts *c = &r->cohorts[i];
        lab[i] = c->label;
        v[i] = c->completed;
        v[n + i] = c->running;
        v[2 * n + i] = c->withdrawn;
        v[3 * n + i] = c->failed;
        tot[i] = c->enrolled;
    }
    struct hbars b = {.id = "chart-cohorts",
                      .title = _("Completion by cohort"),
                      .desc = _("Each cohort's enrolled learners by status; the figure on the "
                                "right is the completion rate."),
                      .n = n,
                      .label = lab,
                      .ns = 4,
                      .sname = names,
                      .color = colors,
                      .v = v,
                      .total = tot};
    svg_hbars(f, &b);
    free(lab);
    free(v);
    free(tot);
}
