/* config.h — the user's configuration (libconfig), its defaults and its validation.
 *
 * config_load() reads the file and the general settings; each module reads its own group
 * with the typed getters below, which validate and name the file and line on error:
 *   "config:12: risk.inactive_days must be an integer from 1 to 365". */
#ifndef LCM_CONFIG_H
#define LCM_CONFIG_H

#include <libconfig.h>
#include <stdbool.h>

#include "base/status.h"

struct lcm_config {
    char *path;  /* the file read, or NULL when none exists (all defaults) */
    bool loaded; /* cfg holds a parsed file */
    config_t cfg;
    /* general settings, always set (defaults when absent) */
    char *lcm_name;  /* general.lcm_name: signs messages; default "" */
    char *lcm_email; /* general.lcm_email; default "" */
    char *lang;      /* general.lang: "fr" or "en"; unset: "fr" here, the locale's in main.c */
    char *theme;     /* general.theme; default "dark" */
    char *database;  /* general.database; NULL: the XDG default */
};

/* Default path: $XDG_CONFIG_HOME/lcmtui/config or ~/.config/lcmtui/config (xdg_config_path()).
 * Returns false when it does not fit or HOME is needed and unset. */
bool config_default_path(char *buf, size_t len);

/* Loads path (NULL: the default path). A missing file is fine (defaults) unless required is
 * true (an explicit --config). Unknown keys and a group/world-readable file holding a secret
 * are reported as warnings through rep. On success cfg must be released with config_free(). */
enum lcm_status config_load(struct lcm_config *cfg, const char *path, bool required,
                            const struct lcm_report *rep, struct lcm_err *err);

/* Loads from a string (tests). name is used in messages in place of a file name. */
enum lcm_status config_load_string(struct lcm_config *cfg, const char *name, const char *text,
                                   const struct lcm_report *rep, struct lcm_err *err);

void config_free(struct lcm_config *cfg);

/* A top-level group or list by name, or NULL when absent (or when no file was loaded). */
const config_setting_t *config_section(const struct lcm_config *cfg, const char *name);

/* Typed getters on a group. A missing key (or NULL group) yields the default. A key of the
 * wrong type or out of range is an LCM_ERR_CONFIG error naming file:line and the full key. */
enum lcm_status config_get_int(const config_setting_t *grp, const char *key, int def, int min,
                               int max, int *out, struct lcm_err *err);
enum lcm_status config_get_double(const config_setting_t *grp, const char *key, double def,
                                  double min, double max, double *out, struct lcm_err *err);
enum lcm_status config_get_bool(const config_setting_t *grp, const char *key, bool def, bool *out,
                                struct lcm_err *err);
/* *out points into the config (valid until config_free) or to def. */
enum lcm_status config_get_string(const config_setting_t *grp, const char *key, const char *def,
                                  const char **out, struct lcm_err *err);

/* Reads a secret named key from grp, in this order: `key` (a literal), `key_cmd` (a command
 * whose first output line is the secret, like mutt), `key_env` (an environment variable name).
 * *out is a malloc'ed copy (NULL when none is configured); free it with config_secret_free(),
 * which wipes it. The secret itself never appears in an error message. */
enum lcm_status config_secret(const config_setting_t *grp, const char *key, char **out,
                              struct lcm_err *err);
void config_secret_free(char **secret);

/* Warns (through rep) about every key of grp that is not in known (NULL-terminated). */
void config_check_keys(const config_setting_t *grp, const char *const known[],
                       const struct lcm_report *rep);

/* "file:line" of a setting, for messages. Writes into buf and returns it. */
const char *config_where(const config_setting_t *s, char *buf, size_t len);

#endif
