/* template.c — message templates: lookup (user's directory, then the shipped one), parsing of
 * the "Subject:" line and the body, placeholder substitution. See template.h. */
#include "msg/template.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/text.h"
#include "base/xdg.h"

static bool is_ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Template names and languages become file names: nothing that could climb a directory. */
static bool safe_name(const char *s)
{
    if (!s || !*s || strlen(s) > 64)
        return false;
    for (; *s; s++)
        if (!is_ident_char(*s) && *s != '-')
            return false;
    return true;
}

static const char *var_value(const struct tpl_var *vars, size_t nvars, const char *name, size_t n)
{
    for (size_t i = 0; i < nvars; i++)
        if (vars[i].name && strlen(vars[i].name) == n && memcmp(vars[i].name, name, n) == 0)
            return vars[i].value;
    return NULL;
}

/* Appends a value: in a subject every control character becomes a space (one line); in a
 * body only newlines and tabs are kept. */
static void add_value(struct buf *out, const char *v, bool subject)
{
    for (const char *p = v; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ctl = c < 0x20 || c == 0x7f;
        if (ctl && (subject || (c != '\n' && c != '\t')))
            buf_add(out, " ", 1);
        else
            buf_add(out, p, 1);
    }
}

/* Expands src (n bytes) into out. line is the file line src starts on (for messages). */
static enum lcm_status expand(const char *where, int line, const char *src, size_t n,
                              const struct tpl_var *vars, size_t nvars, bool subject,
                              struct buf *out, struct lcm_err *err)
{
    size_t i = 0;
    while (i < n) {
        char c = src[i];
        if (c == '\n')
            line++;
        if (c == '}' && i + 1 < n && src[i + 1] == '}') {
            buf_add(out, "}", 1);
            i += 2;
            continue;
        }
        if (c != '{') {
            /* The subject is one header line: a control character of the template's own text
             * (a lone CR, a tab) becomes a space, as in a value. */
            bool ctl = (unsigned char)c < 0x20 || c == 0x7f;
            buf_add(out, subject && ctl ? " " : &src[i], 1);
            i++;
            continue;
        }
        if (i + 1 < n && src[i + 1] == '{') {
            buf_add(out, "{", 1);
            i += 2;
            continue;
        }
        size_t j = i + 1;
        while (j < n && is_ident_char(src[j]))
            j++;
        if (j == i + 1 || j >= n || src[j] != '}')
            return lcm_err_set(err, LCM_ERR_PARSE,
                               _("%s:%d: '{' starts no placeholder (write {{ for a brace)"), where,
                               line);
        const char *name = src + i + 1;
        size_t len = j - i - 1;
        const char *v = var_value(vars, nvars, name, len);
        const char *key = template_config_key(name, len);
        if ((!v || !*v) && key)
            return lcm_err_set(err, LCM_ERR_INVALID,
                               "%s:%d: no value for {%.*s}: set %s in the configuration", where,
                               line, (int)len, name, key);
        if (!v || !*v)
            return lcm_err_set(err, LCM_ERR_INVALID, _("%s:%d: no value for {%.*s}"), where, line,
                               (int)len, name);
        if (!text_valid(v, strlen(v)))
            return lcm_err_set(err, LCM_ERR_INVALID, _("%s:%d: value of {%.*s} is not valid UTF-8"),
                               where, line, (int)len, name);
        add_value(out, v, subject);
        i = j + 1;
    }
    return LCM_OK;
}

/* Splits text into the subject line and the body. Accepts CRLF line ends. */
static enum lcm_status split(const char *where, const char *text, const char **subj,
                             size_t *subj_len, const char **body, struct lcm_err *err)
{
    if (strncmp(text, "Subject:", 8) != 0)
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s:1: the first line must be \"Subject: ...\""),
                           where);
    const char *s = text + 8;
    while (*s == ' ' || *s == '\t')
        s++;
    const char *eol = strchr(s, '\n');
    if (!eol)
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s:1: no body after the subject"), where);
    size_t n = (size_t)(eol - s);
    while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    const char *b = eol + 1;
    if (*b == '\r')
        b++;
    if (*b != '\n')
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s:2: a blank line must follow the subject"),
                           where);
    *subj = s;
    *subj_len = n;
    *body = b + 1;
    return LCM_OK;
}

static bool has_cr(const char *s)
{
    return strchr(s, '\r') != NULL;
}

/* Copies s without the CR of CRLF pairs. */
static char *strip_cr(const char *s)
{
    struct buf b = {0};
    for (; *s; s++)
        if (!(*s == '\r' && s[1] == '\n'))
            buf_add(&b, s, 1);
    return buf_take(&b);
}

