/* template.h — message templates: one file per template and language, placeholders filled
 * from named values.
 *
 * A template is the file NAME.LANG.txt (UTF-8): a first line "Subject: ...", a blank line,
 * then the body. Placeholders are {name} with name made of a-z, 0-9 and '_'; "{{" writes a
 * literal '{' and "}}" a literal '}' (a lone '}' is also literal). A template is looked up in the
 * user's directory first (which overrides the shipped one), then in SHARE/data/templates. A
 * placeholder without a value is an error naming the placeholder and the file: a message never goes
 * out with an empty hole.
 *
 * Shipped names: nudge_7, nudge_14, nudge_21, not_started, congrats_25, congrats_50,
 * congrats_75, congrats_100, congrats_milestone, call_proposal, welcome, reply_access,
 * reply_platform. Usual placeholders (what core/sequence.c fills): first_name, last_name,
 * course, cohort, progress (a whole percentage, "75"), milestone, days_inactive, lcm_name,
 * lcm_email; others are template-specific: call_slot, platform_url, login. */
#ifndef LCM_TEMPLATE_H
#define LCM_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct tpl_var {
    const char *name, *value;
};

#define TEMPLATE_MAX_BYTES (64 * 1024) /* a bigger template file is refused */

/* Renders template `name` in `lang` ("fr"/"en"); looked up in user_dir first (may be NULL;
 * the CLI/TUI pass $XDG_CONFIG_HOME/lcmtui/templates), then share_dir/data/templates. A
 * placeholder with no value (missing var or NULL/empty value) is LCM_ERR_INVALID naming the
 * placeholder and the template file. A name or lang with anything but [A-Za-z0-9_-] is
 * LCM_ERR_INVALID; a template found nowhere is LCM_ERR_NOTFOUND; a malformed file (no
 * "Subject:" line, invalid UTF-8, unclosed brace) is LCM_ERR_PARSE naming file:line.
 * Control characters (CR, LF, tabs...) in the subject, the template's own or a value's,
 * become spaces.
 * *subject and *body are malloc'ed, caller frees; both are NULL on failure. */
enum lcm_status template_render(const char *share_dir, const char *user_dir, const char *name,
                                const char *lang, const struct tpl_var *vars, size_t nvars,
                                char **subject, char **body, struct lcm_err *err);

/* The same on a template text already in memory (an edited draft, tests). `where` names it in
 * messages ("nudge_7.fr.txt"). */
enum lcm_status template_render_text(const char *where, const char *text,
                                     const struct tpl_var *vars, size_t nvars, char **subject,
                                     char **body, struct lcm_err *err);

/* Fills *out with every placeholder a text (subject or body) uses ("first_name", ...), each once,
 * in order of first use. NULL-terminated; free with template_list_free(). No file access:
 * pass a subject or body (for instance an edited draft) to know what still needs a value. */
enum lcm_status template_placeholders(const char *text, char ***out, struct lcm_err *err);

/* Placeholders a stored template uses (subject and body), each once. The composer asks the
 * LCM for those it cannot fill itself. NULL-terminated; free with template_list_free(). */
enum lcm_status template_needs(const char *share_dir, const char *user_dir, const char *name,
                               const char *lang, char ***out, struct lcm_err *err);

/* The names of every template available in lang (user's and shipped, each once, sorted).
 * A missing directory is fine (no names from it). NULL-terminated; free with
 * template_list_free(). */
enum lcm_status template_list(const char *share_dir, const char *user_dir, const char *lang,
                              char ***names, struct lcm_err *err);

/* Frees a NULL-terminated list and sets *names to NULL. Safe on NULL and *names == NULL. */
void template_list_free(char ***names);

/* The user's template directory: $XDG_CONFIG_HOME/lcmtui/templates or
 * ~/.config/lcmtui/templates (xdg_config_path()). Returns false when it does not fit or HOME is
 * needed and unset. */
bool template_user_dir(char *buf, size_t len);

/* The configuration key a placeholder's value comes from ("general.lcm_name" for lcm_name,
 * "general.lcm_email", "sequences.platform_url"), so a hole can name what to set; NULL when
 * the value comes from the learner's data. name need not be NUL-terminated: len bytes. */
const char *template_config_key(const char *name, size_t len);

#endif
