/* report_csv.c — the CSV report for Excel users: RFC 4180 (CRLF records, fields with the
 * separator, quotes or line breaks quoted, quotes doubled), ',' or ';' separator, optional
 * UTF-8 BOM and decimal comma for French Excel. One file, several tables one after the other,
 * each preceded by its header row and separated by an empty record. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/text.h"
#include "report/report_common.h"
#include "report/report_csv.h"

struct csv {
    FILE *f;
    char sep;
    bool comma;
    bool first; /* no separator before the record's first field */
};

/* A text field. A leading = + - @ gets a "'" so a spreadsheet shows it instead of running it
 * as a formula. */
static void csv_text(struct csv *c, const char *s)
{
    char *t = text_clean_plain(s, false, REPORT_COMMON_TEXT_MAX);
    if (!c->first)
        fputc(c->sep, c->f);
    c->first = false;
    bool guard = strchr("=+-@", t[0]) && t[0];
    bool quote = guard || strchr(t, c->sep) || strchr(t, '"') || t[0] == ' ' ||
                 (t[0] && t[strlen(t) - 1] == ' ');
    if (quote)
        fputc('"', c->f);
    if (guard)
        fputc('\'', c->f);
    for (const char *p = t; *p; p++) {
        if (*p == '"')
            fputc('"', c->f);
        fputc(*p, c->f);
    }
    if (quote)
        fputc('"', c->f);
    free(t);
}

static void csv_int(struct csv *c, int64_t v)
{
    if (!c->first)
        fputc(c->sep, c->f);
    c->first = false;
    fprintf(c->f, "%" PRId64, v);
}

/* A number we formatted ourselves: no formula guard (a "-" here is a minus sign, and "'-20.4"
 * would be text to a spreadsheet); quoted only when the decimal mark is the separator. */
static void csv_real(struct csv *c, double v, int d)
{
    char b[64];
    report_common_real(v, d, c->comma, b, sizeof b);
    if (!c->first)
        fputc(c->sep, c->f);
    c->first = false;
    bool quote = strchr(b, c->sep) != NULL;
    fprintf(c->f, quote ? "\"%s\"" : "%s", b);
}

static void csv_pct(struct csv *c, int64_t num, int64_t den)
{
    char b[64];
    csv_text(c, report_common_pct_num(num, den, c->comma, b, sizeof b));
}

static void csv_end(struct csv *c)
{
    fputs("\r\n", c->f);
    c->first = true;
}

/* A header record from a '|'-separated list of column names. */
static void csv_header(struct csv *c, const char *cols)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", cols);
    for (char *save = NULL, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save))
        csv_text(c, t);
    csv_end(c);
}

static void csv_kv(struct csv *c, const char *name, int64_t v, const char *unit, const char *def)
{
    csv_text(c, name);
    csv_int(c, v);
    csv_text(c, unit);
    csv_text(c, def);
    csv_end(c);
}

/* The group events' rows (only when some ended in the period). */
static void csv_events(struct csv *c, const struct event_kpi *e)
{
    csv_kv(c, _("Group events"), e->events, _("events"), "");
    csv_kv(c, _("Event invitations"), e->invitations, _("invitations"), "");
    csv_text(c, _("Event answer rate"));
    csv_pct(c, e->answered, e->invitations);
    csv_text(c, "%");
    csv_text(c, _("answered / invitations"));
    csv_end(c);
    csv_text(c, _("Event acceptance rate"));
    csv_pct(c, e->accepted, e->invitations);
    csv_text(c, "%");
    csv_text(c, _("accepted / invitations"));
    csv_end(c);
    csv_text(c, _("Event attendance rate"));
    csv_pct(c, e->attended, e->invitations);
    csv_text(c, "%");
    csv_text(c, _("attended / invitations"));
    csv_end(c);
    csv_text(c, _("Attendees' active days in the 14 days after"));
    csv_real(c, e->att_n ? (double)e->att_days / (double)e->att_n : 0, 1);
    csv_text(c, _("days per attendee"));
    csv_text(c, "");
    csv_end(c);
    csv_text(c, _("Other invitees' active days in the 14 days after"));
    csv_real(c, e->non_n ? (double)e->non_days / (double)e->non_n : 0, 1);
    csv_text(c, _("days per invitee"));
    csv_text(c, "");
    csv_end(c);
}

