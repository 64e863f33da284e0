/* risk_text.c — reasons in plain English or French, and the signals as JSON.
 *
 * Reasons are stored language-neutral (risk_text_codes: one line per reason, the signal's
 * name and its numbers) and rendered in the reader's language when shown (risk_text_render),
 * so the screen and the command line never show a reason frozen in another language.
 *
 * The JSON is written by hand rather than through jansson: it has a fixed shape, only static
 * keys and numbers (no text from outside), and risk_update_all writes 100k of them in the 2 s
 * budget. Readers (explain, the TUI, tests) parse it with jansson. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/day.h"
#include "base/i18n.h"
#include "base/model.h"
#include "base/text.h"
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

/* Copies a name from outside through the one cleaner of stored text (base/text.h): control
 * characters (C0, DEL, C1) become spaces (a reason is one line), bidi controls are dropped,
 * invalid bytes become '?'; at most 60 bytes, cut on a UTF-8 character boundary. */
static void clean_name(const char *in, char *out, size_t len)
{
    char *c = text_clean_plain(in, false, len - 1 < 60 ? len - 1 : 60);
    snprintf(out, len, "%s", c);
    free(c);
}

static const char *channel_word(int ch, bool fr)
{
    switch (ch) {
    case CH_CALL:
        return fr ? "l’appel" : "call";
    case CH_CHAT:
        return fr ? "le message (chat)" : "chat message";
    case CH_MEETING:
        return fr ? "le rendez-vous" : "meeting";
    case CH_SMS:
        return fr ? "le SMS" : "text message";
    case CH_VIDEO:
        return fr ? "l’appel vidéo" : "video call";
    default:
        return fr ? "l’e-mail" : "email";
    }
}

/* One reason, language-neutral: what risk_update stores and what is rendered on display. */
struct rarg {
    enum risk_signal s;
    int i[RISK_TEXT_INTS];
    char name[64]; /* cleaned: no control characters, so no tab and no newline */
};

/* The numbers and the name the sentence of signal s needs (see render for their order). */
static void encode(enum risk_signal s, const struct risk_hist *h, const struct risk_sig *g,
                   struct rarg *a)
{
    memset(a, 0, sizeof *a);
    a->s = s;
    int v = (int)(g->value + 0.5);
    switch (s) {
    case RS_MISSED:
        a->i[0] = h->missed_due;
        a->i[1] = h->missed;
        clean_name(h->missed_name ? h->missed_name : "?", a->name, sizeof a->name);
        break;
    case RS_LATE:
        a->i[0] = h->late_last;
        a->i[1] = h->late_count;
        a->i[2] = h->late_days;
        clean_name(h->late_name ? h->late_name : "?", a->name, sizeof a->name);
        break;
    case RS_LAST_MINUTE:
        a->i[0] = h->best_margin;
        break;
    case RS_LOW_SCORE:
        a->i[0] = h->low_score_failed;
        a->i[1] = h->low_score_unscored;
        a->i[2] = v;
        a->i[3] = h->low_score_cohort;
        a->i[4] = (int)(h->low_score_ref + 0.5);
        clean_name(h->low_score_name ? h->low_score_name : "?", a->name, sizeof a->name);
        break;
    case RS_PEERS:
        a->i[0] = (int)(100 - g->value + 0.5);
        a->i[1] = h->peers_window_days;
        break;
    case RS_DROP:
        a->i[0] = (int)(g->value * 100 + 0.5);
        break;
    case RS_OUTREACH:
        a->i[0] = day_from_time(h->outreach_at);
        a->i[1] = h->outreach_channel;
        break;
    default: /* inactive, never_started, pace, stalled, debt: a number of days or points */
        a->i[0] = v;
        break;
    }
}

