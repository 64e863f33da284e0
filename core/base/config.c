/* config.c — loading, defaults, typed validated getters, secrets. */
#include "base/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/xdg.h"

/* Top-level sections the program knows; each module checks the keys inside its own. */
static const char *const known_sections[] = {
    "general", "risk", "sources", "smtp",  "webhook",  "sequences", "calendar", "kpi", "tui",
    "keys",    "sync", "privacy", "inbox", "webhooks", "posts",     "events",   NULL};
static const char *const general_keys[] = {"lcm_name",
                                           "lcm_email",
                                           "lang",
                                           "theme",
                                           "database",
                                           "database_password",
                                           "database_password_cmd",
                                           "database_password_env",
                                           NULL};

bool config_default_path(char *buf, size_t len)
{
    return xdg_config_path("config", buf, len);
}

const char *config_where(const config_setting_t *s, char *buf, size_t len)
{
    const char *file = s ? config_setting_source_file(s) : NULL;
    snprintf(buf, len, "%s:%u", file ? file : "config", s ? config_setting_source_line(s) : 0);
    return buf;
}

/* Full dotted name of a setting ("risk.inactive_days", "sources.[0].url"). */
static void full_name(const config_setting_t *s, char *buf, size_t len)
{
    const char *parts[16];
    int n = 0;
    for (const config_setting_t *p = s; p && config_setting_parent(p) && n < 16;
         p = config_setting_parent(p))
        parts[n++] = config_setting_name(p) ? config_setting_name(p) : "[]";
    size_t off = 0;
    buf[0] = '\0';
    while (n-- > 0 && off < len) {
        int w = snprintf(buf + off, len - off, "%s%s", off ? "." : "", parts[n]);
        if (w < 0)
            break;
        off += (size_t)w;
    }
}

static enum lcm_status bad(const config_setting_t *s, struct lcm_err *err, const char *what)
{
    char where[300], name[200];
    config_where(s, where, sizeof where);
    full_name(s, name, sizeof name);
    return lcm_err_set(err, LCM_ERR_CONFIG, "%s: %s %s", where, name, what);
}

enum lcm_status config_get_int(const config_setting_t *grp, const char *key, int def, int min,
                               int max, int *out, struct lcm_err *err)
{
    *out = def;
    const config_setting_t *s = grp ? config_setting_get_member(grp, key) : NULL;
    if (!s)
        return LCM_OK;
    char what[96];
    if (min == 1 && max == 0x7fffffff)
        snprintf(what, sizeof what, "must be a positive integer");
    else
        snprintf(what, sizeof what, "must be an integer from %d to %d", min, max);
    int type = config_setting_type(s);
    if (type != CONFIG_TYPE_INT && type != CONFIG_TYPE_INT64)
        return bad(s, err, what);
    long long v = config_setting_get_int64(s);
    if (type == CONFIG_TYPE_INT)
        v = config_setting_get_int(s);
    if (v < min || v > max)
        return bad(s, err, what);
    *out = (int)v;
    return LCM_OK;
}

enum lcm_status config_get_double(const config_setting_t *grp, const char *key, double def,
                                  double min, double max, double *out, struct lcm_err *err)
{
    *out = def;
    const config_setting_t *s = grp ? config_setting_get_member(grp, key) : NULL;
    if (!s)
        return LCM_OK;
    double v;
    switch (config_setting_type(s)) {
    case CONFIG_TYPE_FLOAT:
        v = config_setting_get_float(s);
        break;
    case CONFIG_TYPE_INT:
        v = config_setting_get_int(s);
        break;
    case CONFIG_TYPE_INT64:
        v = (double)config_setting_get_int64(s);
        break;
    default:
        v = min - 1;
    }
    if (!(v >= min && v <= max)) {
        char what[96];
        snprintf(what, sizeof what, "must be a number from %g to %g", min, max);
        return bad(s, err, what);
    }
    *out = v;
    return LCM_OK;
}

