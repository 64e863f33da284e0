/* keymap.c — key names, default bindings from the action list, config rebinding. */
#include "tui/keymap.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/i18n.h"
#include "base/text.h"

static const struct keymap_action_info actions[ACT_COUNT] = {
    [ACT_NONE] = {"none", "", "", SCOPE_GLOBAL},
#define ACT_X_INFO(e, name, scope, keys, help) [e] = {name, keys, help, scope},
    ACTION_LIST(ACT_X_INFO)
#undef ACT_X_INFO
};

const struct keymap_action_info *keymap_action_info(enum action a)
{
    return a > ACT_NONE && a < ACT_COUNT ? &actions[a] : NULL;
}

enum action keymap_action_by_name(const char *name)
{
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
        if (strcmp(actions[a].name, name) == 0)
            return (enum action)a;
    return ACT_NONE;
}

static const struct {
    const char *name;
    int key;
} named[] = {
    {"Enter", '\n'},
    {"Tab", '\t'},
    {"S-Tab", KEY_TAG_FN | KEY_BTAB},
    {"Space", ' '},
    {"Esc", 27},
    {"BS", 127},
    {"Del", KEY_TAG_FN | KEY_DC},
    {"Up", KEY_TAG_FN | KEY_UP},
    {"Down", KEY_TAG_FN | KEY_DOWN},
    {"Left", KEY_TAG_FN | KEY_LEFT},
    {"Right", KEY_TAG_FN | KEY_RIGHT},
    {"Home", KEY_TAG_FN | KEY_HOME},
    {"End", KEY_TAG_FN | KEY_END},
    {"PgUp", KEY_TAG_FN | KEY_PPAGE},
    {"PgDn", KEY_TAG_FN | KEY_NPAGE},
    {"Resize", KEY_TAG_FN | KEY_RESIZE},
};

/* The key of a CSI sequence's final byte (A-D arrows, H Home, F End, Z S-Tab, P-S F1-F4); 0. */
static int csi_letter(char c)
{
    switch (c) {
    case 'A':
        return KEY_TAG_FN | KEY_UP;
    case 'B':
        return KEY_TAG_FN | KEY_DOWN;
    case 'C':
        return KEY_TAG_FN | KEY_RIGHT;
    case 'D':
        return KEY_TAG_FN | KEY_LEFT;
    case 'H':
        return KEY_TAG_FN | KEY_HOME;
    case 'F':
        return KEY_TAG_FN | KEY_END;
    case 'Z':
        return KEY_TAG_FN | KEY_BTAB;
    case 'P':
    case 'Q':
    case 'R':
    case 'S':
        return KEY_TAG_FN | KEY_F(1 + (c - 'P'));
    default:
        return 0;
    }
}

/* The key of "CSI n ~" (vt220 style: 1/7 Home, 4/8 End, 3 Del, 5/6 PgUp/PgDn, 11.. F-keys);
 * 0 for the others (2 Insert, 200/201 the paste markers). */
static int csi_tilde(int n)
{
    static const int fkeys[][2] = {{11, 1}, {12, 2}, {13, 3}, {14, 4},  {15, 5},  {17, 6},
                                   {18, 7}, {19, 8}, {20, 9}, {21, 10}, {23, 11}, {24, 12}};
    switch (n) {
    case 1:
    case 7:
        return KEY_TAG_FN | KEY_HOME;
    case 4:
    case 8:
        return KEY_TAG_FN | KEY_END;
    case 3:
        return KEY_TAG_FN | KEY_DC;
    case 5:
        return KEY_TAG_FN | KEY_PPAGE;
    case 6:
        return KEY_TAG_FN | KEY_NPAGE;
    default:
        break;
    }
    for (size_t i = 0; i < sizeof fkeys / sizeof *fkeys; i++)
        if (fkeys[i][0] == n)
            return KEY_TAG_FN | KEY_F(fkeys[i][1]);
    return 0;
}

