/* report_common.c — what every report format shares: numbers, the money formulas, the manager
 * summary, labels, and the cleaning and escaping of data strings. The writers (report_csv.c,
 * report_html.c, report_md.c, report_svg.c) call down into it; it calls none of them. */
#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/text.h"
#include "report/report_common.h"

const char *const report_common_bucket_names[KPI_BUCKETS] = {
    N_("0-24 %"), N_("25-49 %"), N_("50-74 %"), N_("75-99 %"), N_("100 %")};

const char *const report_common_definitions[] = {
    N_("Enrolled: enrollments of the scope that started on or before the period's last day and "
       "had not ended before its first day; status is read as of the period's last day."),
    N_("Completion rate = completed / enrolled."),
    N_("Drop-out rate = withdrawn / enrolled, the same for every cohort (failed learners "
       "finished the course and are not drop-outs)."),
    N_("Active in the last 7 / 30 days: at least one day with a session or training time in the "
       "7 / 30 days ending on the period's last day."),
    N_("Visit frequency = active days / learner-weeks enrolled within the period."),
    N_("Progress: the current progress, or for a period that ended before today the highest "
       "progress recorded in the activity history up to its end."),
    N_("Risk over time is derived from the activity history (the risk module keeps only today's "
       "score): on each week's last day a learner in progress is high when idle 14 days or more, "
       "medium when idle 7 to 13 days, low otherwise."),
    N_("Flag to first contact: days from risk.flagged_since to the first outbound call, e-mail, "
       "chat or meeting on or after it; came back: an active day within 7 / 14 days after it."),
    N_("Message return rate: sent messages followed by an active day within 7 days."),
    N_("Drop-out cost = withdrawn x cost per enrolment (+ hours trained by them x cost per hour). "
       "Drop-outs avoided = (baseline drop-out rate - actual rate) x enrolled, rounded, valued at "
       "the cost per enrolment."),
    NULL};

bool report_common_french(void)
{
    return i18n_current() == I18N_FR;
}

/* A no-break space (U+00A0) in French, where a line must not break: "80 600", "11,3 %". */
#define NBSP "\xc2\xa0"

const char *report_common_thousands(void)
{
    return report_common_french() ? NBSP : ",";
}

const char *report_common_pct_sign(void)
{
    return report_common_french() ? NBSP "%" : " %";
}

char *report_common_int(int64_t n, char *buf, size_t len)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%" PRId64, n < 0 ? -n : n);
    size_t nd = strlen(digits), o = 0;
    char tmp[48];
    if (n < 0)
        tmp[o++] = '-';
    for (size_t i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            for (const char *t = report_common_thousands(); *t; t++)
                tmp[o++] = *t;
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    snprintf(buf, len, "%s", tmp);
    return buf;
}

char *report_common_money(double v, const char *currency, char *buf, size_t len)
{
    char n[48];
    double whole = floor(fabs(v) + 1e-9);
    double cents = round((fabs(v) - whole) * 100);
    report_common_int((int64_t)(v < 0 ? -whole : whole), n, sizeof n);
    if (cents >= 1 && cents < 100)
        snprintf(buf, len, "%s%c%02d %s", n, report_common_french() ? ',' : '.', (int)cents,
                 currency);
    else
        snprintf(buf, len, "%s %s", n, currency);
    return buf;
}

char *report_common_pct(int64_t num, int64_t den, char *buf, size_t len)
{
    if (den <= 0)
        snprintf(buf, len, "\xe2\x80\x93");
    else
        report_common_pct_of(100.0 * (double)num / (double)den, 1, buf, len);
    return buf;
}

char *report_common_pct_of(double pct, int d, char *buf, size_t len)
{
    char n[48];
    snprintf(buf, len, "%s%s", report_common_real(pct, d, report_common_french(), n, sizeof n),
             report_common_pct_sign());
    return buf;
}

char *report_common_real(double v, int d, bool comma, char *buf, size_t len)
{
    snprintf(buf, len, "%.*f", d, v);
    if (comma) {
        char *dot = strchr(buf, '.');
        if (dot)
            *dot = ',';
    }
    return buf;
}

