/* theme.c — role colours from libconfig theme files; monochrome fallback. */
#include "tui/theme.h"

#include <curses.h>
#include <libconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"

static const char *const role_names[ROLE_COUNT] = {
#define ROLE_X_NAME(e, name) name,
    ROLE_LIST(ROLE_X_NAME)
#undef ROLE_X_NAME
};

void theme_mono(struct theme *th)
{
    th->color = false;
    for (int i = 0; i < ROLE_COUNT; i++)
        th->role[i] = (struct theme_role){-1, -1, A_NORMAL};
    th->role[ROLE_TITLE].attrs = A_REVERSE | A_BOLD;
    th->role[ROLE_STATUS].attrs = A_NORMAL;
    th->role[ROLE_HEADER].attrs = A_UNDERLINE | A_BOLD;
    th->role[ROLE_CURSOR].attrs = A_REVERSE;
    th->role[ROLE_MARKED].attrs = A_BOLD | A_UNDERLINE;
    th->role[ROLE_RISK_HIGH].attrs = A_BOLD;
    th->role[ROLE_RISK_WATCH].attrs = A_UNDERLINE;
    th->role[ROLE_CELEBRATE].attrs = A_BOLD;
    th->role[ROLE_OVERDUE].attrs = A_BOLD | A_UNDERLINE;
    th->role[ROLE_DIM].attrs = A_DIM;
    th->role[ROLE_ACCENT].attrs = A_BOLD;
    th->role[ROLE_ERROR].attrs = A_BOLD | A_REVERSE;
    th->role[ROLE_INPUT].attrs = A_UNDERLINE;
}

static void builtin_dark(struct theme *th)
{
    theme_mono(th);
    th->color = true;
    th->role[ROLE_TITLE] = (struct theme_role){COLOR_BLACK, COLOR_CYAN, A_BOLD};
    th->role[ROLE_STATUS] = (struct theme_role){-1, -1, A_NORMAL};
    th->role[ROLE_CURSOR] = (struct theme_role){COLOR_BLACK, COLOR_WHITE, A_NORMAL};
    th->role[ROLE_RISK_HIGH] = (struct theme_role){COLOR_RED, -1, A_BOLD};
    th->role[ROLE_RISK_WATCH] = (struct theme_role){COLOR_YELLOW, -1, A_NORMAL};
    th->role[ROLE_OK] = (struct theme_role){COLOR_GREEN, -1, A_NORMAL};
    th->role[ROLE_CELEBRATE] = (struct theme_role){COLOR_MAGENTA, -1, A_BOLD};
    th->role[ROLE_OVERDUE] = (struct theme_role){COLOR_RED, -1, A_NORMAL};
    th->role[ROLE_BAR] = (struct theme_role){COLOR_CYAN, -1, A_NORMAL};
    th->role[ROLE_ERROR] = (struct theme_role){COLOR_WHITE, COLOR_RED, A_BOLD};
}

short theme_color(const char *name)
{
    static const char *const names[] = {"black", "red",     "green", "yellow",
                                        "blue",  "magenta", "cyan",  "white"};
    if (!name || strcasecmp(name, "default") == 0)
        return -1;
    bool bright = strncasecmp(name, "bright", 6) == 0;
    const char *base = bright ? name + 6 : name;
    for (short i = 0; i < 8; i++)
        if (strcasecmp(base, names[i]) == 0)
            return (short)(i + (bright ? 8 : 0));
    char *end;
    long n = strtol(name, &end, 10);
    if (end != name && *end == '\0' && n >= 0 && n < 256)
        return (short)n;
    return -2;
}