enum keyseq keymap_escape(const char *seq, size_t n, int *key)
{
    *key = 0;
    if (n == 0)
        return KEYSEQ_MORE;
    if (seq[0] == 'O') { /* SS3: one final byte */
        if (n < 2)
            return KEYSEQ_MORE;
        *key = seq[1] == 'M' ? '\r' : csi_letter(seq[1]);
        return KEYSEQ_KEY;
    }
    if (seq[0] != '[')
        return KEYSEQ_NONE;
    /* CSI: parameter bytes 0x30-0x3F, intermediates 0x20-0x2F, one final byte 0x40-0x7E */
    size_t i = 1;
    while (i < n && (unsigned char)seq[i] >= 0x20 && (unsigned char)seq[i] <= 0x3F)
        i++;
    if (i == n)
        return KEYSEQ_MORE;
    unsigned char fin = (unsigned char)seq[i];
    if (fin < 0x40 || fin > 0x7E) /* not a sequence after all: dropped up to here */
        return KEYSEQ_KEY;
    if (fin == '~')
        *key = csi_tilde(atoi(seq + 1));
    else if (i == 1 || (seq[1] >= '0' && seq[1] <= '9'))
        *key = csi_letter((char)fin);
    return KEYSEQ_KEY;
}

int keymap_parse_key(const char *name)
{
    if (!name || !*name)
        return -1;
    size_t n = strlen(name);
    if (name[0] == '<' && n > 2 && name[n - 1] == '>') {
        char inner[32];
        if (n - 2 >= sizeof inner)
            return -1;
        memcpy(inner, name + 1, n - 2);
        inner[n - 2] = '\0';
        for (size_t i = 0; i < sizeof named / sizeof *named; i++)
            if (strcasecmp(inner, named[i].name) == 0)
                return named[i].key;
        if ((inner[0] == 'C' || inner[0] == 'c') && inner[1] == '-' && inner[2] && !inner[3]) {
            char c = inner[2];
            if (c >= 'a' && c <= 'z')
                return c - 'a' + 1;
            if (c >= 'A' && c <= 'Z')
                return c - 'A' + 1;
            return -1;
        }
        if ((inner[0] == 'F' || inner[0] == 'f') && inner[1]) {
            int f = atoi(inner + 1);
            if (f >= 1 && f <= 12)
                return KEY_TAG_FN | KEY_F(f);
        }
        return -1;
    }
    uint32_t cp;
    size_t len = text_decode(name, n, &cp);
    if (len == 0 || len != n || cp < 0x20 || cp == 0x7f)
        return -1;
    return (int)cp;
}

char *keymap_key_name(int key, char *buf, size_t len)
{
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (named[i].key == key) {
            snprintf(buf, len, "<%s>", named[i].name);
            return buf;
        }
    if (key >= 1 && key <= 26) {
        snprintf(buf, len, "<C-%c>", 'a' + key - 1);
    } else if (KEY_IS_FN(key)) {
        int k = key & ~KEY_TAG_FN;
        if (k >= KEY_F(1) && k <= KEY_F(12))
            snprintf(buf, len, "<F%d>", k - KEY_F0);
        else
            snprintf(buf, len, "<key %d>", k);
    } else {
        char u[5] = {0};
        size_t l = text_encode((uint32_t)key, u);
        snprintf(buf, len, "%.*s", (int)l, u);
    }
    return buf;
}

static void add(struct keymap *km, enum scope sc, int key, enum action act)
{
    if (km->n[sc] == km->cap[sc]) {
        km->cap[sc] = km->cap[sc] ? km->cap[sc] * 2 : 64;
        km->b[sc] = lcm_xrealloc(km->b[sc], km->cap[sc] * sizeof *km->b[sc]);
    }
    km->b[sc][km->n[sc]++] = (struct binding){key, act};
}

