/* report_internal.h — shared by core/report*.c: number formatting, cleaning of data strings,
 * the manager summary and the labels every format uses. */
#ifndef LCM_REPORT_INTERNAL_H
#define LCM_REPORT_INTERNAL_H

#include <stdio.h>

#include "report/report.h"

#define REP_TEXT_MAX 400 /* longest data string written (bytes, cut on a UTF-8 boundary) */

/* "80,600" (English thousands separator). Returns buf. */
char *rep_int(int64_t n, char *buf, size_t len);
/* "80,600 EUR"; cents shown only when the amount has them. */
char *rep_money(double v, const char *currency, char *buf, size_t len);
/* "11.3 %" from a rate 0..1; "–" when den is 0. */
char *rep_pct(int64_t num, int64_t den, char *buf, size_t len);
/* A rate as a plain number of percent with one decimal ("11.3"), "" when den is 0. */
char *rep_pct_num(int64_t num, int64_t den, bool comma, char *buf, size_t len);
/* A real with d decimals, "." or "," as the decimal mark. */
char *rep_real(double v, int d, bool comma, char *buf, size_t len);

/* The HTML entity for & < > " ' ("&amp;" ...), NULL for any other byte. */
const char *rep_html_entity(char c);

/* Writes text_clean_plain(s, false, REP_TEXT_MAX) onto f, each byte replaced by escape(byte) when
 * that is not NULL. */
void rep_put_escaped(FILE *f, const char *s, const char *(*escape)(char c));

/* The name shown for a learner: "Last, First" or the pseudonym "Learner 017". buf >= 64. */
const char *rep_learner_name(const struct report_options *o, const struct kpi_learner *l, char *buf,
                             size_t len);

/* The four headline figures for a busy manager: a title, the figure and one sentence. */
struct rep_headline {
    char title[64], figure[64], sentence[512];
};
void rep_headlines(const struct kpi_result *r, struct rep_headline out[4]);

/* The sentences of the LCM's follow-up section (check-ins, contacts, flags), one per line. */
size_t rep_followup_lines(const struct kpi_result *r, char lines[][256], size_t max);

/* "2026-W23". */
char *rep_week(const struct kpi_week *w, char *buf, size_t len);
const char *rep_channel(int ch); /* "Calls", "E-mails", ... */
const char *rep_status(enum enroll_status s);
const char *rep_risk(int level); /* "low", "medium", "high", "" */
extern const char *const rep_bucket_names[KPI_BUCKETS];

/* The definitions printed at the end of every report (drop-out, completion, ...). */
extern const char *const rep_definitions[];

enum lcm_status report_write_md(FILE *f, const struct kpi_result *r,
                                const struct report_options *o);
enum lcm_status report_write_csv(FILE *f, const struct kpi_result *r,
                                 const struct report_options *o);
enum lcm_status report_write_html(FILE *f, const struct kpi_result *r,
                                  const struct report_options *o);

/* Inline SVG charts (report_svg.c). Each writes one <figure> holding an <svg> with the given
 * id and a <title>. */
void svg_weekly_active(FILE *f, const struct kpi_result *r);
void svg_funnel(FILE *f, const struct kpi_result *r);
void svg_risk_weeks(FILE *f, const struct kpi_result *r);
void svg_checkin_weeks(FILE *f, const struct kpi_result *r);
void svg_cohorts(FILE *f, const struct kpi_result *r);

/* HTML-escapes clean text onto f (& < > " '). */
void html_put(FILE *f, const char *s);

#endif
