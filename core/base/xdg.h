/* xdg.h — where lcmtui's own files live, after the XDG Base Directory specification: the
 * configuration (config, templates/) under $XDG_CONFIG_HOME/lcmtui, the data (the database)
 * under $XDG_DATA_HOME/lcmtui.
 *
 * Fallback: an XDG_* variable that is unset, empty or relative is ignored (the specification
 * says a relative path is invalid and must be ignored), and $HOME/.config or
 * $HOME/.local/share is used instead; with HOME unset or empty there is no path. */
#ifndef LCM_XDG_H
#define LCM_XDG_H

#include <stdbool.h>
#include <stddef.h>

/* Writes into out (len bytes) the path of name inside lcmtui's configuration directory:
 * $XDG_CONFIG_HOME/lcmtui/name, else $HOME/.config/lcmtui/name (name NULL or "": the directory
 * itself). Returns false, with out "" (when len > 0), when HOME is needed and unset or empty,
 * or when the path does not fit in len bytes. Nothing is created. */
bool xdg_config_path(const char *name, char *out, size_t len);

/* The same in the data directory: $XDG_DATA_HOME/lcmtui/name, else
 * $HOME/.local/share/lcmtui/name. */
bool xdg_data_path(const char *name, char *out, size_t len);

#endif