static void csv_indicators(struct csv *c, const struct kpi_result *r)
{
    const struct kpi_counts *t = &r->total;
    char buf[768];
    /* TRANSLATORS: CSV column names separated by '|'. */
    csv_header(c, _("Indicator|Value|Unit|Definition"));
    csv_kv(c, _("Enrolled"), t->enrolled, _("learners"), "");
    csv_kv(c, _("In progress"), t->running, _("learners"), "");
    csv_kv(c, _("Active in the last 7 days"), t->active7, _("learners"), "");
    csv_kv(c, _("Active in the last 30 days"), t->active30, _("learners"), "");
    csv_kv(c, _("Completed"), t->completed, _("learners"), "");
    csv_kv(c, _("Withdrawn"), t->withdrawn, _("learners"), "");
    csv_kv(c, _("Failed"), t->failed, _("learners"), "");
    csv_text(c, _("Completion rate"));
    csv_pct(c, t->completed, t->enrolled);
    csv_text(c, "%");
    csv_text(c, _("completed / enrolled"));
    csv_end(c);
    csv_text(c, _("Drop-out rate"));
    csv_pct(c, t->withdrawn, t->enrolled);
    csv_text(c, "%");
    csv_text(c, _("withdrawn / enrolled"));
    csv_end(c);
    csv_kv(c, _("Sessions"), t->sessions, _("connections"), "");
    csv_kv(c, _("Training time"), t->minutes, _("minutes"), "");
    csv_text(c, _("Visit frequency"));
    csv_real(c, r->visit_frequency, 2);
    csv_text(c, _("active days per week"));
    csv_text(c, _("active days / learner-weeks enrolled in the period"));
    csv_end(c);
    csv_kv(c, _("Check-ins"), r->checkins, _("check-ins"), "");
    csv_kv(c, _("Learners contacted"), r->contacted, _("learners"), "");
    csv_kv(c, _("Flagged learners"), r->flagged, _("learners"), "");
    csv_kv(c, _("Flagged and contacted"), r->flagged_contacted, _("learners"), "");
    csv_text(c, _("Median days from flag to first contact"));
    if (r->median_flag_to_contact >= 0)
        csv_real(c, r->median_flag_to_contact, 1);
    else
        csv_text(c, "");
    csv_text(c, _("days"));
    csv_text(c, "");
    csv_end(c);
    csv_kv(c, _("Came back within 7 days of the contact"), r->back7, _("learners"), "");
    csv_kv(c, _("Came back within 14 days of the contact"), r->back14, _("learners"), "");
    csv_kv(c, _("Messages sent"), r->messages_sent, _("messages"), "");
    csv_kv(c, _("Messages followed by activity within 7 days"), r->messages_returned7,
           _("messages"), "");
    if (r->purged > 0)
        csv_kv(c, _("Enrolments with detailed data purged (retention)"), r->purged, _("enrolments"),
               "");
    if (r->events.events > 0)
        csv_events(c, &r->events);
    if (r->money.configured) {
        const char *cur = r->money_conf.currency;
        csv_text(c, _("Cost of drop-outs"));
        csv_real(c, r->money.dropout_cost + r->money.hours_cost, 2);
        csv_text(c, cur);
        csv_text(c, report_common_money_sentence(r, 0, buf, sizeof buf));
        csv_end(c);
        csv_kv(c, _("Drop-outs avoided"), r->money.avoided > 0 ? r->money.avoided : 0,
               _("learners"), report_common_money_sentence(r, 1, buf, sizeof buf));
        csv_text(c, _("Value of drop-outs avoided"));
        csv_real(c, r->money.avoided_value, 2);
        csv_text(c, cur);
        csv_text(c, buf);
        csv_end(c);
    }
    csv_end(c);
}

