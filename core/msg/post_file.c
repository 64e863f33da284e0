/* post_file.c — the content calendar's files: front matter parser and queueing. See
 * post_file.h. */
#define _POSIX_C_SOURCE 200809L
#include "msg/post_file.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/day.h"
#include "base/sha1.h"
#include "base/text.h"
#include "base/xdg.h"
#include "cal/when.h"
#include "msg/post.h"
#include "store/store_post.h"

void post_file_clear(struct post_file *f)
{
    if (!f)
        return;
    free(f->at_text);
    free(f->cohort);
    free(f->program);
    free(f->title);
    free(f->body);
    memset(f, 0, sizeof *f);
}

/* A parse error "NAME:LINE: what", the file cleared. */
#define BAD(line, ...)                                                                             \
    do {                                                                                           \
        char what_[300];                                                                           \
        snprintf(what_, sizeof what_, __VA_ARGS__);                                                \
        post_file_clear(out);                                                                      \
        return lcm_err_set(err, LCM_ERR_PARSE, "%s:%d: %s", name, (line), what_);                  \
    } while (0)

/* The value of a front matter line, trimmed, without its quotes; NULL when it holds a
 * control character or an unclosed quote. */
static char *value_of(const char *v, size_t n)
{
    while (n && (*v == ' ' || *v == '\t'))
        v++, n--;
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    if (n && (*v == '"' || *v == '\'')) {
        if (n < 2 || v[n - 1] != *v)
            return NULL;
        v++, n -= 2;
    }
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f)
            return NULL;
    char *s = lcm_xmalloc(n + 1);
    memcpy(s, v, n);
    s[n] = '\0';
    return s;
}

/* "YYYY-MM-DD" at the start of s: an absolute date. */
static bool absolute_date(const char *s)
{
    int day;
    char d[11];
    if (strlen(s) < 10)
        return false;
    memcpy(d, s, 10);
    d[10] = '\0';
    return day_parse(d, &day) && (s[10] == '\0' || s[10] == ' ' || s[10] == 'T');
}

/* Reads the front matter's key: value lines from *p up to the closing "---". */
static enum lcm_status parse_head(const char *name, const char **pp, const char *end, int *line,
                                  struct post_file *out, struct lcm_err *err)
{
    const char *p = *pp;
    for (;;) {
        if (p >= end)
            BAD(1, _("the front matter does not end (no closing line ---)"));
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        const char *next = nl ? nl + 1 : end;
        (*line)++;
        if (n && p[n - 1] == '\r')
            n--;
        if (n == 3 && memcmp(p, "---", 3) == 0) {
            *pp = next;
            return LCM_OK;
        }
        size_t k = 0;
        while (k < n && (islower((unsigned char)p[k]) || p[k] == '_'))
            k++;
        if (n == 0 || p[0] == '#') {
            p = next;
            continue;
        }
        if (k == 0 || k >= n || p[k] != ':')
            BAD(*line, _("expected \"key: value\" (at, cohort, program, title)"));
        char **slot = k == 2 && memcmp(p, "at", 2) == 0        ? &out->at_text
                      : k == 6 && memcmp(p, "cohort", 6) == 0  ? &out->cohort
                      : k == 7 && memcmp(p, "program", 7) == 0 ? &out->program
                      : k == 5 && memcmp(p, "title", 5) == 0   ? &out->title
                                                               : NULL;
        if (!slot)
            BAD(*line, _("unknown key \"%.*s\" (at, cohort, program, title)"), (int)k, p);
        if (*slot)
            BAD(*line, _("\"%.*s\" given twice"), (int)k, p);
        if (!(*slot = value_of(p + k + 1, n - k - 1)))
            BAD(*line, _("the value of \"%.*s\" holds a control character or an unclosed quote"),
                (int)k, p);
        if (!**slot)
            BAD(*line, _("\"%.*s\" is empty"), (int)k, p);
        if (slot == &out->cohort || slot == &out->program)
            out->target_line = *line;
        p = next;
    }
}

