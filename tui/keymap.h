/* keymap.h — keys to actions: a keymap per scope (pane) that falls back to the global one,
 * built from the defaults in actions.h and the `keys` group of the config. */
#ifndef LCM_KEYMAP_H
#define LCM_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "tui/actions.h"
#include "base/config.h"
#include "base/status.h"

/* A key: a Unicode code point, or a curses function key tagged with KEY_TAG_FN. */
#define KEY_TAG_FN 0x200000
#define KEY_IS_FN(k) (((k)&KEY_TAG_FN) != 0)

struct binding {
    int key;
    enum action act;
};

struct keymap {
    struct binding *b[SCOPE_COUNT];
    size_t n[SCOPE_COUNT], cap[SCOPE_COUNT];
};

/* Key classes that text entry needs, whatever the terminal sends for them. */
bool keymap_is_enter(int key);
bool keymap_is_backspace(int key);
bool keymap_is_delete(int key);
/* KEY_TAG_FN | the curses code of a named key ("Left", "Right", "Home", "End", "Up", "Down"),
 * for panes that edit text without including curses. -1 when unknown. */
int keymap_named_key(const char *name);

/* An escape sequence the terminal sent, read after its ESC: seq holds the n bytes after it
 * ("[1~", "OH", "[1;5H", "[200~"). KEYSEQ_NONE: not a sequence (seq[0] is neither '[' nor
 * 'O': a lone Esc, then another key); KEYSEQ_MORE: incomplete, read on; KEYSEQ_KEY: complete,
 * *key is the key it means (Home, End, arrows, Del, PgUp/PgDn, F1-F12, S-Tab, whatever the
 * modifiers) or 0 when it means nothing here and is dropped whole (bracketed paste markers,
 * Insert, anything unknown). Pure: the terminal reader (draw.c) calls it, tests too. */
enum keyseq { KEYSEQ_NONE, KEYSEQ_MORE, KEYSEQ_KEY };
enum keyseq keymap_escape(const char *seq, size_t n, int *key);

/* Parses one key name ("j", "<C-l>", "<PgDn>", "é"). Returns the key or -1 when unknown. */
int keymap_parse_key(const char *name);
/* Writes a readable name of key into buf ("j", "<Enter>", "<C-l>"); returns buf. */
char *keymap_key_name(int key, char *buf, size_t len);

/* The defaults from actions.h. Free with keymap_free(). */
void keymap_init(struct keymap *km);
void keymap_free(struct keymap *km);

/* Binds every key of the space-separated list to act in scope, after (so over) the existing
 * bindings. An unknown key name is LCM_ERR_CONFIG naming it. */
enum lcm_status keymap_bind(struct keymap *km, enum scope scope, const char *keys, enum action act,
                            struct lcm_err *err);

/* Applies the `keys` group: `keys: { down = "j <Down>"; cancel = "x"; };` rebinds each named
 * action in its own scope (its default keys are dropped). Unknown action names and bad key
 * names are errors naming file:line. grp may be NULL. */
enum lcm_status keymap_load(struct keymap *km, const config_setting_t *grp, struct lcm_err *err);

/* The action of key in scope, falling back to the global map; ACT_NONE when unbound. */
enum action keymap_lookup(const struct keymap *km, enum scope scope, int key);

/* The keys bound to act (in its scope), as names separated by spaces, into buf. */
char *keymap_keys_of(const struct keymap *km, enum action act, char *buf, size_t len);

#endif
