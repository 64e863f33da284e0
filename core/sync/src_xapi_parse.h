/* src_xapi_parse.h — private to core/sync: reading xAPI statements and StatementResult pages
 * (src_xapi_parse.c): ISO 8601 durations and times, actor keys, verbs, results. Pure functions over
 * buffers and jansson values, called by src_xapi.c (and fed files by the tests); they call nothing
 * else in core/sync. Internal to core's sync. */
#ifndef LCM_SRC_XAPI_PARSE_H
#define LCM_SRC_XAPI_PARSE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/status.h"

/* ISO 8601 duration ("PT1H2M3.5S", "P1DT2H", "PT0S") to seconds. Years and months are
 * refused (their length is ambiguous). Returns false when malformed. */
bool src_xapi_parse_duration(const char *s, double *seconds);

/* ISO 8601 timestamp ("2026-09-01T14:13:20.123Z", "+02:00" offsets, no zone = UTC) to Unix
 * milliseconds. Returns false when malformed. */
bool src_xapi_parse_time(const char *s, int64_t *ms);
/* Unix milliseconds as "YYYY-MM-DDTHH:MM:SS.mmmZ" (buf of at least 32 bytes). */
char *src_xapi_parse_time_format(int64_t ms, char *buf, size_t len);

/* What sync takes from one statement. Strings point into the JSON (or into actor_key). */
#define XAPI_CTX_MAX 8
struct xapi_stmt {
    const char *id;
    char actor_key[512];                  /* "account:HOMEPAGE|NAME", "mbox:mailto:..", ... */
    const char *actor_name;               /* may be NULL */
    const char *email;                    /* from mbox, without "mailto:"; NULL otherwise */
    const char *home_page, *account_name; /* actor.account; NULL when none */
    const char *sha1;                     /* actor.mbox_sha1sum; NULL when none */
    const char *verb;                     /* last segment of verb.id, e.g. "completed" */
    int64_t time_ms;                      /* timestamp (else stored) */
    const char *stored;                   /* may be NULL */
    double duration_s;                    /* < 0: none */
    double progress; /* cmi5 progress extension, 0..1 (of the object: an AU), < 0: none */
    double score;    /* 0..100: result.score.scaled (-1..1, below 0 read as 0) x 100, or
                      * raw within min..max; < 0: none (a raw score without its range) */
    int success;     /* result.success: 1 true, 0 false, -1 absent */
    bool completion; /* result.completion is true */
    const char *object_id, *object_name;
    const char *ctx[XAPI_CTX_MAX]; /* context.contextActivities: grouping ids, then parent ids */
    int n_ctx;
};

/* Reads statement s. On a missing or malformed required field (id, actor, verb.id,
 * timestamp/stored, object.id) returns false and sets *missing to the field's name. */
bool src_xapi_parse_stmt(const json_t *s, struct xapi_stmt *out, const char **missing);

/* A StatementResult read in two passes over its buffer, so a page never becomes one big
 * tree: scan finds the statements array and copies `more` (validating the rest); each then
 * parses and hands over one statement at a time. Invalid JSON is reported with the line and
 * column in the whole body: "LABEL: invalid JSON at line L column C: TEXT (URL)". */
struct xapi_page {
    const char *buf;
    size_t len;
    size_t stmts_at, stmts_end; /* '[' of the statements array and one past its ']' */
    char more[2048];            /* "" when none */
};
enum lcm_status src_xapi_parse_page_scan(const char *buf, size_t len, struct xapi_page *out,
                                         const char *label, const char *url, struct lcm_err *err);
/* Calls fn for statement 0, 1, ...; stops at the first error (fn's or a JSON one). stmt is
 * freed when fn returns. */
typedef enum lcm_status (*xapi_stmt_fn)(void *ctx, const json_t *stmt, size_t index,
                                        struct lcm_err *err);
enum lcm_status src_xapi_parse_page_each(const struct xapi_page *p, xapi_stmt_fn fn, void *ctx,
                                         const char *label, const char *url, struct lcm_err *err);

#endif