int theme_attrs(const char *list)
{
    static const struct {
        const char *name;
        int attr;
    } attrs[] = {{"bold", A_BOLD},    {"underline", A_UNDERLINE}, {"reverse", A_REVERSE},
                 {"dim", A_DIM},      {"standout", A_STANDOUT},   {"italic", A_ITALIC},
                 {"normal", A_NORMAL}};
    int out = 0;
    char buf[128];
    snprintf(buf, sizeof buf, "%s", list ? list : "");
    char *save = NULL;
    for (char *tok = strtok_r(buf, " ,", &save); tok; tok = strtok_r(NULL, " ,", &save)) {
        bool found = false;
        for (size_t i = 0; i < sizeof attrs / sizeof *attrs; i++)
            if (strcasecmp(tok, attrs[i].name) == 0)
                out |= attrs[i].attr, found = true;
        if (!found)
            return -1;
    }
    return out;
}

static enum lcm_status read_role(config_setting_t *g, const char *path, struct theme_role *r,
                                 struct lcm_err *err)
{
    const char *fg = NULL, *bg = NULL, *at = NULL;
    config_setting_lookup_string(g, "fg", &fg);
    config_setting_lookup_string(g, "bg", &bg);
    config_setting_lookup_string(g, "attrs", &at);
    short f = fg ? theme_color(fg) : -1, b = bg ? theme_color(bg) : -1;
    int a = at ? theme_attrs(at) : 0;
    if (f == -2 || b == -2 || a < 0)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("%s:%d: %s: unknown colour or attribute"), path,
                           config_setting_source_line(g), config_setting_name(g));
    *r = (struct theme_role){f, b, a};
    return LCM_OK;
}

enum lcm_status theme_load(struct theme *th, const char *share_dir, const char *name,
                           struct lcm_err *err)
{
    builtin_dark(th);
    if (name && strcmp(name, "monochrome") == 0) {
        theme_mono(th);
        return LCM_OK;
    }
    if (!name || strpbrk(name, "/.") || !*name)
        return lcm_err_set(err, LCM_ERR_CONFIG, _("theme \"%s\": a name from themes/ is expected"),
                           name ? name : "");
    char path[4200];
    snprintf(path, sizeof path, "%s/themes/%s.conf", share_dir, name);
    config_t cfg;
    config_init(&cfg);
    enum lcm_status rc = LCM_OK;
    if (config_read_file(&cfg, path) != CONFIG_TRUE) {
        if (config_error_type(&cfg) == CONFIG_ERR_FILE_IO)
            rc = lcm_err_set(err, LCM_ERR_NOTFOUND, _("%s: theme not found (using the default)"),
                             path);
        else
            rc = lcm_err_set(err, LCM_ERR_CONFIG, "%s:%d: %s", path, config_error_line(&cfg),
                             config_error_text(&cfg));
        goto out;
    }
    config_setting_t *roles = config_lookup(&cfg, "roles");
    int mono = 0;
    config_lookup_bool(&cfg, "monochrome", &mono);
    if (mono) {
        theme_mono(th);
        goto out;
    }
    for (int i = 0; roles && i < ROLE_COUNT && rc == LCM_OK; i++) {
        config_setting_t *g = config_setting_get_member(roles, role_names[i]);
        if (g)
            rc = read_role(g, path, &th->role[i], err);
    }
out:
    config_destroy(&cfg);
    return rc;
}

void theme_apply(struct theme *th)
{
    if (!th->color || !has_colors()) {
        theme_mono(th);
        return;
    }
    start_color();
    use_default_colors();
    for (int i = 0; i < ROLE_COUNT; i++) {
        short fg = th->role[i].fg, bg = th->role[i].bg;
        if (fg >= COLORS)
            fg = (short)(fg % 8);
        if (bg >= COLORS)
            bg = (short)(bg % 8);
        init_pair((short)(i + 1), fg, bg);
    }
}

int theme_attr(const struct theme *th, enum role r)
{
    if ((unsigned)r >= ROLE_COUNT)
        r = ROLE_NORMAL;
    return th->role[r].attrs | (th->color ? COLOR_PAIR(r + 1) : 0);
}