char *report_common_pct_num(int64_t num, int64_t den, bool comma, char *buf, size_t len)
{
    if (den <= 0) {
        snprintf(buf, len, "%s", "");
        return buf;
    }
    return report_common_real(100.0 * (double)num / (double)den, 1, comma, buf, len);
}

const char *report_common_html_entity(char c)
{
    switch (c) {
    case '&':
        return "&amp;";
    case '<':
        return "&lt;";
    case '>':
        return "&gt;";
    case '"':
        return "&quot;";
    case '\'':
        return "&#39;";
    default:
        return NULL;
    }
}

void report_common_put_escaped(FILE *f, const char *s, const char *(*escape)(char c))
{
    char *c = text_clean_plain(s, false, REPORT_COMMON_TEXT_MAX);
    for (const char *p = c; *p; p++) {
        const char *e = escape(*p);
        if (e)
            fputs(e, f);
        else
            fputc(*p, f);
    }
    free(c);
}

void report_common_html_put(FILE *f, const char *s)
{
    report_common_put_escaped(f, s, report_common_html_entity);
}

const char *report_common_learner_name(const struct report_options *o, const struct kpi_learner *l,
                                       char *buf, size_t len)
{
    if (o->anonymous)
        snprintf(buf, len, _("Learner %03lld"), (long long)l->learner_id);
    else if (*l->last_name && *l->first_name)
        snprintf(buf, len, "%s, %s", l->last_name, l->first_name);
    else
        snprintf(buf, len, "%s%s", l->last_name, l->first_name);
    return buf;
}

char *report_common_week(const struct kpi_week *w, char *buf, size_t len)
{
    snprintf(buf, len, "%04d-W%02d", w->iso_year, w->iso_week);
    return buf;
}

const char *report_common_channel(int ch)
{
    static const char *const names[CH_COUNT] = {N_("Calls"),      N_("E-mails"), N_("Chats"),
                                                N_("Meetings"),   N_("Notes"),   N_("SMS"),
                                                N_("Video calls")};
    return ch >= 0 && ch < CH_COUNT ? _(names[ch]) : "";
}

const char *report_common_status(enum enroll_status s)
{
    switch (s) {
    case ENROLL_ACTIVE:
        return _("in progress");
    case ENROLL_COMPLETED:
        return _("completed");
    case ENROLL_WITHDRAWN:
        return _("withdrawn");
    case ENROLL_FAILED:
        return _("failed");
    }
    return "";
}

const char *report_common_risk(int level)
{
    return level == 0 ? _("low") : level == 1 ? _("medium") : level == 2 ? _("high") : "";
}