enum lcm_status template_render_text(const char *where, const char *text,
                                     const struct tpl_var *vars, size_t nvars, char **subject,
                                     char **body, struct lcm_err *err)
{
    *subject = *body = NULL;
    if (!where)
        where = "template";
    if (!text)
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: no text"), where);
    if (!text_valid(text, strlen(text)))
        return lcm_err_set(err, LCM_ERR_PARSE, _("%s: not valid UTF-8"), where);
    char *copy = has_cr(text) ? strip_cr(text) : NULL;
    const char *t = copy ? copy : text;
    const char *subj = NULL, *bd = NULL;
    size_t subj_len = 0;
    struct buf s = {0}, b = {0};
    enum lcm_status rc = split(where, t, &subj, &subj_len, &bd, err);
    if (rc == LCM_OK)
        rc = expand(where, 1, subj, subj_len, vars, nvars, true, &s, err);
    if (rc == LCM_OK)
        rc = expand(where, 3, bd, strlen(bd), vars, nvars, false, &b, err);
    if (rc == LCM_OK && s.len == 0)
        rc = lcm_err_set(err, LCM_ERR_PARSE, _("%s:1: empty subject"), where);
    if (rc == LCM_OK) {
        *subject = buf_take(&s);
        *body = buf_take(&b);
    }
    buf_free(&s);
    buf_free(&b);
    free(copy);
    return rc;
}

/* Reads a whole small file. A missing file is LCM_ERR_NOTFOUND (no message set). */
static enum lcm_status read_small(const char *path, char **out, struct lcm_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? LCM_ERR_NOTFOUND
                               : lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
    struct buf b = {0};
    char chunk[4096];
    size_t n;
    enum lcm_status rc = LCM_OK;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > TEMPLATE_MAX_BYTES) {
            rc = lcm_err_set(err, LCM_ERR_INVALID, _("%s: larger than %d bytes"), path,
                             TEMPLATE_MAX_BYTES);
            break;
        }
        if (memchr(chunk, '\0', n)) {
            rc = lcm_err_set(err, LCM_ERR_PARSE, _("%s: contains a NUL byte"), path);
            break;
        }
        buf_add(&b, chunk, n);
    }
    if (rc == LCM_OK && ferror(f))
        rc = lcm_err_set(err, LCM_ERR_IO, _("%s: read error"), path);
    fclose(f);
    if (rc != LCM_OK) {
        buf_free(&b);
        return rc;
    }
    *out = buf_take(&b);
    return LCM_OK;
}

/* Finds and reads NAME.LANG.txt: user_dir first, then share_dir/data/templates. */
static enum lcm_status template_load(const char *share_dir, const char *user_dir, const char *name,
                                     const char *lang, char path[4096], char **text,
                                     struct lcm_err *err)
{
    *text = NULL;
    if (!safe_name(name))
        return lcm_err_set(err, LCM_ERR_INVALID, _("template name \"%s\" is not a plain name"),
                           name ? name : "");
    if (!safe_name(lang))
        return lcm_err_set(err, LCM_ERR_INVALID, _("template language \"%s\" is not a plain name"),
                           lang ? lang : "");
    const char *dirs[2] = {user_dir, share_dir};
    for (int i = 0; i < 2; i++) {
        if (!dirs[i] || !*dirs[i])
            continue;
        int n = snprintf(path, 4096, "%s%s/%s.%s.txt", dirs[i], i == 0 ? "" : "/data/templates",
                         name, lang);
        if (n < 0 || n >= 4096)
            return lcm_err_set(err, LCM_ERR_INVALID, _("template path too long"));
        enum lcm_status rc = read_small(path, text, err);
        if (rc != LCM_ERR_NOTFOUND)
            return rc;
    }
    if (user_dir)
        return lcm_err_set(err, LCM_ERR_NOTFOUND,
                           _("template %s.%s.txt not found in %s nor %s/data/templates"), name,
                           lang, user_dir, share_dir ? share_dir : "");
    return lcm_err_set(err, LCM_ERR_NOTFOUND,
                       _("template %s.%s.txt not found in %s/data/templates"), name, lang,
                       share_dir ? share_dir : "");
}

enum lcm_status template_render(const char *share_dir, const char *user_dir, const char *name,
                                const char *lang, const struct tpl_var *vars, size_t nvars,
                                char **subject, char **body, struct lcm_err *err)
{
    *subject = *body = NULL;
    char path[4096];
    char *text = NULL;
    enum lcm_status rc = template_load(share_dir, user_dir, name, lang, path, &text, err);
    if (rc == LCM_OK)
        rc = template_render_text(path, text, vars, nvars, subject, body, err);
    free(text);
    return rc;
}

