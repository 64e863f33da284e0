/* csvread.c — the CSV reader: libcsv does the tokenizing; this file feeds it one physical line
 * at a time so that every record knows the line it starts on, and checks each record. */
#include "import/csvread.h"
#include "base/text.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1 << 20)

struct reader {
    struct csv_parser p;
    const char *name;
    long line;     /* current physical line being fed */
    int row_open;  /* a record has started and not ended yet */
    long row_line; /* line where the open record started */
    char *arena;   /* bytes of the current record's fields, each NUL-terminated */
    size_t arena_len, arena_cap;
    size_t *offs, *lens;
    char **ptrs;
    int nf, cap_f;
    int header_n; /* fields in the header; 0 until it is read */
    char **names; /* header names, for messages */
    csvread_fn fn;
    void *ctx;
    struct lcm_err *err;
    enum lcm_status rc;
};

char csvread_detect_sep(const char *buf, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;
    for (size_t i = 0; i < len && (quoted || buf[i] != '\n'); i++) {
        char c = buf[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && c == ',')
            comma++;
        else if (!quoted && c == ';')
            semi++;
        else if (!quoted && c == '\t')
            tab++;
    }
    if (semi > comma && semi >= tab)
        return ';';
    if (tab > comma && tab > semi)
        return '\t';
    return ',';
}

/* libcsv's field callback: keep a copy of the field in the record arena. */
static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->rc != LCM_OK)
        return;
    if (r->nf == r->cap_f) {
        r->cap_f = r->cap_f ? r->cap_f * 2 : 32;
        r->offs = lcm_xrealloc(r->offs, (size_t)r->cap_f * sizeof *r->offs);
        r->lens = lcm_xrealloc(r->lens, (size_t)r->cap_f * sizeof *r->lens);
        r->ptrs = lcm_xrealloc(r->ptrs, (size_t)r->cap_f * sizeof *r->ptrs);
    }
    if (r->arena_len + len + 1 > r->arena_cap) {
        while (r->arena_len + len + 1 > r->arena_cap)
            r->arena_cap = r->arena_cap ? r->arena_cap * 2 : 4096;
        r->arena = lcm_xrealloc(r->arena, r->arena_cap);
    }
    if (len)
        memcpy(r->arena + r->arena_len, s, len);
    r->arena[r->arena_len + len] = '\0';
    r->offs[r->nf] = r->arena_len;
    r->lens[r->nf] = len;
    r->nf++;
    r->arena_len += len + 1;
}

static const char *col_name(const struct reader *r, int i, char buf[32])
{
    if (r->names && i < r->header_n && r->names[i][0])
        return r->names[i];
    snprintf(buf, 32, "%d", i + 1);
    return buf;
}

/* Checks one complete record and hands it to the caller. */
static enum lcm_status deliver(struct reader *r)
{
    struct csv_record rec = {r->name, r->row_line, r->nf, r->ptrs, r->lens};
    char nb[32];
    for (int i = 0; i < r->nf; i++)
        r->ptrs[i] = r->arena + r->offs[i];
    int header = r->header_n == 0;
    if (!header && r->nf != r->header_n)
        return lcm_err_set(r->err, LCM_ERR_PARSE,
                           _("%s:%ld: %d fields, expected %d as in the header"), r->name,
                           r->row_line, r->nf, r->header_n);
    for (int i = 0; i < r->nf; i++)
        if (!text_valid(r->ptrs[i], r->lens[i]))
            return lcm_err_set(r->err, LCM_ERR_PARSE, _("%s:%ld: column %s: invalid UTF-8"),
                               r->name, r->row_line, col_name(r, i, nb));
    if (header) {
        r->header_n = r->nf;
        r->names = lcm_xcalloc((size_t)r->nf, sizeof *r->names);
        for (int i = 0; i < r->nf; i++)
            r->names[i] = lcm_xstrdup(r->ptrs[i]);
    }
    return r->fn(r->ctx, &rec, header, r->err);
}

/* libcsv's end-of-record callback. */
static void on_record(int c, void *data)
{
    (void)c;
    struct reader *r = data;
    if (r->rc == LCM_OK)
        r->rc = deliver(r);
    r->nf = 0;
    r->arena_len = 0;
    r->row_open = 0;
}