char *report_common_money_sentence(const struct kpi_result *r, int which, char *buf, size_t len)
{
    const struct kpi_money_conf *c = &r->money_conf;
    const struct kpi_money *m = &r->money;
    char a[64], b[64], d[64], e[64], g[64];
    buf[0] = '\0';
    if (!m->configured)
        return buf;
    if (which == 0) {
        int n = snprintf(buf, len, _("Cost of drop-outs: %s withdrawn \xc3\x97 %s = %s"),
                         report_common_int(r->total.withdrawn, a, sizeof a),
                         report_common_money(c->cost_per_enrollment, c->currency, b, sizeof b),
                         report_common_money(m->dropout_cost, c->currency, d, sizeof d));
        if (c->cost_per_hour > 0 && n > 0 && (size_t)n < len)
            snprintf(
                buf + n, len - (size_t)n, _(", plus %s hours trained \xc3\x97 %s = %s; total %s"),
                report_common_int((int64_t)llround(m->withdrawn_hours), a, sizeof a),
                report_common_money(c->cost_per_hour, c->currency, b, sizeof b),
                report_common_money(m->hours_cost, c->currency, e, sizeof e),
                report_common_money(m->dropout_cost + m->hours_cost, c->currency, g, sizeof g));
        return buf;
    }
    char base[32], act[32];
    report_common_pct_of(100.0 * c->baseline_dropout, 1, base, sizeof base);
    report_common_pct(r->total.withdrawn, r->total.enrolled, act, sizeof act);
    report_common_int(r->total.enrolled, a, sizeof a);
    if (m->avoided > 0)
        snprintf(buf, len,
                 _("Drop-outs avoided: (%s baseline \xe2\x88\x92 %s actual) \xc3\x97 %s enrolled = "
                   "%s learners \xc3\x97 %s = %s"),
                 base, act, a, report_common_int(m->avoided, b, sizeof b),
                 report_common_money(c->cost_per_enrollment, c->currency, d, sizeof d),
                 report_common_money(m->avoided_value, c->currency, e, sizeof e));
    else
        snprintf(buf, len,
                 _("Drop-outs avoided: none, the actual drop-out rate %s is not below the %s "
                   "baseline ((%s \xe2\x88\x92 %s) \xc3\x97 %s enrolled = %s learners)"),
                 act, base, base, act, a, report_common_int(m->avoided, b, sizeof b));
    size_t o = strlen(buf);
    if (r->total.running > 0 && o < len) /* like with like, or say so */
        snprintf(buf + o, len - o,
                 _("; not like with like yet: %s learners are still in progress, and the "
                   "baseline is an end-of-course rate"),
                 report_common_int(r->total.running, g, sizeof g));
    return buf;
}

void report_common_headlines(const struct kpi_result *r, struct report_common_headline out[4])
{
    const struct kpi_counts *t = &r->total;
    char a[32], b[32], c[32], to[32];
    memset(out, 0, 4 * sizeof *out);
    snprintf(out[0].title, sizeof out[0].title, _("Completion"));
    report_common_pct(t->completed, t->enrolled, out[0].figure, sizeof out[0].figure);
    snprintf(out[0].sentence, sizeof out[0].sentence,
             _("%s of the %s enrolled learners completed the course; %s are still in progress."),
             report_common_int(t->completed, a, sizeof a),
             report_common_int(t->enrolled, b, sizeof b),
             report_common_int(t->running, c, sizeof c));
    snprintf(out[1].title, sizeof out[1].title, _("Drop-out"));
    report_common_pct(t->withdrawn, t->enrolled, out[1].figure, sizeof out[1].figure);
    snprintf(out[1].sentence, sizeof out[1].sentence,
             _("%s of the %s enrolled learners withdrew (drop-out = withdrawn / enrolled)."),
             report_common_int(t->withdrawn, a, sizeof a),
             report_common_int(t->enrolled, b, sizeof b));
    snprintf(out[2].title, sizeof out[2].title, _("Active this week"));
    report_common_pct(t->running_active7, t->running, out[2].figure, sizeof out[2].figure);
    snprintf(out[2].sentence, sizeof out[2].sentence,
             _("%s of the %s learners in progress trained in the 7 days to %s."),
             report_common_int(t->running_active7, a, sizeof a),
             report_common_int(t->running, b, sizeof b), i18n_date(to, sizeof to, r->to_day));
    if (r->money.configured) {
        bool avoided = r->money.avoided > 0;
        snprintf(out[3].title, sizeof out[3].title,
                 avoided ? _("Drop-outs avoided") : _("Cost of drop-outs"));
        report_common_money(avoided ? r->money.avoided_value
                                    : r->money.dropout_cost + r->money.hours_cost,
                            r->money_conf.currency, out[3].figure, sizeof out[3].figure);
        char full[512];
        report_common_money_sentence(r, avoided ? 1 : 0, full, sizeof full);
        const char *colon = strstr(full, ": "); /* the title already names the figure */
        snprintf(out[3].sentence, sizeof out[3].sentence, "%s.", colon ? colon + 2 : full);
        out[3].sentence[0] = (char)toupper((unsigned char)out[3].sentence[0]);
        return;
    }
    snprintf(out[3].title, sizeof out[3].title, _("Follow-up"));
    snprintf(out[3].figure, sizeof out[3].figure, _("%s check-ins"),
             report_common_int(r->checkins, a, sizeof a));
    if (r->flagged == 0)
        snprintf(out[3].sentence, sizeof out[3].sentence,
                 _("%s learners contacted in the period; no learner is flagged at risk today."),
                 report_common_int(r->contacted, a, sizeof a));
    else
        snprintf(out[3].sentence, sizeof out[3].sentence,
                 _("%s learners contacted in the period; %s of the %s learners flagged at risk "
                   "were contacted after the flag, and %s trained again within 14 days."),
                 report_common_int(r->contacted, a, sizeof a),
                 report_common_int(r->flagged_contacted, b, sizeof b),
                 report_common_int(r->flagged, c, sizeof c),
                 report_common_int(r->back14, to, sizeof to));
}