static void csv_counts(struct csv *c, const char *what, const struct kpi_counts *g, size_t n)
{
    char h[512];
    snprintf(h, sizeof h,
             _("%s|Enrolled|In progress|Active 7 days|Active 30 days|Completed|Withdrawn|Failed|"
               "Completion rate (%%)|Drop-out rate (%%)|Sessions|Training minutes"),
             what);
    csv_header(c, h);
    for (size_t i = 0; i < n; i++) {
        csv_text(c, g[i].label);
        int64_t v[] = {g[i].enrolled,  g[i].running,   g[i].active7, g[i].active30,
                       g[i].completed, g[i].withdrawn, g[i].failed};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            csv_int(c, v[k]);
        csv_pct(c, g[i].completed, g[i].enrolled);
        csv_pct(c, g[i].withdrawn, g[i].enrolled);
        csv_int(c, g[i].sessions);
        csv_int(c, g[i].minutes);
        csv_end(c);
    }
    csv_end(c);
}

/* The effect against the holdout: per rule and window, the counts and the difference in points
 * with its interval (empty when there is not enough data). */
static void csv_holdout(struct csv *c, const struct effect_table *t)
{
    if (t->n == 0)
        return;
    /* xgettext:no-c-format */
    csv_header(c, _("Rule|Days|Messaged|Messaged active again|Held out|Held out active again|"
                    "Difference (points)|95 % CI low|95 % CI high"));
    for (size_t i = 0; i < t->n; i++)
        for (int w = 0; w < EFFECT_WINDOWS; w++) {
            const struct effect_cell *e = &t->rows[i].w[w];
            csv_text(c, t->rows[i].name);
            csv_int(c, e->days);
            csv_int(c, e->n1);
            csv_int(c, e->x1);
            csv_int(c, e->n0);
            csv_int(c, e->x0);
            if (e->enough) {
                csv_real(c, e->d * 100, 1);
                csv_real(c, e->lo * 100, 1);
                csv_real(c, e->hi * 100, 1);
            } else {
                csv_text(c, "");
                csv_text(c, "");
                csv_text(c, "");
            }
            csv_end(c);
        }
    csv_end(c);
}

static void csv_tables(struct csv *c, const struct kpi_result *r)
{
    csv_header(c, _("Progress|Learners"));
    for (int i = 0; i < KPI_BUCKETS; i++) {
        csv_text(c, _(report_common_bucket_names[i]));
        csv_int(c, r->buckets[i]);
        csv_end(c);
    }
    csv_end(c);
    csv_header(c, _("Milestone|Reached|Eligible|Share (%)|Median days from start"));
    for (size_t i = 0; i < r->n_milestones; i++) {
        const struct kpi_milestone *m = &r->milestones[i];
        csv_text(c, m->name);
        csv_int(c, m->reached);
        csv_int(c, m->eligible);
        csv_pct(c, m->reached, m->eligible);
        if (m->median_days >= 0)
            csv_real(c, m->median_days, 1);
        else
            csv_text(c, "");
        csv_end(c);
    }
    csv_end(c);
    csv_counts(c, _("Cohort"), r->cohorts, r->n_cohorts);
    if (r->by != KPI_BY_NONE)
        csv_counts(c, r->by == KPI_BY_DEPARTMENT ? _("Department") : _("Manager"), r->groups,
                   r->n_groups);
    csv_header(c, _("Channel|Check-ins"));
    for (int ch = 0; ch < CH_COUNT; ch++) {
        csv_text(c, report_common_channel(ch));
        csv_int(c, r->checkins_by_channel[ch]);
        csv_end(c);
    }
    csv_end(c);
    csv_header(c, _("Template|Sent|Active within 7 days|Return rate (%)"));
    for (size_t i = 0; i < r->n_templates; i++) {
        csv_text(c, r->templates[i].name);
        csv_int(c, r->templates[i].sent);
        csv_int(c, r->templates[i].returned7);
        csv_pct(c, r->templates[i].returned7, r->templates[i].sent);
        csv_end(c);
    }
    csv_end(c);
    csv_holdout(c, &r->holdout);
}

