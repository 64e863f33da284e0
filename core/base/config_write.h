/* config_write.h — setting a few string keys of the user's configuration file (the first-run
 * form: general.lcm_name, general.lcm_email, calendar.timezone), keeping the rest of the file
 * as it is: its other keys, comments and layout. */
#ifndef LCM_CONFIG_WRITE_H
#define LCM_CONFIG_WRITE_H

#include <stddef.h>

#include "base/status.h"

struct config_kv {
    const char *group; /* a top-level group: "general", "calendar" */
    const char *key;   /* a key of that group */
    const char *value; /* the string value (any bytes but NUL; escaped as libconfig reads) */
};

/* Returns the text of a configuration file with each kv[i] set: an existing `key = ...;` of
 * the top-level group is replaced, else the key is added at the start of the group, else the
 * group is appended. Comments, strings and other groups are left untouched. text NULL: an
 * empty file. The result is malloc'ed (the caller frees it); NULL, with err set, when text
 * is not a file this can edit safely (an unterminated string, comment or group). */
char *config_write_text(const char *text, const struct config_kv *kv, size_t n,
                        struct lcm_err *err);

/* Sets kv[0..n) in the file at path (created, with its directory, when missing): the new text
 * is checked by libconfig, then written whole or not at all (a temporary file in the same
 * directory, renamed over the old one), mode 0600. Returns LCM_OK or an error naming path. */
enum lcm_status config_write_keys(const char *path, const struct config_kv *kv, size_t n,
                                  struct lcm_err *err);

/* The same keys set in the configuration already loaded (its libconfig tree, and the general
 * fields lcm_name and lcm_email), so the program runs on what was just written without reading
 * the file again (which would also lose what main.c resolved, such as the language). */
struct lcm_config;
void config_write_memory(struct lcm_config *cfg, const struct config_kv *kv, size_t n);

#endif