enum lcm_status keymap_bind(struct keymap *km, enum scope scope, const char *keys, enum action act,
                            struct lcm_err *err)
{
    char *copy = lcm_xstrdup(keys ? keys : "");
    enum lcm_status rc = LCM_OK;
    char *save = NULL;
    for (char *tok = strtok_r(copy, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
        int key = keymap_parse_key(tok);
        if (key < 0) {
            rc = lcm_err_set(err, LCM_ERR_CONFIG, _("unknown key \"%s\""), tok);
            break;
        }
        add(km, scope, key, act);
        if (key == '\n')
            add(km, scope, '\r', act), add(km, scope, KEY_TAG_FN | KEY_ENTER, act);
        if (key == 127)
            add(km, scope, 8, act), add(km, scope, KEY_TAG_FN | KEY_BACKSPACE, act);
    }
    free(copy);
    return rc;
}

void keymap_init(struct keymap *km)
{
    memset(km, 0, sizeof *km);
    for (int a = ACT_NONE + 1; a < ACT_COUNT; a++)
        keymap_bind(km, actions[a].scope, actions[a].keys, (enum action)a, NULL);
}

void keymap_free(struct keymap *km)
{
    for (int s = 0; s < SCOPE_COUNT; s++)
        free(km->b[s]);
    memset(km, 0, sizeof *km);
}

/* Drops every binding of act (before a rebind). */
static void unbind(struct keymap *km, enum action act)
{
    for (int s = 0; s < SCOPE_COUNT; s++) {
        size_t o = 0;
        for (size_t i = 0; i < km->n[s]; i++)
            if (km->b[s][i].act != act)
                km->b[s][o++] = km->b[s][i];
        km->n[s] = o;
    }
}

enum lcm_status keymap_load(struct keymap *km, const config_setting_t *grp, struct lcm_err *err)
{
    if (!grp)
        return LCM_OK;
    char where[256];
    for (int i = 0; i < config_setting_length(grp); i++) {
        config_setting_t *s = config_setting_get_elem(grp, (unsigned)i);
        const char *name = config_setting_name(s);
        enum action act = name ? keymap_action_by_name(name) : ACT_NONE;
        if (act == ACT_NONE)
            return lcm_err_set(err, LCM_ERR_CONFIG,
                               _("%s: keys.%s: no such action (see ? in lcmtui)"),
                               config_where(s, where, sizeof where), name ? name : "?");
        const char *keys = config_setting_get_string(s);
        if (!keys)
            return lcm_err_set(err, LCM_ERR_CONFIG, _("%s: keys.%s must be a string of key names"),
                               config_where(s, where, sizeof where), name);
        unbind(km, act);
        struct lcm_err e2 = {0};
        if (keymap_bind(km, actions[act].scope, keys, act, &e2) != LCM_OK)
            return lcm_err_set(err, LCM_ERR_CONFIG, "%s: keys.%s: %s",
                               config_where(s, where, sizeof where), name, e2.msg);
    }
    return LCM_OK;
}

static enum action find(const struct keymap *km, enum scope sc, int key)
{
    for (size_t i = km->n[sc]; i-- > 0;)
        if (km->b[sc][i].key == key)
            return km->b[sc][i].act;
    return ACT_NONE;
}

enum action keymap_lookup(const struct keymap *km, enum scope scope, int key)
{
    enum action a = scope != SCOPE_GLOBAL ? find(km, scope, key) : ACT_NONE;
    return a != ACT_NONE ? a : find(km, SCOPE_GLOBAL, key);
}

char *keymap_keys_of(const struct keymap *km, enum action act, char *buf, size_t len)
{
    size_t o = 0;
    if (len)
        buf[0] = '\0';
    enum scope sc = actions[act].scope;
    for (size_t i = 0; i < km->n[sc] && o + 1 < len; i++) {
        int k = km->b[sc][i].key;
        if (km->b[sc][i].act != act || k == '\r' || k == 8 || k == (KEY_TAG_FN | KEY_ENTER) ||
            k == (KEY_TAG_FN | KEY_BACKSPACE))
            continue;
        char name[32];
        int n =
            snprintf(buf + o, len - o, "%s%s", o ? " " : "", keymap_key_name(k, name, sizeof name));
        if (n < 0 || (size_t)n >= len - o)
            break;
        o += (size_t)n;
    }
    return buf;
}

bool keymap_is_enter(int key)
{
    return key == '\n' || key == '\r' || key == (KEY_TAG_FN | KEY_ENTER);
}

bool keymap_is_backspace(int key)
{
    return key == 127 || key == 8 || key == (KEY_TAG_FN | KEY_BACKSPACE);
}

bool keymap_is_delete(int key)
{
    return key == (KEY_TAG_FN | KEY_DC);
}

int keymap_named_key(const char *name)
{
    for (size_t i = 0; i < sizeof named / sizeof *named; i++)
        if (strcmp(named[i].name, name) == 0)
            return named[i].key;
    return -1;
}
