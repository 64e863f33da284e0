/* risk_text.c — reasons in plain English or French, and the signals as JSON.
 *
 * The JSON is written by hand rather than through jansson: it has a fixed shape, only static
 * keys and numbers (no text from outside), and risk_update_all writes 100k of them in the 2 s
 * budget. Readers (explain, the TUI, tests) parse it with jansson. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/day.h"
#include "base/model.h"
#include "risk/risk.h"

struct sbuf {
    char *p;
    size_t len, cap;
};

static void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(struct sbuf *b, const char *fmt, ...)
{
    if (b->cap == 0 || b->len >= b->cap - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    b->len += (size_t)n;
    if (b->len >= b->cap)
        b->len = b->cap - 1;
}

/* Appends a string as is (no format: the JSON's fixed parts, 100k times per update). */
static void sb_put(struct sbuf *b, const char *str)
{
    size_t n = strlen(str);
    if (b->cap && b->len + n < b->cap) {
        memcpy(b->p + b->len, str, n + 1);
        b->len += n;
    } else if (b->cap && b->len < b->cap - 1) {
        n = b->cap - 1 - b->len;
        memcpy(b->p + b->len, str, n);
        b->len += n;
        b->p[b->len] = '\0';
    }
}

/* Appends v with at most 3 decimals, trailing zeros dropped ("21", "0.667", "-2.5"): valid
 * JSON, and much cheaper than printf("%g") for the 100k rows of risk_update_all. */
static void sb_num(struct sbuf *b, double v)
{
    if (!(v > -1e12 && v < 1e12)) { /* also NaN */
        sb_printf(b, "%s", v != v ? "0" : v < 0 ? "-1e12" : "1e12");
        return;
    }
    char tmp[32], *p = tmp + sizeof tmp;
    bool neg = v < 0;
    long long m = (long long)((neg ? -v : v) * 1000 + 0.5);
    long long ip = m / 1000;
    int frac = (int)(m % 1000), digits = 3;
    while (digits > 0 && frac % 10 == 0) {
        frac /= 10;
        digits--;
    }
    *--p = '\0';
    for (int i = 0; i < digits; i++, frac /= 10)
        *--p = (char)('0' + frac % 10);
    if (digits > 0)
        *--p = '.';
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip > 0);
    if (neg && m > 0)
        *--p = '-';
    size_t n = strlen(p);
    if (b->cap && b->len + n < b->cap) {
        memcpy(b->p + b->len, p, n + 1);
        b->len += n;
    }
}

static const char *const months_en[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *const months_fr[12] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                                          "juil.", "août",  "sept.", "oct.", "nov.", "déc."};

/* "12 Nov" / "12 nov." */
static void short_date(int day, bool fr, char *buf, size_t len)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    snprintf(buf, len, "%d %s", d, (fr ? months_fr : months_en)[m - 1]);
}

/* Copies a name from outside: control characters become spaces (a reason is one line), at
 * most 60 bytes, cut on a UTF-8 character boundary. */
static void clean_name(const char *in, char *out, size_t len)
{
    size_t max = len - 1 < 60 ? len - 1 : 60, n = 0;
    for (; in && in[n] && n < max; n++)
        out[n] = ((unsigned char)in[n] < 0x20 || in[n] == 0x7f) ? ' ' : in[n];
    while (n > 0 && in[n] && ((unsigned char)in[n] & 0xC0) == 0x80)
        n--; /* do not end inside a multi-byte character */
    out[n] = '\0';
}

static const char *channel_word(int ch, bool fr)
{
    switch (ch) {
    case CH_CALL:
        return fr ? "l'appel" : "call";
    case CH_CHAT:
        return fr ? "le message (chat)" : "chat message";
    case CH_MEETING:
        return fr ? "le rendez-vous" : "meeting";
    default:
        return fr ? "l'e-mail" : "email";
    }
}