/* The sentence of one reason in French (fr) or English. */
static void render(struct sbuf *b, const struct rarg *a, bool fr)
{
    const int *n = a->i;
    const char *name = a->name;
    char date[32];
    switch (a->s) {
    case RS_INACTIVE:
        sb_printf(b, fr ? "Aucune activité depuis %d jours" : "No activity for %d days", n[0]);
        break;
    case RS_NEVER_STARTED:
        sb_printf(b,
                  fr ? "Jamais commencé : inscrit depuis %d jours"
                     : "Never started: enrolled %d days ago",
                  n[0]);
        break;
    case RS_PACE:
        sb_printf(b, fr ? "%d points de retard sur le planning" : "%d points behind schedule",
                  n[0]);
        break;
    case RS_MISSED:
        short_date(n[0], fr, date, sizeof date);
        sb_printf(b, fr ? "« %s » manqué (échéance %s)" : "Missed '%s' due %s", name, date);
        if (n[1] > 1)
            sb_printf(b, fr ? " et %d autre%s" : " and %d more", n[1] - 1,
                      fr && n[1] > 2 ? "s" : "");
        break;
    case RS_LATE:
        sb_printf(b, fr ? "« %s » rendu avec %d jours de retard" : "Handed in '%s' %d days late",
                  name, n[0]);
        if (n[1] > 1)
            sb_printf(b, fr ? " (%d retards, %d jours en tout)" : " (%d late, %d days in all)",
                      n[1], n[2]);
        break;
    case RS_LAST_MINUTE:
        if (n[0] < 0)
            sb_printf(b, fr ? "Rend toujours en retard" : "Hands in late every time");
        else
            sb_printf(b,
                      fr ? "Rend au dernier moment (%d jour%s d’avance au plus)"
                         : "Hands in at the last minute (%d day%s ahead at most)",
                      n[0], n[0] > 1 ? "s" : "");
        break;
    case RS_LOW_SCORE:
        if (n[0] && n[1])
            sb_printf(b, fr ? "Échec à « %s »" : "Failed '%s'", name);
        else if (n[0])
            sb_printf(b, fr ? "Échec à « %s » (note %d)" : "Failed '%s' (scored %d)", name, n[2]);
        else
            sb_printf(b, fr ? "Note de %d sur « %s »" : "Scored %d on '%s'", n[2], name);
        if (!n[0] && n[3])
            sb_printf(b, fr ? " (médiane de la cohorte %d)" : " (cohort median %d)", n[4]);
        break;
    case RS_PEERS:
        if (n[1] <= 0)
            sb_printf(b,
                      fr ? "Moins actif que %d %% de la cohorte depuis le début"
                         : "Less active than %d %% of the cohort so far",
                      n[0]);
        else
            sb_printf(b,
                      fr ? "Moins actif que %d %% de la cohorte sur %d jours"
                         : "Less active than %d %% of the cohort over %d days",
                      n[0], n[1]);
        break;
    case RS_DROP:
        sb_printf(b,
                  fr ? "Activité en baisse de %d %% sur sa propre moyenne"
                     : "Activity down %d %% on own average",
                  n[0]);
        break;
    case RS_STALLED:
        sb_printf(b,
                  fr ? "Se connecte sans progresser depuis %d jours"
                     : "Logs in without progress for %d days",
                  n[0]);
        break;
    case RS_OUTREACH:
        short_date(n[0], fr, date, sizeof date);
        if (fr)
            sb_printf(b, "Pas de réponse depuis %s du %s", channel_word(n[1], fr), date);
        else
            sb_printf(b, "No answer since the %s %s", date, channel_word(n[1], fr));
        break;
    case RS_DEBT:
        sb_printf(b,
                  fr ? "Signalé depuis %d jours sans prise de contact"
                     : "Flagged for %d days with no check-in",
                  n[0]);
        break;
    case RS_COUNT:
        break;
    }
}

/* The reasons to give, most important first, into out (at most RS_COUNT); returns how many:
 * only signals that contribute; "Never started" first when it contributes, without the
 * inactivity line it repeats, then the inactivity line when the inactivity rule holds. */