enum lcm_status config_get_bool(const config_setting_t *grp, const char *key, bool def, bool *out,
                                struct lcm_err *err)
{
    *out = def;
    const config_setting_t *s = grp ? config_setting_get_member(grp, key) : NULL;
    if (!s)
        return LCM_OK;
    if (config_setting_type(s) != CONFIG_TYPE_BOOL)
        return bad(s, err, "must be true or false");
    *out = config_setting_get_bool(s) != 0;
    return LCM_OK;
}

enum lcm_status config_get_string(const config_setting_t *grp, const char *key, const char *def,
                                  const char **out, struct lcm_err *err)
{
    *out = def;
    const config_setting_t *s = grp ? config_setting_get_member(grp, key) : NULL;
    if (!s)
        return LCM_OK;
    if (config_setting_type(s) != CONFIG_TYPE_STRING)
        return bad(s, err, "must be a string in double quotes");
    const char *v = config_setting_get_string(s);
    *out = v ? v : def;
    return LCM_OK;
}

void config_check_keys(const config_setting_t *grp, const char *const known[],
                       const struct lcm_report *rep)
{
    if (!grp || !config_setting_is_group(grp))
        return;
    int n = config_setting_length(grp);
    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
        const char *name = config_setting_name(s);
        bool ok = false;
        for (int k = 0; name && known[k]; k++)
            if (strcmp(known[k], name) == 0)
                ok = true;
        if (!ok) {
            char where[300], full[200];
            config_where(s, where, sizeof where);
            full_name(s, full, sizeof full);
            lcm_report(rep, LCM_LEVEL_WARN, _("%s: unknown key %s (ignored)"), where, full);
        }
    }
}

/* True when the string v is a URL with credentials in it: userinfo before an '@' of the
 * authority ("https://user:pw@host/"). */
static bool url_has_userinfo(const char *v)
{
    const char *sch = strstr(v, "://");
    if (!sch)
        return false;
    size_t alen = strcspn(sch + 3, "/?#");
    return memchr(sch + 3, '@', alen) != NULL;
}

/* True when any setting below s holds a secret: a key named password, token or secret, the
 * webhook's url and each `webhooks` entry's (the URL is the credential of a Slack/Mattermost
 * hook), or any URL with
 * credentials in it. */
static bool holds_secret(const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    if (name && config_setting_type(s) == CONFIG_TYPE_STRING) {
        const config_setting_t *up = config_setting_parent(s);
        const char *group = up ? config_setting_name(up) : NULL;
        const config_setting_t *upup = up && !group ? config_setting_parent(up) : NULL;
        if (upup && config_setting_name(upup) && strcmp(config_setting_name(upup), "webhooks") == 0)
            group = "webhook"; /* an entry of the per-cohort list: its url is a secret too */
        const char *v = config_setting_get_string(s);
        if (strcmp(name, "password") == 0 || strcmp(name, "token") == 0 ||
            strcmp(name, "secret") == 0 ||
            (strcmp(name, "url") == 0 && group && strcmp(group, "webhook") == 0) ||
            (v && url_has_userinfo(v)))
            return true;
    }
    if (config_setting_is_aggregate(s)) {
        int n = config_setting_length(s);
        for (int i = 0; i < n; i++)
            if (holds_secret(config_setting_get_elem(s, (unsigned)i)))
                return true;
    }
    return false;
}

/* The first setting below s whose name ends in "_cmd" (a command run through the shell), or
 * NULL. */
static const config_setting_t *find_cmd(const config_setting_t *s)
{
    const char *name = config_setting_name(s);
    size_t n = name ? strlen(name) : 0;
    if (n > 4 && strcmp(name + n - 4, "_cmd") == 0)
        return s;
    if (config_setting_is_aggregate(s)) {
        int k = config_setting_length(s);
        for (int i = 0; i < k; i++) {
            const config_setting_t *c = find_cmd(config_setting_get_elem(s, (unsigned)i));
            if (c)
                return c;
        }
    }
    return NULL;
}

