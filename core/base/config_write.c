/* config_write.c — set a few string keys of a libconfig file by editing its text: a small
 * scanner finds the top-level group and the key (outside comments and strings) and replaces
 * only the value, so the LCM's comments and layout survive. libconfig itself checks the
 * result before anything is written. */
#include "base/config_write.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/config.h"

enum tok_kind { T_IDENT, T_STRING, T_PUNCT, T_OTHER };
struct tok {
    enum tok_kind kind;
    size_t start, end; /* [start, end) in the text */
    int depth;         /* nesting of {[( around it (an opening one counts outside itself) */
};
struct toks {
    struct tok *t;
    size_t n, cap;
};

static void push(struct toks *ts, enum tok_kind k, size_t a, size_t b, int depth)
{
    if (ts->n == ts->cap) {
        ts->cap = ts->cap ? ts->cap * 2 : 64;
        ts->t = lcm_xrealloc(ts->t, ts->cap * sizeof *ts->t);
    }
    ts->t[ts->n++] = (struct tok){k, a, b, depth};
}

static bool ident_char(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '*' ||
           (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* Splits s into tokens, skipping blanks and comments. False when a string or a comment does
 * not end, or the brackets do not balance. */
static bool scan(const char *s, struct toks *ts)
{
    size_t i = 0, n = strlen(s);
    int depth = 0;
    while (i < n) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            i++;
        } else if (c == '#' || (c == '/' && s[i + 1] == '/')) {
            while (i < n && s[i] != '\n')
                i++;
        } else if (c == '/' && s[i + 1] == '*') {
            const char *e = strstr(s + i + 2, "*/");
            if (!e)
                return false;
            i = (size_t)(e - s) + 2;
        } else if (c == '"') {
            size_t a = i++;
            while (i < n && s[i] != '"')
                i += s[i] == '\\' && i + 1 < n ? 2 : 1;
            if (i >= n)
                return false;
            push(ts, T_STRING, a, ++i, depth);
        } else if (ident_char(c, true)) {
            size_t a = i;
            while (i < n && ident_char(s[i], false))
                i++;
            push(ts, T_IDENT, a, i, depth);
        } else if (strchr("{[(", c)) {
            push(ts, T_PUNCT, i, i + 1, depth++);
            i++;
        } else if (strchr("}])", c)) {
            if (--depth < 0)
                return false;
            push(ts, T_PUNCT, i, i + 1, depth);
            i++;
        } else if (strchr(":=;,", c)) {
            push(ts, T_PUNCT, i, i + 1, depth);
            i++;
        } else {
            size_t a = i;
            while (i < n && !strchr(" \t\r\n#/\"{}[](),;:=", s[i]))
                i++;
            if (i == a)
                i++;
            push(ts, T_OTHER, a, i, depth);
        }
    }
    return depth == 0;
}

static bool is(const char *s, const struct tok *t, const char *word)
{
    size_t len = strlen(word);
    return t->end - t->start == len && memcmp(s + t->start, word, len) == 0;
}

/* The index of the setting name at depth whose name is word, between tokens from and to, or
 * (size_t)-1: an identifier followed by ':' or '=', at the start of a setting. */
static size_t find_setting(const char *s, const struct toks *ts, size_t from, size_t to, int depth,
                           const char *word)
{
    for (size_t i = from; i + 1 < to; i++) {
        const struct tok *t = &ts->t[i];
        if (t->kind != T_IDENT || t->depth != depth || !is(s, t, word))
            continue;
        bool start =
            i == from || (ts->t[i - 1].kind == T_PUNCT && strchr("{;,", s[ts->t[i - 1].start]));
        if (start && ts->t[i + 1].kind == T_PUNCT && strchr(":=", s[ts->t[i + 1].start]))
            return i;
    }
    return (size_t)-1;
}

/* The token closing the group opened at token open. */
static size_t closing(const struct toks *ts, size_t open)
{
    for (size_t i = open + 1; i < ts->n; i++)
        if (ts->t[i].depth == ts->t[open].depth)
            return i;
    return ts->n;
}

/* value as a libconfig string literal, appended to b. */
static void quote(struct buf *b, const char *value)
{
    buf_add(b, "\"", 1);
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_add(b, "\\", 1);
        buf_add(b, (unsigned char)*p < 0x20 ? " " : p, 1);
    }
    buf_add(b, "\"", 1);
}

/* text with [a, b) replaced by the setting's new text; frees text. */
static char *splice(char *text, size_t a, size_t b, const char *with)
{
    struct buf o = {0};
    buf_add(&o, text, a);
    buf_adds(&o, with);
    buf_adds(&o, text + b);
    free(text);
    return buf_take(&o);
}