static void csv_weeks(struct csv *c, const struct kpi_result *r)
{
    char w[16], d[DAY_TEXT_LEN];
    csv_header(c, _("Week|Monday|In progress|Active|Active share (%)|Sessions|Training minutes|"
                    "Calls|E-mails|Chats|Meetings|Notes|SMS|Video calls|Messages sent|Completed|"
                    "Withdrawn|Risk low|Risk medium|Risk high"));
    for (size_t i = 0; i < r->n_weeks; i++) {
        const struct kpi_week *k = &r->weeks[i];
        csv_text(c, report_common_week(k, w, sizeof w));
        csv_text(c, day_format(k->monday, d));
        csv_int(c, k->running);
        csv_int(c, k->active);
        csv_pct(c, k->active, k->running);
        csv_int(c, k->sessions);
        csv_int(c, k->minutes);
        for (int ch = 0; ch < CH_COUNT; ch++)
            csv_int(c, k->checkins[ch]);
        int64_t v[] = {k->messages, k->completed, k->withdrawn, k->risk[0], k->risk[1], k->risk[2]};
        for (size_t j = 0; j < sizeof v / sizeof *v; j++)
            csv_int(c, v[j]);
        csv_end(c);
    }
    csv_end(c);
}

static void csv_learners(struct csv *c, const struct kpi_result *r, const struct report_options *o)
{
    char name[128], d[DAY_TEXT_LEN];
    csv_header(c, o->private_notes
                      ? _("Learner|E-mail|Cohort|Department|Manager|Status|Progress (%)|"
                          "Last active|Active days|Training minutes|Risk|Latest note (private)")
                      : _("Learner|E-mail|Cohort|Department|Manager|Status|Progress (%)|"
                          "Last active|Active days|Training minutes|Risk"));
    for (size_t i = 0; i < r->n_learners; i++) {
        const struct kpi_learner *l = &r->learners[i];
        csv_text(c, report_common_learner_name(o, l, name, sizeof name));
        csv_text(c, o->anonymous ? "" : l->email);
        csv_text(c, l->cohort);
        csv_text(c, l->department);
        csv_text(c, l->manager);
        csv_text(c, report_common_status(l->status));
        if (l->progress >= 0)
            csv_real(c, 100 * l->progress, 0);
        else
            csv_text(c, "");
        csv_text(c, l->last_active == DAY_NONE ? "" : day_format(l->last_active, d));
        csv_int(c, l->active_days);
        csv_int(c, l->minutes);
        csv_text(c, report_common_risk(l->risk_level));
        if (o->private_notes)
            csv_text(c, l->note ? l->note : "");
        csv_end(c);
    }
    csv_end(c);
}

enum lcm_status report_csv_write(FILE *f, const struct kpi_result *r,
                                 const struct report_options *o)
{
    struct csv c = {.f = f, .sep = o->sep ? o->sep : ',', .comma = o->decimal_comma, .first = true};
    char d[DAY_TEXT_LEN];
    if (o->bom)
        fputs("\xef\xbb\xbf", f);
    csv_text(&c, _("Training report"));
    csv_text(&c, o->scope ? o->scope : "");
    csv_end(&c);
    csv_text(&c, _("Period"));
    csv_text(&c, day_format(r->from_day, d));
    csv_text(&c, day_format(r->to_day, d));
    csv_end(&c);
    csv_text(&c, _("Audience"));
    csv_text(&c, o->private_notes ? _("PRIVATE: contains the LCM's notes")
                                  : _("manager-facing: no private notes"));
    csv_end(&c);
    csv_end(&c);
    csv_indicators(&c, r);
    csv_tables(&c, r);
    csv_weeks(&c, r);
    if (r->n_learners)
        csv_learners(&c, r, o);
    return ferror(f) ? LCM_ERR_IO : LCM_OK;
}