size_t report_common_followup_lines(const struct kpi_result *r, char lines[][256], size_t max)
{
    char a[32], b[32], c[32], d[32], g[32];
    size_t n = 0;
    if (n < max)
        snprintf(lines[n++], 256, _("Check-ins in the period: %s (learners contacted: %s)."),
                 report_common_int(r->checkins, a, sizeof a),
                 report_common_int(r->contacted, b, sizeof b));
    if (n < max) {
        if (r->median_flag_to_contact >= 0)
            snprintf(lines[n++], 256,
                     _("Flagged learners: %s; contacted after the flag: %s, a median %s days "
                       "after it."),
                     report_common_int(r->flagged, a, sizeof a),
                     report_common_int(r->flagged_contacted, b, sizeof b),
                     report_common_real(r->median_flag_to_contact, 1, report_common_french(), c,
                                        sizeof c));
        else
            snprintf(lines[n++], 256, _("Flagged learners: %s; none contacted after the flag yet."),
                     report_common_int(r->flagged, a, sizeof a));
    }
    if (n < max)
        snprintf(lines[n++], 256,
                 _("Came back after the contact: %s within 7 days, %s within 14 days (of %s)."),
                 report_common_int(r->back7, a, sizeof a),
                 report_common_int(r->back14, b, sizeof b),
                 report_common_int(r->flagged_contacted, c, sizeof c));
    if (n < max)
        snprintf(lines[n++], 256,
                 _("Messages sent: %s; followed by activity within 7 days: %s (%s)."),
                 report_common_int(r->messages_sent, a, sizeof a),
                 report_common_int(r->messages_returned7, b, sizeof b),
                 report_common_pct(r->messages_returned7, r->messages_sent, c, sizeof c));
    const struct event_kpi *e = &r->events;
    if (n < max && e->events > 0)
        snprintf(lines[n++], 256,
                 _("Group events: %s, %s invitations; answered %s, accepted %s, attended %s."),
                 report_common_int(e->events, a, sizeof a),
                 report_common_int(e->invitations, b, sizeof b),
                 report_common_pct(e->answered, e->invitations, c, sizeof c),
                 report_common_pct(e->accepted, e->invitations, d, sizeof d),
                 report_common_pct(e->attended, e->invitations, g, sizeof g));
    if (n < max && e->events > 0)
        snprintf(lines[n++], 256,
                 _("In the 14 days after an event: attendees active %s days on average (%s), the "
                   "other invitees %s days (%s)."),
                 report_common_real(e->att_n ? (double)e->att_days / (double)e->att_n : 0, 1,
                                    report_common_french(), a, sizeof a),
                 report_common_int(e->att_n, b, sizeof b),
                 report_common_real(e->non_n ? (double)e->non_days / (double)e->non_n : 0, 1,
                                    report_common_french(), c, sizeof c),
                 report_common_int(e->non_n, d, sizeof d));
    if (n < max && r->purged > 0)
        snprintf(lines[n++], 256,
                 _("Detailed data purged for %s enrolments ended more than %d days ago "
                   "(privacy.retention_days); their figures come from the weekly totals kept."),
                 report_common_int(r->purged, a, sizeof a), r->purge_days);
    return n;
}
