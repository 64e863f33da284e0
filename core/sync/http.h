/* http.h — the one libcurl wrapper: every HTTP request of lcmtui goes through here.
 *
 * What every request gets: connect and total timeouts, retries with exponential back-off and
 * jitter on connection errors, 429 and 5xx (honouring Retry-After, capped), an optional
 * absolute deadline that bounds the attempts and the waits between them, TLS verification
 * always on (a CA file may be given), proxies from the environment (libcurl's default), a
 * "lcmtui/VERSION" User-Agent, http/https only, no redirects followed (credentials stay with
 * the host they were meant for), a response size limit.
 *
 * Errors are one line naming the URL with secrets REDACTED (query parameters such as token,
 * wstoken, password, key, secret; user:password@ in the authority):
 *   "moodle: HTTP 500 Internal Server Error (http://127.0.0.1:8080/webservice/rest/server.php)"
 * The password and the request body are never written to an error or a report.
 *
 * Thread safety: http_perform() and http_perform_many() may run in several threads at once
 * (each call owns its curl handles); libcurl's global init happens once, under pthread_once. */
#ifndef LCM_HTTP_H
#define LCM_HTTP_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/status.h"

#define HTTP_DEFAULT_MAX_BODY (64u * 1024u * 1024u) /* when max_body is 0 */
#define HTTP_DEFAULT_MAX_WAIT_MS 30000              /* cap of one back-off wait */

/* Streaming sink: receives the body of a 2xx response chunk by chunk (never the body of an
 * error response, which is buffered for the message). Return false to abort the transfer. */
typedef bool (*http_data_fn)(void *ctx, const char *data, size_t len);

/* Waits ms milliseconds between attempts. Tests inject one that records and returns at once. */
typedef void (*http_sleep_fn)(void *ctx, long ms);

struct http_request {
    const char *label;          /* error prefix ("moodle", "xapi", "caldav"); NULL: "http" */
    const char *method;         /* "GET" (NULL), "POST", "PUT", "DELETE", "REPORT", ... */
    const char *url;            /* http:// or https:// */
    const char *const *headers; /* NULL-terminated "Name: value" lines, or NULL */
    const char *body;           /* request body (POST/PUT/REPORT), or NULL */
    size_t body_len;
    const char *user, *password; /* Basic auth when user is not NULL */
    long connect_timeout_ms;     /* 0: 10 s */
    long timeout_ms;             /* whole transfer; 0: 60 s */
    int max_retries;             /* extra attempts after the first (when retry is true) */
    bool retry;                  /* retry connection errors, 429 and 5xx */
    long max_wait_ms;            /* cap of one back-off wait; 0: HTTP_DEFAULT_MAX_WAIT_MS */
    long base_wait_ms;           /* first back-off wait; 0: 500 ms (doubles each attempt) */
    const char *ca_file;         /* CA bundle for TLS; NULL: the system's */
    size_t max_body;             /* response body limit in bytes; 0: HTTP_DEFAULT_MAX_BODY */
    bool accept_any_status;      /* false: a non-2xx final status is an error */
    http_data_fn on_data;        /* streaming mode: 2xx bodies go here, not to resp->body */
    void *on_data_ctx;
    http_sleep_fn sleep_fn; /* NULL: nanosleep */
    void *sleep_ctx;
    /* Absolute deadline in http_now_ms() time; 0: none. Each attempt's total timeout is cut to
     * end at it, no attempt starts at or after it, and a back-off wait (Retry-After included)
     * that would end at or after it is not made: the request fails at once with the error of
     * its last attempt ("LABEL: no time left before the deadline (URL)" when none started). */
    int64_t deadline_ms;
    atomic_bool *deadline_hit; /* may be NULL; set to true when the deadline stopped the request */
    const struct lcm_report
        *rep; /* INFO lines "GET <redacted url> -> 200 (N bytes)"; may be NULL */
};

struct http_header {
    char *name, *value;
};

struct http_response {
    long status; /* final HTTP status; 0 when no response arrived */
    char *body;  /* NUL-terminated (also when empty); NULL in streaming mode for a 2xx */
    size_t len;
    struct http_header *headers; /* of the final response, in order */
    size_t n_headers;
    int attempts; /* how many attempts were made */
};

/* Milliseconds of CLOCK_MONOTONIC: the clock of http_request.deadline_ms. */
int64_t http_now_ms(void);

/* Initialises libcurl once per process (thread-safe; http_perform calls it too). Returns
 * LCM_ERR_NETWORK when libcurl cannot initialise. */
enum lcm_status http_global_init(struct lcm_err *err);

/* Performs req, retrying as configured. On LCM_OK resp holds the final response (free it with
 * http_response_free, also on failure: it may hold the error body). Fails with
 * LCM_ERR_NETWORK (no response: refused, timeout, cut body), LCM_ERR_AUTH (401/403),
 * LCM_ERR_NOTFOUND (404), LCM_ERR_CONFLICT (409/412), LCM_ERR_REMOTE (other non-2xx),
 * LCM_ERR_INVALID (bad request: no URL, not http/https, body over max_body) — the last four
 * only when accept_any_status is false. In streaming mode a transfer that breaks after data
 * reached on_data is not retried (the sink cannot take it back). */
enum lcm_status http_perform(const struct http_request *req, struct http_response *resp,
                             struct lcm_err *err);

/* Value of the first response header named name (case-insensitive), or NULL. */
const char *http_header_get(const struct http_response *resp, const char *name);

/* Frees what resp holds and zeroes it. Safe on a zeroed response. */
void http_response_free(struct http_response *resp);

/* Called by http_perform_many for each finished request, in completion order, with index i
 * into reqs. resp is freed after the call returns (steal resp->body by setting it to NULL).
 * status/err are what http_perform would have returned. Return LCM_OK to go on; anything else
 * stops the batch (transfers in flight are abandoned) and is returned by http_perform_many,
 * with err's message (done_fn may rewrite err, e.g. with a parse error). */
typedef enum lcm_status (*http_done_fn)(void *ctx, size_t i, struct http_response *resp,
                                        enum lcm_status status, struct lcm_err *err);

/* Runs n requests with at most parallel (1..64) transfers at a time on one curl multi handle,
 * each with its own retries (back-off waits do not block the other transfers). Streaming mode
 * is not supported here (on_data is ignored). Returns LCM_OK when done_fn accepted every
 * result, else the status done_fn returned (err then holds its message). */
enum lcm_status http_perform_many(const struct http_request *reqs, size_t n, int parallel,
                                  http_done_fn done_fn, void *ctx, struct lcm_err *err);

/* Copies url into buf with secrets replaced by REDACTED: the value of query parameters named
 * token, wstoken, password, passwd, pass, key, apikey, api_key, secret, access_token,
 * auth, sig, signature (case-insensitive), and any userinfo (everything before the last '@'
 * of the authority); a #fragment is dropped. Truncates to len. Returns buf. */
char *http_redact_url(const char *url, char *buf, size_t len);

/* Appends "key=value" to b for an application/x-www-form-urlencoded body or a query string,
 * both percent-encoded, with a '&' before it unless b is empty. NULL key or value: "". */
void http_form_append(struct buf *b, const char *key, const char *value);

/* Parses a Retry-After value (delta seconds or an HTTP-date relative to now_ts) into ms;
 * returns -1 when it is neither. */
long http_retry_after_ms(const char *value, int64_t now_ts);

#endif