enum lcm_status post_file_parse(const char *name, const char *text, size_t len, int today,
                                int64_t now_ts, struct post_file *out, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    if (!text || len == 0)
        BAD(1, _("empty file"));
    if (memchr(text, '\0', len))
        BAD(1, _("the file holds a NUL byte"));
    if (!text_valid(text, len))
        BAD(1, _("the file is not valid UTF-8"));
    const char *p = text, *end = text + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3; /* a byte order mark */
    int line = 1;
    /* text need not end with a NUL byte: every scan is bounded by end */
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (!(n == 3 || (n == 4 && p[3] == '\r')) || memcmp(p, "---", 3) != 0)
        BAD(1, _("a post file starts with a line --- (its front matter: at, cohort or program)"));
    p = nl ? nl + 1 : end;
    enum lcm_status rc = parse_head(name, &p, end, &line, out, err);
    if (rc != LCM_OK)
        return rc;
    if (!out->at_text)
        BAD(line, _("no \"at:\" (the post's date and time, YYYY-MM-DD HH:MM)"));
    if (!out->cohort == !out->program)
        BAD(line, _("give either \"cohort:\" or \"program:\", once"));
    struct lcm_err we = {0};
    if (!absolute_date(out->at_text))
        BAD(line, _("at: \"%.40s\" is not a date YYYY-MM-DD [HH:MM]"), out->at_text);
    if (when_parse(out->at_text, today, now_ts, &out->at, &we) != LCM_OK)
        BAD(line, "at: %.250s", we.msg);
    /* The body: without its leading blank lines and trailing white space. */
    int body_line = line + 1;
    while (p < end && (*p == '\n' || *p == '\r')) {
        if (*p == '\n')
            body_line++;
        p++;
    }
    size_t bn = (size_t)(end - p);
    while (bn && isspace((unsigned char)p[bn - 1]))
        bn--;
    out->body = lcm_xmalloc(bn + 1);
    memcpy(out->body, p, bn);
    out->body[bn] = '\0';
    if (post_check(out->title, out->body, &we) != LCM_OK)
        BAD(bn ? body_line : line, "%.250s", we.msg);
    return LCM_OK;
}

enum lcm_status post_file_read(const char *path, size_t max, char **data, size_t *len,
                               struct lcm_err *err)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(e));
    }
    if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size > max) {
        close(fd);
        return lcm_err_set(err, LCM_ERR_INVALID,
                           S_ISREG(sb.st_mode) ? _("%s: larger than %zu bytes")
                                               : _("%s: not a regular file"),
                           path, max);
    }
    char *buf = lcm_xmalloc(max + 1);
    size_t n = 0;
    ssize_t r;
    while (n <= max && (r = read(fd, buf + n, max + 1 - n)) != 0) {
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            free(buf);
            close(fd);
            return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(e));
        }
        n += (size_t)r;
        if (n > max) {
            free(buf);
            close(fd);
            return lcm_err_set(err, LCM_ERR_INVALID, _("%s: larger than %zu bytes"), path, max);
        }
    }
    close(fd);
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return LCM_OK;
}

static const char *const posts_keys[] = {"dir", "lead_days", NULL};

enum lcm_status post_file_config(const struct lcm_config *cfg, struct post_cal_config *out,
                                 const struct lcm_report *rep, struct lcm_err *err)
{
    memset(out, 0, sizeof *out);
    const config_setting_t *g = config_section(cfg, "posts");
    config_check_keys(g, posts_keys, rep);
    const char *dir = NULL;
    if (config_get_string(g, "dir", NULL, &dir, err) ||
        config_get_int(g, "lead_days", 7, 0, 60, &out->lead_days, err))
        return err ? err->status : LCM_ERR_CONFIG;
    if (dir && *dir)
        snprintf(out->dir, sizeof out->dir, "%s", dir);
    else if (!xdg_data_path("posts", out->dir, sizeof out->dir))
        out->dir[0] = '\0'; /* no HOME: no calendar unless posts.dir says where */
    return LCM_OK;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The post files' names in dir, sorted (caller frees each and the array); *n their count. */
static char **list_dir(const char *dir, size_t *n)
{
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return NULL;
    char **v = NULL;
    size_t cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        size_t l = strlen(de->d_name);
        if (de->d_name[0] == '.' || l < 4 ||
            (strcmp(de->d_name + l - 3, ".md") != 0 && strcmp(de->d_name + l - 4, ".txt") != 0))
            continue;
        if (*n == cap)
            v = lcm_xrealloc(v, (cap = cap ? cap * 2 : 16) * sizeof *v);
        v[(*n)++] = lcm_xstrdup(de->d_name);
    }
    closedir(d);
    if (*n)
        qsort(v, *n, sizeof *v, by_name);
    return v;
}

struct queue_tx {
    const struct post_req *req;
    const char *key, *hash;
    int64_t now, id;
    struct store_post_target t;
};