/* A NULL-terminated list of strings. */
struct strlist {
    char **v;
    size_t n, cap;
};

static bool list_has(const struct strlist *l, const char *s, size_t n)
{
    for (size_t i = 0; i < l->n; i++)
        if (strlen(l->v[i]) == n && memcmp(l->v[i], s, n) == 0)
            return true;
    return false;
}

static void list_add(struct strlist *l, const char *s, size_t n)
{
    if (list_has(l, s, n))
        return;
    if (l->n + 2 > l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->v = lcm_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    char *c = lcm_xmalloc(n + 1);
    memcpy(c, s, n);
    c[n] = '\0';
    l->v[l->n++] = c;
    l->v[l->n] = NULL;
}

static char **list_take(struct strlist *l)
{
    if (!l->v) {
        l->v = lcm_xcalloc(1, sizeof *l->v);
    }
    char **v = l->v;
    l->v = NULL;
    return v;
}

void template_list_free(char ***names)
{
    if (!names || !*names)
        return;
    for (char **p = *names; *p; p++)
        free(*p);
    free(*names);
    *names = NULL;
}

static void collect_placeholders(const char *t, struct strlist *l)
{
    for (const char *p = t; *p; p++) {
        if (*p != '{')
            continue;
        if (p[1] == '{') {
            p++;
            continue;
        }
        const char *q = p + 1;
        while (is_ident_char(*q))
            q++;
        if (q > p + 1 && *q == '}') {
            list_add(l, p + 1, (size_t)(q - p - 1));
            p = q;
        }
    }
}

enum lcm_status template_placeholders(const char *text, char ***out, struct lcm_err *err)
{
    (void)err;
    struct strlist l = {0};
    if (text)
        collect_placeholders(text, &l);
    *out = list_take(&l);
    return LCM_OK;
}

enum lcm_status template_needs(const char *share_dir, const char *user_dir, const char *name,
                               const char *lang, char ***out, struct lcm_err *err)
{
    *out = NULL;
    char path[4096];
    char *text = NULL;
    enum lcm_status rc = template_load(share_dir, user_dir, name, lang, path, &text, err);
    if (rc != LCM_OK)
        return rc;
    struct strlist l = {0};
    /* The "Subject:" keyword holds no brace, so the whole file can be scanned at once. */
    collect_placeholders(text, &l);
    free(text);
    *out = list_take(&l);
    return LCM_OK;
}

/* Adds the NAME of every NAME.LANG.txt in dir. */
static enum lcm_status scan_dir(const char *dir, const char *lang, struct strlist *l,
                                struct lcm_err *err)
{
    DIR *d = opendir(dir);
    if (!d) {
        if (errno == ENOENT || errno == ENOTDIR)
            return LCM_OK;
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", dir, strerror(errno));
    }
    char suffix[80];
    snprintf(suffix, sizeof suffix, ".%s.txt", lang);
    size_t sl = strlen(suffix);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= sl || strcmp(e->d_name + n - sl, suffix) != 0)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(n - sl), e->d_name);
        if (safe_name(name))
            list_add(l, name, n - sl);
    }
    closedir(d);
    return LCM_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum lcm_status template_list(const char *share_dir, const char *user_dir, const char *lang,
                              char ***names, struct lcm_err *err)
{
    *names = NULL;
    if (!safe_name(lang))
        return lcm_err_set(err, LCM_ERR_INVALID, _("template language \"%s\" is not a plain name"),
                           lang ? lang : "");
    struct strlist l = {0};
    enum lcm_status rc = LCM_OK;
    if (user_dir && *user_dir)
        rc = scan_dir(user_dir, lang, &l, err);
    if (rc == LCM_OK && share_dir && *share_dir) {
        char dir[4096];
        snprintf(dir, sizeof dir, "%s/data/templates", share_dir);
        rc = scan_dir(dir, lang, &l, err);
    }
    char **v = list_take(&l);
    if (rc != LCM_OK) {
        template_list_free(&v);
        return rc;
    }
    size_t n = 0;
    while (v[n])
        n++;
    qsort(v, n, sizeof *v, cmp_str);
    *names = v;
    return LCM_OK;
}

bool template_user_dir(char *buf, size_t len)
{
    return xdg_config_path("templates", buf, len);
}

const char *template_config_key(const char *name, size_t len)
{
    static const char *const map[][2] = {{"lcm_name", "general.lcm_name"},
                                         {"lcm_email", "general.lcm_email"},
                                         {"platform_url", "sequences.platform_url"}};
    for (size_t i = 0; name && i < sizeof map / sizeof *map; i++)
        if (strlen(map[i][0]) == len && memcmp(map[i][0], name, len) == 0)
            return map[i][1];
    return NULL;
}