static size_t select_reasons(const struct risk_params *p, const struct risk_hist *h,
                             const struct risk_result *r, struct rarg out[RS_COUNT])
{
    size_t n = 0;
    bool used[RS_COUNT] = {0};
    const struct risk_sig *ns = &r->sig[RS_NEVER_STARTED];
    if (!ns->skipped && ns->points > 0 && ns->points >= p->reason_min_points &&
        ns->severity >= p->reason_min_severity) {
        used[RS_NEVER_STARTED] = used[RS_INACTIVE] = used[RS_DROP] = true;
        encode(RS_NEVER_STARTED, h, ns, &out[n++]);
    }
    /* The inactivity rule made the level: its reason comes first */
    if (r->inactive_rule && !used[RS_INACTIVE]) {
        used[RS_INACTIVE] = true;
        encode(RS_INACTIVE, h, &r->sig[RS_INACTIVE], &out[n++]);
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
        encode((enum risk_signal)best, h, &r->sig[best], &out[n++]);
    }
    return n;
}

size_t risk_text_reasons(const struct risk_params *p, const struct risk_hist *h,
                         const struct risk_result *r, const char *lang, char *buf, size_t len)
{
    struct sbuf b = {buf, 0, len};
    if (len)
        buf[0] = '\0';
    bool fr = !lang || strcmp(lang, "en") != 0;
    struct rarg a[RS_COUNT];
    size_t n = select_reasons(p, h, r, a);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_put(&b, "\n");
        render(&b, &a[i], fr);
    }
    return b.len;
}

size_t risk_text_codes(const struct risk_params *p, const struct risk_hist *h,
                       const struct risk_result *r, char *buf, size_t len)
{
    struct sbuf b = {buf, 0, len};
    if (len)
        buf[0] = '\0';
    struct rarg a[RS_COUNT];
    size_t n = select_reasons(p, h, r, a);
    for (size_t i = 0; i < n; i++) {
        sb_put(&b, i ? "\n" RISK_TEXT_CODE : RISK_TEXT_CODE);
        sb_put(&b, risk_signal_name(a[i].s));
        for (int k = 0; k < RISK_TEXT_INTS; k++) {
            sb_put(&b, "\t");
            sb_num(&b, a[i].i[k]); /* an int: written without decimals, no printf */
        }
        sb_put(&b, "\t");
        sb_put(&b, a[i].name);
    }
    return b.len;
}

/* Parses one coded line (without its '@', len bytes) into a; false when it is not one this
 * version knows (a signal added later, a damaged row). */
static bool parse_code(const char *line, size_t len, struct rarg *a)
{
    memset(a, 0, sizeof *a);
    size_t k = strcspn(line, "\t");
    if (k >= len)
        return false;
    int s = 0;
    while (s < RS_COUNT && (strlen(risk_signal_name((enum risk_signal)s)) != k ||
                            strncmp(risk_signal_name((enum risk_signal)s), line, k) != 0))
        s++;
    if (s == RS_COUNT)
        return false;
    a->s = (enum risk_signal)s;
    const char *q = line + k, *end = line + len;
    for (int i = 0; i < RISK_TEXT_INTS; i++) {
        if (q >= end || *q != '\t')
            return false;
        char *after;
        long v = strtol(q + 1, &after, 10);
        if (after == q + 1 || v < INT_MIN || v > INT_MAX)
            return false;
        a->i[i] = (int)v;
        q = after;
    }
    if (q >= end || *q != '\t')
        return false;
    q++;
    size_t nl = (size_t)(end - q) < sizeof a->name - 1 ? (size_t)(end - q) : sizeof a->name - 1;
    clean_name(q, a->name, nl + 1);
    return true;
}

size_t risk_text_render(const char *stored, char *buf, size_t len)
{
    struct sbuf b = {buf, 0, len};
    if (len)
        buf[0] = '\0';
    bool fr = i18n_current() == I18N_FR;
    size_t lines = 0;
    for (const char *p = stored ? stored : ""; *p;) {
        size_t n = strcspn(p, "\n");
        struct rarg a;
        size_t mark = strlen(RISK_TEXT_CODE);
        bool coded = n >= mark && strncmp(p, RISK_TEXT_CODE, mark) == 0;
        if (!coded || parse_code(p + mark, n - mark, &a)) {
            if (lines++)
                sb_put(&b, "\n");
            if (coded)
                render(&b, &a, fr);
            else /* text written by an older lcmtui, in the language of its day */
                sb_printf(&b, "%.*s", (int)n, p);
        }
        p += n;
        if (*p)
            p++;
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