static void reason(struct sbuf *b, enum risk_signal s, const struct risk_hist *h,
                   const struct risk_sig *g, bool fr)
{
    int v = (int)(g->value + 0.5);
    char date[32], name[64];
    switch (s) {
    case RS_INACTIVE:
        sb_printf(b, fr ? "Aucune activité depuis %d jours" : "No activity for %d days", v);
        break;
    case RS_NEVER_STARTED:
        sb_printf(b,
                  fr ? "Jamais commencé : inscrit depuis %d jours"
                     : "Never started: enrolled %d days ago",
                  v);
        break;
    case RS_PACE:
        sb_printf(b, fr ? "%d points de retard sur le planning" : "%d points behind schedule", v);
        break;
    case RS_MISSED:
        short_date(h->missed_due, fr, date, sizeof date);
        clean_name(h->missed_name ? h->missed_name : "?", name, sizeof name);
        sb_printf(b, fr ? "« %s » manqué (échéance %s)" : "Missed '%s' due %s", name, date);
        if (h->missed > 1)
            sb_printf(b, fr ? " et %d autre%s" : " and %d more", h->missed - 1,
                      fr && h->missed > 2 ? "s" : "");
        break;
    case RS_LATE:
        clean_name(h->late_name ? h->late_name : "?", name, sizeof name);
        sb_printf(b, fr ? "« %s » rendu avec %d jours de retard" : "Handed in '%s' %d days late",
                  name, h->late_last);
        if (h->late_count > 1)
            sb_printf(b, fr ? " (%d retards, %d jours en tout)" : " (%d late, %d days in all)",
                      h->late_count, h->late_days);
        break;
    case RS_LAST_MINUTE:
        if (h->best_margin < 0)
            sb_printf(b, fr ? "Rend toujours en retard" : "Hands in late every time");
        else
            sb_printf(b,
                      fr ? "Rend au dernier moment (%d jour%s d'avance au plus)"
                         : "Hands in at the last minute (%d day%s ahead at most)",
                      h->best_margin, h->best_margin > 1 ? "s" : "");
        break;
    case RS_LOW_SCORE:
        clean_name(h->low_score_name ? h->low_score_name : "?", name, sizeof name);
        if (h->low_score_failed && h->low_score_unscored)
            sb_printf(b, fr ? "Échec à « %s »" : "Failed '%s'", name);
        else if (h->low_score_failed)
            sb_printf(b, fr ? "Échec à « %s » (note %d)" : "Failed '%s' (scored %d)", name, v);
        else
            sb_printf(b, fr ? "Note de %d sur « %s »" : "Scored %d on '%s'", v, name);
        if (!h->low_score_failed && h->low_score_cohort)
            sb_printf(b, fr ? " (médiane de la cohorte %d)" : " (cohort median %d)",
                      (int)(h->low_score_ref + 0.5));
        break;
    case RS_PEERS:
        if (h->peers_window_days <= 0) {
            sb_printf(b,
                      fr ? "Moins actif que %d %% de la cohorte depuis le début"
                         : "Less active than %d %% of the cohort so far",
                      (int)(100 - g->value + 0.5));
            break;
        }
        sb_printf(b,
                  fr ? "Moins actif que %d %% de la cohorte sur %d jours"
                     : "Less active than %d %% of the cohort over %d days",
                  (int)(100 - g->value + 0.5), h->peers_window_days);
        break;
    case RS_DROP:
        sb_printf(b,
                  fr ? "Activité en baisse de %d %% sur sa propre moyenne"
                     : "Activity down %d %% on own average",
                  (int)(g->value * 100 + 0.5));
        break;
    case RS_STALLED:
        sb_printf(b,
                  fr ? "Se connecte sans progresser depuis %d jours"
                     : "Logs in without progress for %d days",
                  v);
        break;
    case RS_OUTREACH:
        short_date(day_from_time(h->outreach_at), fr, date, sizeof date);
        if (fr)
            sb_printf(b, "Pas de réponse depuis %s du %s", channel_word(h->outreach_channel, fr),
                      date);
        else
            sb_printf(b, "No answer since the %s %s", date, channel_word(h->outreach_channel, fr));
        break;
    case RS_DEBT:
        sb_printf(b,
                  fr ? "Signalé depuis %d jours sans prise de contact"
                     : "Flagged for %d days with no check-in",
                  v);
        break;
    case RS_COUNT:
        break;
    }
}

