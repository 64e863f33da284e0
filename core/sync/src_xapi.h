/* src_xapi.h — the xAPI learning record store source (xAPI 1.0.3).
 *
 * GET {url}/statements?ascending=true&limit=N[&since=CURSOR] with Basic auth and
 * X-Experience-API-Version: 1.0.3, then the `more` links until one is empty. Each page is one
 * transaction with its cursor (the `stored` time of its last statement, less 1 ms; at the
 * end, the X-Experience-API-Consistent-Through of the first answer). Statement ids go to
 * sync_seen, so a statement is never counted twice. A `more` link that loops, or that points
 * to another host (which would receive the credentials), is an error.
 *
 * Daily activity per learner: actions = statements; sessions = the larger of the counts of
 * `initialized` and `launched`; minutes = result.duration of statements other than
 * completed/passed/failed/progressed (cmi5 repeats the session time there); progress = the
 * cmi5 progress extension (http:// and https:// forms), 0-100. completed/passed statements
 * make their object a milestone reached (score = result.score.scaled). Learners are keyed by
 * actor.account (homePage|name), else mbox, mbox_sha1sum or openid. */
#ifndef LCM_SRC_XAPI_H
#define LCM_SRC_XAPI_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "sync/sync_source.h"

extern const struct sync_source_ops src_xapi_ops;

/* ISO 8601 duration ("PT1H2M3.5S", "P1DT2H", "PT0S") to seconds. Years and months are
 * refused (their length is ambiguous). Returns false when malformed. */
bool xapi_duration_parse(const char *s, double *seconds);

/* ISO 8601 timestamp ("2026-09-01T14:13:20.123Z", "+02:00" offsets, no zone = UTC) to Unix
 * milliseconds. Returns false when malformed. */
bool xapi_time_parse(const char *s, int64_t *ms);
/* Unix milliseconds as "YYYY-MM-DDTHH:MM:SS.mmmZ" (buf of at least 32 bytes). */
char *xapi_time_format(int64_t ms, char *buf, size_t len);

/* What sync takes from one statement. Strings point into the JSON (or into actor_key). */
struct xapi_stmt {
    const char *id;
    char actor_key[512];    /* "account:HOMEPAGE|NAME", "mbox:mailto:..", ... */
    const char *actor_name; /* may be NULL */
    const char *email;      /* from mbox, without "mailto:"; NULL otherwise */
    const char *verb;       /* last segment of verb.id, e.g. "completed" */
    int64_t time_ms;        /* timestamp (else stored) */
    const char *stored;     /* may be NULL */
    double duration_s;      /* < 0: none */
    double progress;        /* 0..1, < 0: none */
    double score;           /* result.score.scaled, < 0: none */
    const char *object_id, *object_name;
};

/* Reads statement s. On a missing or malformed required field (id, actor, verb.id,
 * timestamp/stored, object.id) returns false and sets *missing to the field's name. */
bool xapi_stmt_read(const json_t *s, struct xapi_stmt *out, const char **missing);

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
enum lcm_status xapi_page_scan(const char *buf, size_t len, struct xapi_page *out,
                               const char *label, const char *url, struct lcm_err *err);
/* Calls fn for statement 0, 1, ...; stops at the first error (fn's or a JSON one). stmt is
 * freed when fn returns. */
typedef enum lcm_status (*xapi_stmt_fn)(void *ctx, const json_t *stmt, size_t index,
                                        struct lcm_err *err);
enum lcm_status xapi_page_each(const struct xapi_page *p, xapi_stmt_fn fn, void *ctx,
                               const char *label, const char *url, struct lcm_err *err);

#endif
