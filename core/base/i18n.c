/* i18n.c — see i18n.h. */
#include "base/i18n.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/day.h"

#define I18N_DOMAIN "lcmtui"

static enum i18n_lang current = I18N_EN;

static const char *env_get(const char *name)
{
    return getenv(name);
}

/* "fr", "fr_FR.UTF-8", "fr-CA", "fr.UTF-8", "fr@euro" (and the first of a LANGUAGE list). */
static bool is_french(const char *v)
{
    return strncmp(v, "fr", 2) == 0 && strchr("_-.@:", v[2] ? v[2] : ':') != NULL;
}

enum i18n_lang i18n_choose(const char *setting, const char *(*get)(const char *name))
{
    if (setting && *setting)
        return strcmp(setting, "fr") == 0 ? I18N_FR : I18N_EN;
    if (!get)
        get = env_get;
    static const char *const vars[] = {"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = get(vars[i]);
        if (v && *v)
            return is_french(v) ? I18N_FR : I18N_EN;
    }
    return I18N_EN;
}

/* The first of dirs holding the French catalog, or NULL. */
static const char *find_catalog(const char *const dirs[], size_t ndirs)
{
    for (size_t i = 0; i < ndirs; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        char path[4200];
        int n = snprintf(path, sizeof path, "%s/fr/LC_MESSAGES/" I18N_DOMAIN ".mo", dirs[i]);
        if (n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0)
            return dirs[i];
    }
    return NULL;
}

enum i18n_lang i18n_init(enum i18n_lang want, const char *const dirs[], size_t ndirs, char *note,
                         size_t len)
{
    if (note && len)
        note[0] = '\0';
    setlocale(LC_NUMERIC, "C");
    setlocale(LC_TIME, "C");
    /* gettext ignores LANGUAGE under the "C" locale: C.UTF-8 is always there (glibc). */
    const char *msg = setlocale(LC_MESSAGES, NULL);
    if (!msg || strcmp(msg, "C") == 0 || strcmp(msg, "POSIX") == 0)
        setlocale(LC_MESSAGES, "C.UTF-8");
    const char *dir = want == I18N_FR ? find_catalog(dirs, ndirs) : NULL;
    if (want == I18N_FR && !dir) {
        if (note && len)
            snprintf(note, len,
                     "French catalog not found (%s/fr/LC_MESSAGES/" I18N_DOMAIN
                     ".mo): the interface stays in English",
                     ndirs && dirs[0] ? dirs[0] : "?");
        want = I18N_EN;
    }
    /* English: no catalog at all, so a French LC_MESSAGES finds nothing either. */
    setenv("LANGUAGE", want == I18N_FR ? "fr" : "en", 1);
    bindtextdomain(I18N_DOMAIN, dir ? dir : "/nonexistent");
    bind_textdomain_codeset(I18N_DOMAIN, "UTF-8");
    textdomain(I18N_DOMAIN); /* also tells gettext to forget what it cached */
    current = want;
    return want;
}

enum i18n_lang i18n_current(void)
{
    return current;
}

const char *i18n_code(void)
{
    return current == I18N_FR ? "fr" : "en";
}

char *i18n_decimal(char *buf, size_t len, double v, int prec)
{
    snprintf(buf, len, "%.*f", prec, v);
    char *dot = current == I18N_FR ? strchr(buf, '.') : NULL;
    if (dot)
        *dot = ',';
    return buf;
}

/* Names by language, not through the catalog: a date must read the same in every build. */
static const char *const fr_wday[] = {"lundi",    "mardi",  "mercredi", "jeudi",
                                      "vendredi", "samedi", "dimanche"};
static const char *const en_wday[] = {"Monday", "Tuesday",  "Wednesday", "Thursday",
                                      "Friday", "Saturday", "Sunday"};
static const char *const fr_month[] = {"janvier",   "février", "mars",     "avril",
                                       "mai",       "juin",    "juillet",  "août",
                                       "septembre", "octobre", "novembre", "décembre"};
static const char *const fr_mon[] = {"janv.", "févr.", "mars",  "avr.", "mai",  "juin",
                                     "juil.", "août",  "sept.", "oct.", "nov.", "déc."};
static const char *const en_month[] = {"January",   "February", "March",    "April",
                                       "May",       "June",     "July",     "August",
                                       "September", "October",  "November", "December"};

char *i18n_date(char *buf, size_t len, int day)
{
    int y, m, d;
    day_to_ymd(day, &y, &m, &d);
    if (current == I18N_FR)
        snprintf(buf, len, "%d %s %d", d, fr_mon[(m - 1) % 12], y);
    else
        snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
    return buf;
}

char *i18n_moment(char *buf, size_t len, int day, int secs)
{
    int y, m, d, h = secs / 3600, mi = secs / 60 % 60, wd = day_weekday(day);
    day_to_ymd(day, &y, &m, &d);
    if (current == I18N_FR && mi == 0)
        snprintf(buf, len, "%s %d %s, %d h", fr_wday[wd % 7], d, fr_month[(m - 1) % 12], h);
    else if (current == I18N_FR)
        snprintf(buf, len, "%s %d %s, %d h %02d", fr_wday[wd % 7], d, fr_month[(m - 1) % 12], h,
                 mi);
    else
        snprintf(buf, len, "%s %d %s, %02d:%02d", en_wday[wd % 7], d, en_month[(m - 1) % 12], h,
                 mi);
    return buf;
}