static enum lcm_status queue_in_tx(struct lcm_store *st, void *ctx, struct lcm_err *err)
{
    struct queue_tx *q = ctx;
    enum lcm_status rc = post_draft(st, q->req, q->now, &q->id, &q->t, err);
    if (rc == LCM_OK)
        rc = store_post_file_add(st, q->key, q->hash, q->id, q->now, err);
    return rc;
}

/* One file: read, skip when seen, parse, draft when due. Returns a store error only. */
static enum lcm_status queue_one(struct lcm_store *st, const struct post_cal_config *c,
                                 const char *fname, int today, int64_t now_ts, bool dry_run,
                                 post_cal_fn fn, void *fn_ctx, struct post_cal_result *res,
                                 const struct lcm_report *rep, struct lcm_err *err)
{
    char *shown = text_clean(fname, false), path[8192];
    snprintf(path, sizeof path, "%s/%s", c->dir, fname);
    char *data = NULL, hash[41];
    size_t len = 0;
    struct lcm_err e = {0};
    struct post_file f = {0};
    bool found = false;
    int64_t mid = 0, earlier = 0;
    enum lcm_status rc = LCM_OK;
    if (post_file_read(path, POST_FILE_MAX, &data, &len, &e) != LCM_OK) {
        res->bad++;
        lcm_report(rep, LCM_LEVEL_WARN, "%s", e.msg);
        goto out;
    }
    sha1_hex(data, len, hash);
    if ((rc = store_post_file_get(st, fname, hash, &found, &mid, &earlier, err)) != LCM_OK)
        goto out;
    if (found) {
        res->seen++;
        goto out;
    }
    if (post_file_parse(shown, data, len, today, now_ts, &f, &e) != LCM_OK) {
        res->bad++;
        lcm_report(rep, LCM_LEVEL_WARN, "%s", e.msg);
        goto out;
    }
    if (f.at - (int64_t)c->lead_days * 86400 > now_ts) {
        res->later++;
        goto out;
    }
    struct post_req req = {.program = f.program != NULL,
                           .target = f.program ? f.program : f.cohort,
                           .title = f.title,
                           .text = f.body,
                           .rule = "calendar",
                           .at = f.at};
    struct store_post_target t;
    if (dry_run) {
        if (store_post_target_find(st, req.program, req.target, &t, &e) != LCM_OK) {
            res->bad++;
            lcm_report(rep, LCM_LEVEL_WARN, "%s:%d: %s", shown, f.target_line, e.msg);
        } else if (res->drafted++, fn)
            fn(fn_ctx, 0, shown, t.cohort_id ? t.cohort_name : t.program_name, f.at);
        goto out;
    }
    struct queue_tx q = {.req = &req, .key = fname, .hash = hash, .now = now_ts};
    rc = store_tx(st, queue_in_tx, &q, NULL, &e);
    if (rc == LCM_ERR_NOTFOUND || rc == LCM_ERR_CONFLICT || rc == LCM_ERR_INVALID) {
        res->bad++;
        lcm_report(rep, LCM_LEVEL_WARN, "%s:%d: %s", shown, f.target_line, e.msg);
        rc = LCM_OK;
        goto out;
    }
    if (rc != LCM_OK) {
        *err = e;
        goto out;
    }
    res->drafted++;
    if (fn)
        fn(fn_ctx, q.id, shown, q.t.cohort_id ? q.t.cohort_name : q.t.program_name, f.at);
    if (earlier)
        lcm_report(rep, LCM_LEVEL_WARN,
                   _("%s changed since post #%lld was drafted from it: drafted again as #%lld "
                     "(skip #%lld in the outbox if the new one replaces it)"),
                   shown, (long long)earlier, (long long)q.id, (long long)earlier);
out:
    post_file_clear(&f);
    free(data);
    free(shown);
    return rc;
}

enum lcm_status post_file_queue(struct lcm_store *st, const struct post_cal_config *c, int today,
                                int64_t now_ts, bool dry_run, post_cal_fn fn, void *fn_ctx,
                                struct post_cal_result *res, const struct lcm_report *rep,
                                struct lcm_err *err)
{
    memset(res, 0, sizeof *res);
    if (!c->dir[0])
        return LCM_OK;
    size_t n = 0;
    char **names = list_dir(c->dir, &n);
    enum lcm_status rc = LCM_OK;
    for (size_t i = 0; i < n; i++) {
        if (rc == LCM_OK)
            rc = queue_one(st, c, names[i], today, now_ts, dry_run, fn, fn_ctx, res, rep, err);
        free(names[i]);
    }
    free(names);
    return rc;
}