/* Refuses a config file that others can write and that holds a *_cmd key: whoever can edit
 * it runs commands as this user. Warns when one that holds a secret is readable by others. */
static enum lcm_status check_file_mode(struct lcm_config *cfg, const char *path,
                                       const struct stat *sb, const struct lcm_report *rep,
                                       struct lcm_err *err)
{
    const config_setting_t *root = config_root_setting(&cfg->cfg);
    const config_setting_t *cmd = (sb->st_mode & 022) ? find_cmd(root) : NULL;
    if (cmd) {
        char where[300];
        config_where(cmd, where, sizeof where);
        return lcm_err_set(err, LCM_ERR_CONFIG,
                           _("%s: %s runs a command, and the file can be written by others (mode "
                             "%03o): refused; run chmod go-w %s"),
                           where, config_setting_name(cmd), (unsigned)(sb->st_mode & 0777), path);
    }
    if ((sb->st_mode & 077) && holds_secret(root))
        lcm_report(rep, LCM_LEVEL_WARN,
                   _("%s: holds a password, token or secret URL and is readable by others; run "
                     "chmod 600 %s"),
                   path, path);
    return LCM_OK;
}

static void dup_general(struct lcm_config *cfg, const char *key, const char *def, char **dst,
                        enum lcm_status *rc, struct lcm_err *err)
{
    const char *v = def;
    if (*rc == LCM_OK)
        *rc = config_get_string(config_section(cfg, "general"), key, def, &v, err);
    *dst = v ? lcm_xstrdup(v) : NULL;
}

/* Reads the general group and checks every top-level key. */
static enum lcm_status load_general(struct lcm_config *cfg, const struct lcm_report *rep,
                                    struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    dup_general(cfg, "lcm_name", "", &cfg->lcm_name, &rc, err);
    dup_general(cfg, "lcm_email", "", &cfg->lcm_email, &rc, err);
    dup_general(cfg, "lang", "fr", &cfg->lang, &rc, err);
    dup_general(cfg, "theme", "dark", &cfg->theme, &rc, err);
    dup_general(cfg, "database", NULL, &cfg->database, &rc, err);
    if (rc != LCM_OK)
        return rc;
    if (strcmp(cfg->lang, "fr") != 0 && strcmp(cfg->lang, "en") != 0) {
        const config_setting_t *s =
            config_setting_get_member(config_section(cfg, "general"), "lang");
        return bad(s, err, "must be \"fr\" or \"en\"");
    }
    if (cfg->loaded) {
        config_check_keys(config_root_setting(&cfg->cfg), known_sections, rep);
        config_check_keys(config_section(cfg, "general"), general_keys, rep);
    }
    return LCM_OK;
}

static enum lcm_status parse_error(struct lcm_config *cfg, const char *name, struct lcm_err *err)
{
    const char *file = config_error_file(&cfg->cfg);
    return lcm_err_set(err, LCM_ERR_CONFIG, "%s:%d: %s", file ? file : name,
                       config_error_line(&cfg->cfg), config_error_text(&cfg->cfg));
}

enum lcm_status config_load(struct lcm_config *cfg, const char *path, bool required,
                            const struct lcm_report *rep, struct lcm_err *err)
{
    memset(cfg, 0, sizeof *cfg);
    config_init(&cfg->cfg);
    char def[4096];
    if (!path) {
        if (!config_default_path(def, sizeof def))
            return load_general(cfg, rep, err);
        path = def;
    }
    struct stat sb;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT && !required)
            return load_general(cfg, rep, err);
        enum lcm_status rc = lcm_err_set(err, LCM_ERR_CONFIG, "%s: %s", path, strerror(errno));
        config_free(cfg);
        return rc;
    }
    cfg->path = lcm_xstrdup(path);
    if (config_read_file(&cfg->cfg, path) != CONFIG_TRUE) {
        enum lcm_status rc = parse_error(cfg, path, err);
        config_free(cfg);
        return rc;
    }
    cfg->loaded = true;
    enum lcm_status rc = check_file_mode(cfg, path, &sb, rep, err);
    if (rc == LCM_OK)
        rc = load_general(cfg, rep, err);
    if (rc != LCM_OK)
        config_free(cfg);
    return rc;
}