/* Sets one kv in text (malloc'ed, consumed); NULL when text cannot be scanned. */
static char *set_one(char *text, const struct config_kv *kv)
{
    struct toks ts = {0};
    if (!scan(text, &ts)) {
        free(ts.t);
        free(text);
        return NULL;
    }
    struct buf v = {0};
    size_t g = find_setting(text, &ts, 0, ts.n, 0, kv->group);
    if (g == (size_t)-1 || g + 2 >= ts.n || text[ts.t[g + 2].start] != '{') {
        /* no such group: one at the end */
        buf_adds(&v, "\n");
        buf_adds(&v, kv->group);
        buf_adds(&v, ": {\n  ");
        buf_adds(&v, kv->key);
        buf_adds(&v, " = ");
        quote(&v, kv->value);
        buf_adds(&v, ";\n};\n");
        size_t end = strlen(text);
        text = splice(text, end, end, v.p ? v.p : "");
    } else {
        size_t open = g + 2, close = closing(&ts, open);
        size_t k = find_setting(text, &ts, open + 1, close, ts.t[open].depth + 1, kv->key);
        if (k == (size_t)-1) { /* the key at the start of the group */
            buf_adds(&v, " ");
            buf_adds(&v, kv->key);
            buf_adds(&v, " = ");
            quote(&v, kv->value);
            buf_adds(&v, ";");
            text = splice(text, ts.t[open].end, ts.t[open].end, v.p);
        } else { /* its value: the tokens up to ';' or ',' or the group's end */
            size_t a = k + 2, b = a;
            while (b < close && !(ts.t[b].depth == ts.t[k].depth && ts.t[b].kind == T_PUNCT &&
                                  strchr(";,", text[ts.t[b].start])))
                b++;
            quote(&v, kv->value);
            size_t from = a < close ? ts.t[a].start : ts.t[k + 1].end;
            size_t to = b > a ? ts.t[b - 1].end : from;
            text = splice(text, from, to, v.p);
        }
    }
    buf_free(&v);
    free(ts.t);
    return text;
}

char *config_write_text(const char *text, const struct config_kv *kv, size_t n, struct lcm_err *err)
{
    char *out = lcm_xstrdup(text ? text : "");
    for (size_t i = 0; out && i < n; i++)
        out = set_one(out, &kv[i]);
    if (!out)
        lcm_err_set(err, LCM_ERR_CONFIG,
                    "the configuration has an unterminated string, comment or group: not edited");
    return out;
}

/* The whole file at path into *out (malloc'ed; "" when it does not exist). */
static enum lcm_status read_all(const char *path, char **out, struct lcm_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno != ENOENT)
            return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
        *out = lcm_xstrdup("");
        return LCM_OK;
    }
    struct buf b = {0};
    char chunk[4096];
    size_t r;
    while ((r = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_add(&b, chunk, r);
    bool bad = ferror(f);
    fclose(f);
    if (bad) {
        buf_free(&b);
        return lcm_err_set(err, LCM_ERR_IO, "%s: read error", path);
    }
    *out = b.p ? buf_take(&b) : lcm_xstrdup("");
    return LCM_OK;
}

/* Creates the directories leading to path (mode 0700) when missing, as `mkdir -p` would
 * (~/.config itself may not exist on a new account); the write that follows says why when
 * one could not be made. */
static void make_dir_of(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(dir, 0700);
            *p = '/';
        }
    mkdir(dir, 0700);
}

/* Writes text to path through a temporary file in the same directory, mode 0600. */
static enum lcm_status write_whole(const char *path, const char *text, struct lcm_err *err)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
    size_t len = strlen(text), done = 0;
    bool ok = fchmod(fd, 0600) == 0;
    while (ok && done < len) {
        ssize_t w = write(fd, text + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        ok = w > 0;
        done += ok ? (size_t)w : 0;
    }
    ok = ok && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(e));
    }
    return LCM_OK;
}

enum lcm_status config_write_keys(const char *path, const struct config_kv *kv, size_t n,
                                  struct lcm_err *err)
{
    if (!path || !*path)
        return lcm_err_set(err, LCM_ERR_USAGE, _("no configuration path"));
    char *old = NULL;
    enum lcm_status rc = read_all(path, &old, err);
    if (rc != LCM_OK)
        return rc;
    char *text = config_write_text(old, kv, n, err);
    free(old);
    if (!text)
        return lcm_err_set(err, LCM_ERR_CONFIG, "%s: %s", path, err->msg);
    struct lcm_config check;
    rc = config_load_string(&check, path, text, NULL, err);
    if (rc == LCM_OK)
        config_free(&check);
    if (rc == LCM_OK) {
        make_dir_of(path);
        rc = write_whole(path, text, err);
    }
    free(text);
    return rc;
}

void config_write_memory(struct lcm_config *cfg, const struct config_kv *kv, size_t n)
{
    config_setting_t *root = config_root_setting(&cfg->cfg);
    for (size_t i = 0; i < n; i++) {
        config_setting_t *g = config_setting_get_member(root, kv[i].group);
        if (!g)
            g = config_setting_add(root, kv[i].group, CONFIG_TYPE_GROUP);
        if (!g || config_setting_type(g) != CONFIG_TYPE_GROUP)
            continue;
        config_setting_t *k = config_setting_get_member(g, kv[i].key);
        if (k && config_setting_type(k) != CONFIG_TYPE_STRING) {
            config_setting_remove(g, kv[i].key);
            k = NULL;
        }
        if (!k)
            k = config_setting_add(g, kv[i].key, CONFIG_TYPE_STRING);
        if (k)
            config_setting_set_string(k, kv[i].value);
        char **field = strcmp(kv[i].group, "general") != 0   ? NULL
                       : strcmp(kv[i].key, "lcm_name") == 0  ? &cfg->lcm_name
                       : strcmp(kv[i].key, "lcm_email") == 0 ? &cfg->lcm_email
                                                             : NULL;
        if (field) {
            free(*field);
            *field = lcm_xstrdup(kv[i].value);
        }
    }
    cfg->loaded = true;
}