size_t risk_text_reasons(const struct risk_params *p, const struct risk_hist *h,
                         const struct risk_result *r, const char *lang, char *buf, size_t len)
{
    struct sbuf b = {buf, 0, len};
    if (len)
        buf[0] = '\0';
    bool fr = !lang || strcmp(lang, "en") != 0;
    bool used[RS_COUNT] = {0};
    /* Never started says it all: first, and "No activity for N days" (the same N) left out */
    const struct risk_sig *ns = &r->sig[RS_NEVER_STARTED];
    if (!ns->skipped && ns->points > 0 && ns->points >= p->reason_min_points &&
        ns->severity >= p->reason_min_severity) {
        used[RS_NEVER_STARTED] = used[RS_INACTIVE] = used[RS_DROP] = true;
        reason(&b, RS_NEVER_STARTED, h, ns, fr);
    }
    /* The inactivity rule made the level: its reason comes first */
    if (r->inactive_rule && !used[RS_INACTIVE]) {
        used[RS_INACTIVE] = true;
        if (b.len)
            sb_printf(&b, "\n");
        reason(&b, RS_INACTIVE, h, &r->sig[RS_INACTIVE], fr);
    }
    /* "down 100 %" says nothing "No activity for N days" has not said */
    if (!r->sig[RS_INACTIVE].skipped && r->sig[RS_INACTIVE].value >= h->window_days &&
        r->sig[RS_INACTIVE].contrib >= p->reason_min_points)
        used[RS_DROP] = true;
    for (;;) {
        int best = -1;
        for (int i = 0; i < RS_COUNT; i++)
            if (!used[i] && r->sig[i].contrib > 0 && r->sig[i].contrib >= p->reason_min_points &&
                r->sig[i].severity >= p->reason_min_severity &&
                (best < 0 || r->sig[i].contrib > r->sig[best].contrib))
                best = i;
        if (best < 0)
            break;
        used[best] = true;
        if (b.len)
            sb_printf(&b, "\n");
        reason(&b, (enum risk_signal)best, h, &r->sig[best], fr);
    }
    return b.len;
}

size_t risk_text_signals_json(const struct risk_params *p, const struct risk_result *r, char *buf,
                              size_t len)
{
    struct sbuf b = {buf, 0, len};
    (void)p; /* each signal carries the weight it was scored with (risk_score_weight) */
    if (len)
        buf[0] = '\0';
    sb_put(&b, "{");
    for (int i = 0; i < RS_COUNT; i++) {
        const struct risk_sig *s = &r->sig[i];
        sb_put(&b, "\"");
        sb_put(&b, risk_signal_name((enum risk_signal)i));
        sb_put(&b, "\":{");
        if (s->skipped) {
            sb_put(&b, "\"skipped\":true,\"why\":\"");
            sb_put(&b, s->why); /* static English phrases, no quotes */
            sb_put(&b, "\",\"weight\":");
            sb_num(&b, s->weight);
        } else {
            sb_put(&b, "\"skipped\":false,\"value\":");
            sb_num(&b, s->value);
            sb_put(&b, ",\"severity\":");
            sb_num(&b, s->severity);
            sb_put(&b, ",\"weight\":");
            sb_num(&b, s->weight);
            sb_put(&b, ",\"contribution\":");
            sb_num(&b, s->contrib);
        }
        sb_put(&b, "},");
    }
    sb_put(&b, "\"groups\":{");
    for (int g = 0; g < RG_COUNT; g++) {
        sb_put(&b, g ? ",\"" : "\"");
        sb_put(&b, risk_group_name((enum risk_group)g));
        sb_put(&b, "\":");
        sb_num(&b, r->group[g]);
    }
    sb_put(&b, "},\"score\":");
    sb_num(&b, r->score);
    sb_put(&b, ",\"level\":");
    sb_num(&b, r->level);
    sb_put(&b, "}");
    return b.len;
}
