/* report_common.h — private to core/report (and its white-box tests): what every report
 * format shares, from report_common.c. Number formatting, the cleaning and escaping of data
 * strings, the manager summary and the labels every format uses. Nothing in it calls back
 * into a writer. */
#ifndef LCM_REPORT_COMMON_H
#define LCM_REPORT_COMMON_H

#include <stdbool.h>
#include <stdio.h>

#include "report/report.h"

#define REPORT_COMMON_TEXT_MAX                                                                     \
    400 /* longest data string written (bytes, cut on a UTF-8 boundary) */

/* True when the report is written in French (the language in effect, i18n.h): decimal comma,
 * no-break space as thousands separator and before "%". */
bool report_common_french(void);
/* "," in English, a no-break space (U+00A0) in French. */
const char *report_common_thousands(void);
/* " %" in English, no-break space and "%" in French. */
const char *report_common_pct_sign(void);
/* "80,600" in English, "80 600" (no-break space) in French. Returns buf. */
char *report_common_int(int64_t n, char *buf, size_t len);
/* "80,600 EUR"; cents shown only when the amount has them. */
char *report_common_money(double v, const char *currency, char *buf, size_t len);
/* "11.3 %" ("11,3 %" in French) from num / den; "–" when den is 0. */
char *report_common_pct(int64_t num, int64_t den, char *buf, size_t len);
/* pct (already in percent) with d decimals and the language's "%": "50.0 %", "50,0 %". */
char *report_common_pct_of(double pct, int d, char *buf, size_t len);
/* A rate as a plain number of percent with one decimal ("11.3"), "" when den is 0. */
char *report_common_pct_num(int64_t num, int64_t den, bool comma, char *buf, size_t len);
/* A real with d decimals, "." or "," as the decimal mark. */
char *report_common_real(double v, int d, bool comma, char *buf, size_t len);

/* The HTML entity for & < > " ' ("&amp;" ...), NULL for any other byte. */
const char *report_common_html_entity(char c);

/* Writes text_clean_plain(s, false, REPORT_COMMON_TEXT_MAX) onto f, each byte replaced by
 * escape(byte) when that is not NULL. */
void report_common_put_escaped(FILE *f, const char *s, const char *(*escape)(char c));

/* HTML-escapes clean text onto f (& < > " '): the HTML and SVG writers' one escaper. */
void report_common_html_put(FILE *f, const char *s);

/* The name shown for a learner: "Last, First" or the pseudonym "Learner 017". buf >= 64. */
const char *report_common_learner_name(const struct report_options *o, const struct kpi_learner *l,
                                       char *buf, size_t len);

/* The money formulas in words and numbers, one sentence each, e.g.
 * "Drop-outs avoided: (50.0 % baseline − 11.3 % actual) × 160 enrolled = 62 learners ×
 * 1,300 EUR = 80,600 EUR". which: 0 drop-out cost, 1 drop-outs avoided. Writes "" when the
 * money is not configured. Returns buf. */
char *report_common_money_sentence(const struct kpi_result *r, int which, char *buf, size_t len);

/* The four headline figures for a busy manager: a title, the figure and one sentence. */
struct report_common_headline {
    char title[64], figure[64], sentence[512];
};
void report_common_headlines(const struct kpi_result *r, struct report_common_headline out[4]);

/* The sentences of the LCM's follow-up section (check-ins, contacts, flags), one per line. */
size_t report_common_followup_lines(const struct kpi_result *r, char lines[][256], size_t max);

/* "2026-W23". */
char *report_common_week(const struct kpi_week *w, char *buf, size_t len);
/* Labels in the language in effect. */
const char *report_common_channel(int ch); /* "Calls", "E-mails", ... */
const char *report_common_status(enum enroll_status s);
const char *report_common_risk(int level); /* "low", "medium", "high", "" */
/* Untranslated (N_): print them through _(). */
extern const char *const report_common_bucket_names[KPI_BUCKETS];

/* The definitions printed at the end of every report (drop-out, completion, ...); N_: print
 * them through _(). */
extern const char *const report_common_definitions[];

#endif
