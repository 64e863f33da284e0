/* i18n.h — the language a person reads: gettext catalogs (po/LANG.po, built into
 * LOCALEDIR/LANG/LC_MESSAGES/lcmtui.mo), chosen once at start by i18n_init().
 *
 * Mark a string shown to a person with _("...") where it is used, with N_("...") in a static
 * table (translated later with _(table[i])), and counted ones with ngettext(one, many, n).
 * Machine formats (CSV, ICS, JSON, SQL, config, parsing) never go through these: LC_NUMERIC
 * and LC_TIME stay "C" whatever the locale. */
#ifndef LCM_I18N_H
#define LCM_I18N_H

#include <libintl.h>
#include <stdbool.h>
#include <stddef.h>

#define _(s) gettext(s)
#define N_(s) s

enum i18n_lang { I18N_EN, I18N_FR };

/* The language asked for: setting ("fr" or "en", general.lang) when non-NULL and non-empty;
 * else the first set and non-empty of LANGUAGE (its first entry), LC_ALL, LC_MESSAGES, LANG,
 * read through get (getenv in the program, a table in tests; NULL: getenv). French for "fr",
 * "fr_*", "fr-*", "fr.*", "fr@*"; English for anything else, including "C" and nothing set. */
enum i18n_lang i18n_choose(const char *setting, const char *(*get)(const char *name));

/* Sets the program's language to want: binds the text domain "lcmtui" to the first of dirs
 * (ndirs entries; NULL entries skipped) holding fr/LC_MESSAGES/lcmtui.mo, and makes gettext
 * use that language even when no French locale is installed on the machine (LANGUAGE, and
 * LC_MESSAGES moved off "C" to C.UTF-8 when needed). LC_NUMERIC and LC_TIME are set to "C".
 * Returns the language in effect: English when French was asked and no catalog was found,
 * with a one-line note in note (len bytes) naming where it looked; else note is "". */
enum i18n_lang i18n_init(enum i18n_lang want, const char *const dirs[], size_t ndirs, char *note,
                         size_t len);

/* The language in effect since the last i18n_init (English before any). */
enum i18n_lang i18n_current(void);

/* v with prec decimals for a person: "12.5" in English, "12,5" in French (the decimal
 * separator of the language in effect; LC_NUMERIC stays "C"). Writes into buf, returns it. */
char *i18n_decimal(char *buf, size_t len, double v, int prec);

/* day (a day number) for a person: "1 déc. 2026" in French, "2026-12-01" in English (the ISO
 * form the English screens always showed). Writes into buf, returns it. */
char *i18n_date(char *buf, size_t len, int day);

/* A moment for a person, secs seconds into day: "mardi 1 décembre, 14 h 30" ("9 h" on the
 * hour) in French, "Tuesday 1 December, 14:30" in English. Writes into buf, returns it. */
char *i18n_moment(char *buf, size_t len, int day, int secs);

/* "fr" or "en": the language in effect, for HTML lang attributes and the like. */
const char *i18n_code(void);

#endif
