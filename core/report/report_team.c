/* report_team.c — the table of `report --by lcm` in Markdown, CSV and HTML. See report_team.h. */
#include "report/report_team.h"

#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "base/text.h"
#include "report/report_common.h"

/* The columns, in order (one list for every format). */
static const char *const cols[] = {
    N_("LCM"),
    N_("e-mail"),
    N_("learners followed"),
    N_("contacts"),
    N_("learners contacted"),
    N_("re-engaged within 7 days"),
    N_("flagged"),
    N_("contacted after the flag"),
    N_("days to first contact"),
};
#define NCOLS (sizeof cols / sizeof cols[0])

/* The cells of a row as text (numbers formatted for the language; mark: the decimal mark). */
static void cells(const struct store_team_report_row *r, bool comma, char out[NCOLS][160])
{
    snprintf(out[0], 160, "%s",
             r->id == 0 ? _("(no LCM: unassigned or unsigned)")
             : *r->name ? r->name
                        : r->email);
    snprintf(out[1], 160, "%s", r->email);
    snprintf(out[2], 160, "%lld", (long long)r->learners);
    snprintf(out[3], 160, "%lld", (long long)r->contacts);
    snprintf(out[4], 160, "%lld", (long long)r->contacted);
    report_common_pct_num(r->reengaged, r->contacts, comma, out[5], 160);
    if (out[5][0])
        strncat(out[5], " %", 159 - strlen(out[5]));
    snprintf(out[6], 160, "%lld", (long long)r->flagged);
    snprintf(out[7], 160, "%lld", (long long)r->answered);
    if (r->answered)
        report_common_real(r->days_to_contact, 1, comma, out[8], 160);
    else
        snprintf(out[8], 160, "–");
}

static const char *md_escape(char c)
{
    static char b[3];
    if (!strchr("|*_`[]<>#\\", c) || !c)
        return NULL;
    b[0] = '\\';
    b[1] = c;
    b[2] = '\0';
    return b;
}

static void write_md(FILE *f, const struct store_team_report_row *rows, size_t n,
                     const struct report_options *o)
{
    fprintf(f, "# %s\n\n", _("The team of LCMs"));
    if (o->scope) {
        report_common_put_escaped(f, o->scope, md_escape);
        fputs("\n\n", f);
    }
    for (size_t c = 0; c < NCOLS; c++)
        fprintf(f, "| %s ", _(cols[c]));
    fputs("|\n", f);
    for (size_t c = 0; c < NCOLS; c++)
        fputs(c < 2 ? "|---" : "|---:", f);
    fputs("|\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[NCOLS][160];
        cells(&rows[i], report_common_french(), v);
        for (size_t c = 0; c < NCOLS; c++) {
            fputs("| ", f);
            report_common_put_escaped(f, v[c], md_escape);
            fputc(' ', f);
        }
        fputs("|\n", f);
    }
    fprintf(f, "\n%s\n",
            _("Contacts: outbound check-ins and sent messages (notes and the "
              "learners' own calls do not count). Re-engaged: activity in the 7 "
              "days after the contact. Flagged: enrolments flagged at risk in the "
              "period, by the LCM who follows them now."));
}

static void csv_field(FILE *f, const char *s, char sep, bool first)
{
    char *t = text_clean_plain(s, false, REPORT_COMMON_TEXT_MAX);
    if (!first)
        fputc(sep, f);
    bool guard = t[0] && strchr("=+-@", t[0]);
    fputc('"', f);
    if (guard)
        fputc('\'', f);
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
    free(t);
}

static void write_csv(FILE *f, const struct store_team_report_row *rows, size_t n,
                      const struct report_options *o)
{
    char sep = o->sep ? o->sep : ',';
    if (o->bom)
        fputs("\xef\xbb\xbf", f);
    for (size_t c = 0; c < NCOLS; c++)
        csv_field(f, _(cols[c]), sep, c == 0);
    fputs("\r\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[NCOLS][160];
        cells(&rows[i], o->decimal_comma, v);
        char *pct = strstr(v[5], " %");
        if (pct)
            *pct = '\0'; /* a plain number for a spreadsheet */
        if (!rows[i].answered)
            v[8][0] = '\0';
        for (size_t c = 0; c < NCOLS; c++)
            csv_field(f, v[c], sep, c == 0);
        fputs("\r\n", f);
    }
}

static void write_html(FILE *f, const struct store_team_report_row *rows, size_t n,
                       const struct report_options *o)
{
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", f);
    report_common_html_put(f, _("The team of LCMs"));
    fputs("</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:"
          "collapse}th,td{border:1px solid #999;padding:.3em .6em}td.n{text-align:right}"
          "</style></head><body>\n<h1>",
          f);
    report_common_html_put(f, _("The team of LCMs"));
    fputs("</h1>\n", f);
    if (o->scope) {
        fputs("<p>", f);
        report_common_html_put(f, o->scope);
        fputs("</p>\n", f);
    }
    fputs("<table><tr>", f);
    for (size_t c = 0; c < NCOLS; c++) {
        fputs("<th>", f);
        report_common_html_put(f, _(cols[c]));
        fputs("</th>", f);
    }
    fputs("</tr>\n", f);
    for (size_t i = 0; i < n; i++) {
        char v[NCOLS][160];
        cells(&rows[i], report_common_french(), v);
        fputs("<tr>", f);
        for (size_t c = 0; c < NCOLS; c++) {
            fputs(c < 2 ? "<td>" : "<td class=\"n\">", f);
            report_common_html_put(f, v[c]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</table>\n</body></html>\n", f);
}

enum lcm_status report_team_write(FILE *f, const struct store_team_report_row *rows, size_t n,
                                  const struct report_options *o, struct lcm_err *err)
{
    if (o->format == REPORT_CSV)
        write_csv(f, rows, n, o);
    else if (o->format == REPORT_HTML)
        write_html(f, rows, n, o);
    else
        write_md(f, rows, n, o);
    if (fflush(f) != 0 || ferror(f))
        return lcm_err_set(err, LCM_ERR_IO, _("report: cannot write the team's table"));
    return LCM_OK;
}
