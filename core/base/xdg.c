/* xdg.c — lcmtui's configuration and data paths (see xdg.h). */
#include "base/xdg.h"

#include <stdio.h>
#include <stdlib.h>

/* base is $var when it is an absolute path, else $HOME/home_rel; then "/lcmtui" and "/name". */
static bool xdg_path(const char *var, const char *home_rel, const char *name, char *out, size_t len)
{
    if (!out || len == 0)
        return false;
    out[0] = '\0';
    const char *xdg = getenv(var);
    const char *home = getenv("HOME");
    const char *sep = name && *name ? "/" : "";
    const char *file = name ? name : "";
    int n;
    if (xdg && xdg[0] == '/')
        n = snprintf(out, len, "%s/lcmtui%s%s", xdg, sep, file);
    else if (home && *home)
        n = snprintf(out, len, "%s/%s/lcmtui%s%s", home, home_rel, sep, file);
    else
        return false;
    if (n < 0 || (size_t)n >= len) {
        out[0] = '\0';
        return false;
    }
    return true;
}

bool xdg_config_path(const char *name, char *out, size_t len)
{
    return xdg_path("XDG_CONFIG_HOME", ".config", name, out, len);
}

bool xdg_data_path(const char *name, char *out, size_t len)
{
    return xdg_path("XDG_DATA_HOME", ".local/share", name, out, len);
}