static int only_eol(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

/* Feeds buf to libcsv a physical line at a time, tracking line numbers. */
static void feed(struct reader *r, const char *buf, size_t len)
{
    size_t pos = 0;
    while (pos < len && r->rc == LCM_OK) {
        const char *nl = memchr(buf + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        if (!r->row_open && !only_eol(buf + pos, end - pos)) {
            r->row_open = 1;
            r->row_line = r->line;
        }
        if (csv_parse(&r->p, buf + pos, end - pos, on_field, on_record, r) != end - pos &&
            r->rc == LCM_OK)
            r->rc = lcm_err_set(r->err, LCM_ERR_PARSE, _("%s:%ld: malformed quoted field (%s)"),
                                r->name, r->line, csv_strerror(csv_error(&r->p)));
        if (nl)
            r->line++;
        pos = end;
    }
}

static void reader_free(struct reader *r)
{
    csv_free(&r->p);
    free(r->arena);
    free(r->offs);
    free(r->lens);
    free(r->ptrs);
    for (int i = 0; r->names && i < r->header_n; i++)
        free(r->names[i]);
    free(r->names);
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

static enum lcm_status reader_init(struct reader *r, const char *name, csvread_fn fn, void *ctx,
                                   struct lcm_err *err)
{
    memset(r, 0, sizeof *r);
    r->name = name;
    r->line = 1;
    r->fn = fn;
    r->ctx = ctx;
    r->err = err;
    if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return lcm_err_set(err, LCM_ERR_NOMEM, _("%s: cannot start the CSV parser"), name);
    return LCM_OK;
}

/* Strips a UTF-8 BOM and sets the separator from the first chunk of the file. */
static size_t start(struct reader *r, const char *buf, size_t len, char sep)
{
    size_t skip = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    csv_set_delim(&r->p, (unsigned char)(sep ? sep : csvread_detect_sep(buf + skip, len - skip)));
    return skip;
}

static enum lcm_status finish(struct reader *r)
{
    if (r->rc == LCM_OK && csv_fini(&r->p, on_field, on_record, r) != 0 && r->rc == LCM_OK)
        r->rc = lcm_err_set(r->err, LCM_ERR_PARSE, _("%s:%ld: unterminated quoted field"), r->name,
                            r->row_line);
    if (r->rc == LCM_OK && r->header_n == 0)
        r->rc = lcm_err_set(r->err, LCM_ERR_PARSE, _("%s:1: empty file: no header line"), r->name);
    enum lcm_status rc = r->rc;
    reader_free(r);
    return rc;
}

enum lcm_status csvread_buffer(const char *name, const char *buf, size_t len, char sep,
                               csvread_fn fn, void *ctx, struct lcm_err *err)
{
    struct reader r;
    enum lcm_status rc = reader_init(&r, name, fn, ctx, err);
    if (rc != LCM_OK)
        return rc;
    size_t skip = start(&r, buf, len, sep);
    feed(&r, buf + skip, len - skip);
    return finish(&r);
}

enum lcm_status csvread_file(const char *path, char sep, csvread_fn fn, void *ctx,
                             struct lcm_err *err)
{
    const char *name = base_name(path);
    FILE *f = fopen(path, "rb");
    if (!f)
        return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
    struct reader r;
    enum lcm_status rc = reader_init(&r, name, fn, ctx, err);
    if (rc != LCM_OK) {
        fclose(f);
        return rc;
    }
    char *buf = lcm_xmalloc(CHUNK);
    int first = 1;
    size_t n;
    while (r.rc == LCM_OK && (n = fread(buf, 1, CHUNK, f)) > 0) {
        size_t skip = first ? start(&r, buf, n, sep) : 0;
        first = 0;
        feed(&r, buf + skip, n - skip);
    }
    if (r.rc == LCM_OK && ferror(f))
        r.rc = lcm_err_set(err, LCM_ERR_IO, _("%s: read error"), path);
    if (first && r.rc == LCM_OK)
        csv_set_delim(&r.p, (unsigned char)(sep ? sep : ','));
    free(buf);
    fclose(f);
    return finish(&r);
}