enum lcm_status config_load_string(struct lcm_config *cfg, const char *name, const char *text,
                                   const struct lcm_report *rep, struct lcm_err *err)
{
    memset(cfg, 0, sizeof *cfg);
    config_init(&cfg->cfg);
    cfg->path = lcm_xstrdup(name);
    if (config_read_string(&cfg->cfg, text) != CONFIG_TRUE) {
        enum lcm_status rc =
            lcm_err_set(err, LCM_ERR_CONFIG, "%s:%d: %s", name, config_error_line(&cfg->cfg),
                        config_error_text(&cfg->cfg));
        config_free(cfg);
        return rc;
    }
    cfg->loaded = true;
    enum lcm_status rc = load_general(cfg, rep, err);
    if (rc != LCM_OK)
        config_free(cfg);
    return rc;
}

void config_free(struct lcm_config *cfg)
{
    if (!cfg)
        return;
    config_destroy(&cfg->cfg);
    free(cfg->path);
    free(cfg->lcm_name);
    free(cfg->lcm_email);
    free(cfg->lang);
    free(cfg->theme);
    free(cfg->database);
    memset(cfg, 0, sizeof *cfg);
}

const config_setting_t *config_section(const struct lcm_config *cfg, const char *name)
{
    if (!cfg || !cfg->loaded)
        return NULL;
    return config_lookup(&cfg->cfg, name);
}

/* Runs cmd with /bin/sh and returns its first output line (malloc'ed), or NULL. */
static char *run_secret_cmd(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    if (!p) {
        *status = -1;
        return NULL;
    }
    char buf[4096];
    char *line = NULL;
    if (fgets(buf, sizeof buf, p)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        line = lcm_xstrdup(buf);
    }
    /* Drain the rest so the command is not killed by SIGPIPE. */
    while (fgets(buf, sizeof buf, p))
        ;
    *status = pclose(p);
    explicit_bzero(buf, sizeof buf);
    return line;
}

enum lcm_status config_secret(const config_setting_t *grp, const char *key, char **out,
                              struct lcm_err *err)
{
    *out = NULL;
    if (!grp)
        return LCM_OK;
    const char *v = NULL;
    enum lcm_status rc = config_get_string(grp, key, NULL, &v, err);
    if (rc != LCM_OK)
        return rc;
    if (v) {
        *out = lcm_xstrdup(v);
        return LCM_OK;
    }
    char name[64];
    snprintf(name, sizeof name, "%s_cmd", key);
    if ((rc = config_get_string(grp, name, NULL, &v, err)) != LCM_OK)
        return rc;
    if (v) {
        int status = 0;
        *out = run_secret_cmd(v, &status);
        if (!*out || !**out || status != 0) {
            config_secret_free(out);
            const config_setting_t *s = config_setting_get_member(grp, name);
            return bad(s, err, "command failed or printed nothing");
        }
        return LCM_OK;
    }
    snprintf(name, sizeof name, "%s_env", key);
    if ((rc = config_get_string(grp, name, NULL, &v, err)) != LCM_OK)
        return rc;
    if (v) {
        const char *e = getenv(v);
        if (!e || !*e) {
            const config_setting_t *s = config_setting_get_member(grp, name);
            char what[160];
            snprintf(what, sizeof what, "names environment variable %.100s, which is not set", v);
            return bad(s, err, what);
        }
        *out = lcm_xstrdup(e);
    }
    return LCM_OK;
}

void config_secret_free(char **secret)
{
    if (!secret || !*secret)
        return;
    explicit_bzero(*secret, strlen(*secret));
    free(*secret);
    *secret = NULL;
}
