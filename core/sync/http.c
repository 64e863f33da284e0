/* http.c — the libcurl wrapper: one transfer (with retries) or a bounded parallel batch; and,
 * at the end, the helpers that make no transfer (URL redaction, form encoding, Retry-After). */
#include "sync/http.h"

#include <ctype.h>
#include <curl/curl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_HEADERS 64
#define MAX_HEADER_VALUE 2048

/* One attempt of one request: the easy handle and what it collects. */
struct xfer {
    const struct http_request *req;
    struct http_response *resp;
    CURL *h;
    struct curl_slist *hdrs;
    size_t cap;
    bool too_big;      /* body went over max_body */
    bool sink_stopped; /* on_data returned false */
    bool delivered;    /* bytes reached on_data: no retry possible */
    bool cut;          /* the attempt's timeout was cut to end at the request's deadline */
    char reason[64];   /* reason phrase of the final status line */
    char errbuf[CURL_ERROR_SIZE];
};

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static CURLcode init_rc = CURLE_OK;
static atomic_ulong jitter_seq = 0x9e3779b9UL;

int64_t http_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void init_curl(void)
{
    init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

enum lcm_status http_global_init(struct lcm_err *err)
{
    pthread_once(&init_once, init_curl);
    if (init_rc != CURLE_OK)
        return lcm_err_set(err, LCM_ERR_NETWORK, _("http: cannot initialise libcurl: %s"),
                           curl_easy_strerror(init_rc));
    return LCM_OK;
}

static void headers_free(struct http_response *r)
{
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    r->headers = NULL;
    r->n_headers = 0;
}

void http_response_free(struct http_response *resp)
{
    if (!resp)
        return;
    free(resp->body);
    headers_free(resp);
    memset(resp, 0, sizeof *resp);
}

const char *http_header_get(const struct http_response *resp, const char *name)
{
    if (!resp || !name)
        return NULL;
    for (size_t i = 0; i < resp->n_headers; i++)
        if (strcasecmp(resp->headers[i].name, name) == 0)
            return resp->headers[i].value;
    return NULL;
}

static const char *label_of(const struct http_request *req)
{
    return req->label ? req->label : "http";
}

static bool status_is_2xx(long s)
{
    return s >= 200 && s < 300;
}

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    if (x->req->on_data && status_is_2xx(code)) {
        x->delivered = true;
        if (!x->req->on_data(x->req->on_data_ctx, data, n)) {
            x->sink_stopped = true;
            return 0;
        }
        return n;
    }
    size_t limit = x->req->max_body ? x->req->max_body : HTTP_DEFAULT_MAX_BODY;
    struct http_response *r = x->resp;
    if (r->len + n > limit) {
        x->too_big = true;
        return 0;
    }
    if (r->len + n + 1 > x->cap) {
        size_t cap = x->cap ? x->cap : 16384;
        while (cap < r->len + n + 1)
            cap *= 2;
        r->body = lcm_xrealloc(r->body, cap);
        x->cap = cap;
    }
    memcpy(r->body + r->len, data, n);
    r->len += n;
    r->body[r->len] = '\0';
    return n;
}

/* Copies s[0..n) without CR, LF or other controls, trimmed. */
static char *clean_dup(const char *s, size_t n)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    if (n > MAX_HEADER_VALUE)
        n = MAX_HEADER_VALUE;
    char *out = lcm_xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) ? '?' : s[i];
    out[n] = '\0';
    return out;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
    struct xfer *x = ud;
    size_t n = size * nmemb;
    struct http_response *r = x->resp;
    if (n >= 5 && memcmp(data, "HTTP/", 5) == 0) {
        /* a new response (after 100 Continue or a proxy CONNECT): forget the last one */
        headers_free(r);
        const char *sp = memchr(data, ' ', n);
        x->reason[0] = '\0';
        if (sp && (size_t)(sp - data) + 5 < n) {
            char *reason = clean_dup(sp + 5, n - (size_t)(sp - data) - 5);
            snprintf(x->reason, sizeof x->reason, "%s", reason);
            free(reason);
        }
        return n;
    }
    const char *colon = memchr(data, ':', n);
    if (!colon || r->n_headers >= MAX_HEADERS)
        return n;
    if (!r->headers)
        r->headers = lcm_xcalloc(MAX_HEADERS, sizeof *r->headers);
    struct http_header *h = &r->headers[r->n_headers++];
    h->name = clean_dup(data, (size_t)(colon - data));
    h->value = clean_dup(colon + 1, n - (size_t)(colon - data) - 1);
    return n;
}

/* The total timeout of an attempt starting now: the request's, cut to end at its deadline
 * (x->cut says whether it was). */
static long attempt_timeout_ms(struct xfer *x)
{
    const struct http_request *req = x->req;
    long t = req->timeout_ms > 0 ? req->timeout_ms : 60000L;
    x->cut = false;
    if (req->deadline_ms > 0) {
        int64_t left = req->deadline_ms - http_now_ms();
        if (left < t) {
            t = left > 1 ? (long)left : 1;
            x->cut = true;
        }
    }
    return t;
}

/* Creates the easy handle for one attempt. */
static enum lcm_status xfer_start(struct xfer *x, struct lcm_err *err)
{
    const struct http_request *req = x->req;
    http_response_free(x->resp);
    x->cap = 0;
    x->too_big = x->sink_stopped = x->delivered = false;
    x->reason[0] = x->errbuf[0] = '\0';
    x->h = curl_easy_init();
    if (!x->h)
        return lcm_err_set(err, LCM_ERR_NETWORK, _("%s: cannot create a curl handle"),
                           label_of(req));
    CURL *h = x->h;
    curl_easy_setopt(h, CURLOPT_URL, req->url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "lcmtui/" LCM_VERSION);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     req->connect_timeout_ms > 0 ? req->connect_timeout_ms : 10000L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, attempt_timeout_ms(x));
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (req->ca_file)
        curl_easy_setopt(h, CURLOPT_CAINFO, req->ca_file);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, x->errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, x);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, x);
    if (req->user) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, req->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD, req->password ? req->password : "");
    }
    const char *method = req->method ? req->method : "GET";
    if (req->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
    }
    if (strcmp(method, "GET") == 0 && !req->body)
        curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    else if (strcmp(method, "POST") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    x->hdrs = curl_slist_append(NULL, "Expect:"); /* no 100-continue round trip */
    for (const char *const *p = req->headers; p && *p; p++)
        if (!strpbrk(*p, "\r\n")) /* a header line with CR/LF would inject headers */
            x->hdrs = curl_slist_append(x->hdrs, *p);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, x->hdrs);
    return LCM_OK;
}

static void xfer_end(struct xfer *x)
{
    if (x->h)
        curl_easy_cleanup(x->h);
    curl_slist_free_all(x->hdrs);
    x->h = NULL;
    x->hdrs = NULL;
}

/* What to do after an attempt. */
enum outcome { OUT_DONE, OUT_RETRY, OUT_FAIL };

static unsigned long jitter_next(void)
{
    unsigned long v = atomic_fetch_add(&jitter_seq, 0x6a09e667UL);
    v ^= v << 13;
    v ^= v >> 7;
    v ^= v << 17;
    return v;
}

/* Wait before attempt number `attempt` (1-based retries): exponential with equal jitter, or
 * the server's Retry-After; capped. */
static long backoff_ms(const struct http_request *req, const struct http_response *resp,
                       int attempt)
{
    long cap = req->max_wait_ms > 0 ? req->max_wait_ms : HTTP_DEFAULT_MAX_WAIT_MS;
    long ra = http_retry_after_ms(http_header_get(resp, "Retry-After"), (int64_t)time(NULL));
    if (ra >= 0)
        return ra < cap ? ra : cap;
    long base = req->base_wait_ms > 0 ? req->base_wait_ms : 500;
    long w = base;
    for (int i = 1; i < attempt && w < cap; i++)
        w *= 2;
    if (w > cap)
        w = cap;
    long half = w / 2;
    return half + (half > 0 ? (long)(jitter_next() % (unsigned long)(half + 1)) : 0);
}

static enum lcm_status status_error(long code)
{
    if (code == 401 || code == 403)
        return LCM_ERR_AUTH;
    if (code == 404 || code == 410)
        return LCM_ERR_NOTFOUND;
    if (code == 409 || code == 412)
        return LCM_ERR_CONFLICT;
    return LCM_ERR_REMOTE;
}

/* Classifies a finished attempt; fills err on failure (the final word if no retry follows). */
static enum outcome xfer_classify(struct xfer *x, CURLcode rc, int attempt, struct lcm_err *err)
{
    const struct http_request *req = x->req;
    struct http_response *r = x->resp;
    char url[600];
    http_redact_url(req->url, url, sizeof url);
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &r->status);
    r->attempts = attempt;
    bool can_retry = req->retry && attempt <= req->max_retries && !x->delivered;
    char tries[32] = "";
    if (attempt > 1)
        snprintf(tries, sizeof tries, " after %d attempts", attempt);
    if (x->too_big) {
        lcm_err_set(err, LCM_ERR_INVALID, _("%s: response larger than %zu bytes (%s)"),
                    label_of(req), req->max_body ? req->max_body : (size_t)HTTP_DEFAULT_MAX_BODY,
                    url);
        return OUT_FAIL;
    }
    if (x->sink_stopped) {
        lcm_err_set(err, LCM_ERR_PARSE, _("%s: response refused by its reader (%s)"), label_of(req),
                    url);
        return OUT_FAIL;
    }
    if (rc != CURLE_OK) {
        lcm_err_set(err, LCM_ERR_NETWORK, "%s: %s%s (%s)", label_of(req),
                    x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc), tries, url);
        return can_retry ? OUT_RETRY : OUT_FAIL;
    }
    if (status_is_2xx(r->status) || req->accept_any_status) {
        if (!r->body && !(req->on_data && status_is_2xx(r->status)))
            r->body = lcm_xcalloc(1, 1);
        if (req->accept_any_status && (r->status == 429 || r->status >= 500) && can_retry)
            return OUT_RETRY;
        return OUT_DONE;
    }
    lcm_err_set(err, status_error(r->status), _("%s: HTTP %ld%s%s%s (%s)"), label_of(req),
                r->status, x->reason[0] ? " " : "", x->reason, tries, url);
    if ((r->status == 429 || r->status >= 500) && can_retry)
        return OUT_RETRY;
    return OUT_FAIL;
}

/* ---- the deadline (http_request.deadline_ms) ---- */

static void deadline_mark(const struct http_request *req)
{
    if (req->deadline_hit)
        atomic_store(req->deadline_hit, true);
}

/* True (and marked) when req has a deadline and it has come: no attempt may start. */
static bool deadline_passed(const struct http_request *req)
{
    if (req->deadline_ms <= 0 || http_now_ms() < req->deadline_ms)
        return false;
    deadline_mark(req);
    return true;
}

/* After an attempt of x (curl code cc, outcome o, wait ms before its retry): true (and marked)
 * when the deadline ends the request here, because the attempt timed out at the deadline or
 * its retry could not start before it. The caller then fails with the attempt's error. */
static bool deadline_stops(const struct xfer *x, CURLcode cc, enum outcome o, long wait)
{
    const struct http_request *req = x->req;
    if (req->deadline_ms <= 0 || o == OUT_DONE)
        return false;
    bool cut = cc == CURLE_OPERATION_TIMEDOUT && x->cut;
    if (!cut && !(o == OUT_RETRY && http_now_ms() + wait >= req->deadline_ms))
        return false;
    deadline_mark(req);
    return true;
}

/* The error of a request whose deadline came before its first attempt. */
static enum lcm_status deadline_error(const struct http_request *req, struct lcm_err *err)
{
    char url[600];
    http_redact_url(req->url, url, sizeof url);
    return lcm_err_set(err, LCM_ERR_NETWORK, _("%s: no time left before the deadline (%s)"),
                       label_of(req), url);
}

/* The outcome of an attempt the deadline stopped: its error, or with accept_any_status (no
 * error) its response. */
static enum outcome deadline_outcome(const struct lcm_err *e)
{
    return e->status == LCM_OK ? OUT_DONE : OUT_FAIL;
}

static void default_sleep(void *ctx, long ms)
{
    (void)ctx;
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

static void do_sleep(const struct http_request *req, long ms)
{
    if (ms <= 0)
        return;
    if (req->sleep_fn)
        req->sleep_fn(req->sleep_ctx, ms);
    else
        default_sleep(NULL, ms);
}

static void report_done(const struct http_request *req, const struct http_response *r)
{
    if (!req->rep)
        return;
    char url[600];
    http_redact_url(req->url, url, sizeof url);
    lcm_report(req->rep, LCM_LEVEL_INFO, _("%s: %s %s -> %ld (%zu bytes, attempt %d)"),
               label_of(req), req->method ? req->method : "GET", url, r->status, r->len,
               r->attempts);
}

static enum lcm_status check_request(const struct http_request *req, struct lcm_err *err)
{
    if (!req || !req->url || !*req->url)
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: no URL"), req ? label_of(req) : "http");
    if (strncasecmp(req->url, "http://", 7) != 0 && strncasecmp(req->url, "https://", 8) != 0) {
        char url[600];
        http_redact_url(req->url, url, sizeof url);
        return lcm_err_set(err, LCM_ERR_INVALID, _("%s: not an http(s) URL (%s)"), label_of(req),
                           url);
    }
    return http_global_init(err);
}

enum lcm_status http_perform(const struct http_request *req, struct http_response *resp,
                             struct lcm_err *err)
{
    struct lcm_err e;
    lcm_err_clear(&e);
    memset(resp, 0, sizeof *resp);
    enum lcm_status rc = check_request(req, &e);
    struct xfer x = {.req = req, .resp = resp};
    for (int attempt = 1; rc == LCM_OK; attempt++) {
        if (deadline_passed(req)) { /* too late a request, or a wait that overslept */
            rc = attempt == 1 ? deadline_error(req, &e) : e.status;
            break;
        }
        rc = xfer_start(&x, &e);
        if (rc != LCM_OK)
            break;
        CURLcode cc = curl_easy_perform(x.h);
        lcm_err_clear(&e);
        enum outcome o = xfer_classify(&x, cc, attempt, &e);
        long wait = o == OUT_RETRY ? backoff_ms(req, resp, attempt) : 0;
        if (deadline_stops(&x, cc, o, wait))
            o = deadline_outcome(&e);
        xfer_end(&x);
        report_done(req, resp);
        if (o == OUT_DONE)
            break;
        if (o == OUT_FAIL)
            rc = e.status;
        else
            do_sleep(req, wait);
    }
    if (err)
        *err = e;
    return rc;
}

/* ---- parallel batch on one multi handle ---- */

struct slot {
    struct xfer x;
    struct http_response resp;
    size_t idx;
    int attempt;
    long wait_left;      /* > 0: waiting to retry; the easy handle is not in the multi */
    struct lcm_err last; /* the error of the attempt being retried */
    bool busy;
};

static long elapsed_ms(struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long ms = (now.tv_sec - since->tv_sec) * 1000L + (now.tv_nsec - since->tv_nsec) / 1000000L;
    *since = now;
    return ms;
}

/* Starts (or restarts) slot s's current attempt on m. */
static enum lcm_status slot_launch(CURLM *m, struct slot *s, struct lcm_err *err)
{
    s->attempt++;
    enum lcm_status rc = xfer_start(&s->x, err);
    if (rc != LCM_OK)
        return rc;
    curl_easy_setopt(s->x.h, CURLOPT_PRIVATE, s);
    if (curl_multi_add_handle(m, s->x.h) != CURLM_OK)
        return lcm_err_set(err, LCM_ERR_NETWORK, _("%s: cannot add a transfer"),
                           label_of(s->x.req));
    return LCM_OK;
}

/* Hands slot s's final result to done_fn (e: its error; status LCM_OK when it succeeded) and
 * frees the slot. */
static enum lcm_status slot_deliver(struct slot *s, struct lcm_err *e, http_done_fn done_fn,
                                    void *ctx, struct lcm_err *err)
{
    enum lcm_status rc = done_fn(ctx, s->idx, &s->resp, e->status, e);
    http_response_free(&s->resp);
    s->busy = false;
    if (rc != LCM_OK && err && err->status == LCM_OK) {
        *err = *e;
        if (!err->msg[0])
            lcm_err_set(err, rc, "%s: %s", label_of(s->x.req), lcm_status_str(rc));
        err->status = rc;
    }
    return rc;
}

/* Handles a finished transfer: retry later, or hand the result to done_fn and free the slot. */
static enum lcm_status slot_finish(CURLM *m, struct slot *s, CURLcode cc, http_done_fn done_fn,
                                   void *ctx, struct lcm_err *err)
{
    struct lcm_err e;
    lcm_err_clear(&e);
    enum outcome o = xfer_classify(&s->x, cc, s->attempt, &e);
    long wait = o == OUT_RETRY ? backoff_ms(s->x.req, &s->resp, s->attempt) : 0;
    if (deadline_stops(&s->x, cc, o, wait))
        o = deadline_outcome(&e);
    curl_multi_remove_handle(m, s->x.h);
    xfer_end(&s->x);
    report_done(s->x.req, &s->resp);
    if (o == OUT_RETRY) {
        s->wait_left = wait > 0 ? wait : 1;
        s->last = e;
        return LCM_OK;
    }
    if (o == OUT_DONE)
        lcm_err_clear(&e);
    return slot_deliver(s, &e, done_fn, ctx, err);
}

/* Starts the first attempt of slot s, or fails it at once when its deadline has come. */
static enum lcm_status slot_begin(CURLM *m, struct slot *s, size_t *done, http_done_fn done_fn,
                                  void *ctx, struct lcm_err *err)
{
    enum lcm_status rc = check_request(s->x.req, err);
    if (rc != LCM_OK || !deadline_passed(s->x.req))
        return rc == LCM_OK ? slot_launch(m, s, err) : rc;
    deadline_error(s->x.req, &s->last);
    (*done)++;
    return slot_deliver(s, &s->last, done_fn, ctx, err);
}

/* Starts the retry of slot s after its wait, or fails it with its last error when its
 * deadline has come meanwhile (the wait overslept). */
static enum lcm_status slot_retry(CURLM *m, struct slot *s, size_t *done, http_done_fn done_fn,
                                  void *ctx, struct lcm_err *err)
{
    s->wait_left = 0;
    if (!deadline_passed(s->x.req))
        return slot_launch(m, s, err);
    (*done)++;
    return slot_deliver(s, &s->last, done_fn, ctx, err);
}

/* One turn: fills free slots, advances waits, runs transfers, collects finished ones. */
static enum lcm_status many_turn(CURLM *m, struct slot *slots, int parallel,
                                 const struct http_request *reqs, size_t n, size_t *next,
                                 size_t *done, http_done_fn done_fn, void *ctx,
                                 struct timespec *clock, struct lcm_err *err)
{
    enum lcm_status rc = LCM_OK;
    int active = 0, waiting = 0;
    long min_wait = 1000;
    for (int i = 0; i < parallel && rc == LCM_OK; i++) {
        struct slot *s = &slots[i];
        if (!s->busy && *next < n) {
            memset(&s->resp, 0, sizeof s->resp);
            s->x = (struct xfer){.req = &reqs[*next], .resp = &s->resp};
            s->idx = (*next)++;
            s->attempt = 0;
            s->wait_left = 0;
            s->busy = true;
            rc = slot_begin(m, s, done, done_fn, ctx, err);
        } else if (s->busy && s->wait_left > 0) {
            waiting++;
            if (s->wait_left < min_wait)
                min_wait = s->wait_left;
            continue;
        }
        if (s->busy)
            active++;
    }
    if (rc != LCM_OK || (active == 0 && waiting == 0)) /* all failed at their deadline */
        return rc;
    long spent;
    if (active > 0) {
        int still = 0;
        curl_multi_perform(m, &still);
        /* wait for activity only when no transfer finished: curl_multi_poll() waits its whole
         * timeout when no socket is left to watch, so a batch whose last transfers ended in
         * this perform would sleep a second before handing them over */
        if (still == active)
            curl_multi_poll(m, NULL, 0, waiting ? (int)min_wait : 1000, NULL);
        curl_multi_perform(m, &still);
        spent = elapsed_ms(clock);
    } else {
        const struct http_request *r0 = &reqs[0];
        do_sleep(r0, min_wait);
        spent = min_wait;
        elapsed_ms(clock);
    }
    for (int i = 0; i < parallel && rc == LCM_OK; i++) {
        struct slot *s = &slots[i];
        if (s->busy && s->wait_left > 0 && (s->wait_left -= spent) <= 0)
            rc = slot_retry(m, s, done, done_fn, ctx, err);
    }
    CURLMsg *msg;
    int left;
    while (rc == LCM_OK && (msg = curl_multi_info_read(m, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct slot *s = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
        bool retried;
        rc = slot_finish(m, s, msg->data.result, done_fn, ctx, err);
        retried = s->busy;
        if (!retried)
            (*done)++;
    }
    return rc;
}

enum lcm_status http_perform_many(const struct http_request *reqs, size_t n, int parallel,
                                  http_done_fn done_fn, void *ctx, struct lcm_err *err)
{
    lcm_err_clear(err);
    if (n == 0)
        return LCM_OK;
    enum lcm_status rc = http_global_init(err);
    if (rc != LCM_OK)
        return rc;
    if (parallel < 1)
        parallel = 1;
    if (parallel > 64)
        parallel = 64;
    CURLM *m = curl_multi_init();
    if (!m)
        return lcm_err_set(err, LCM_ERR_NETWORK, _("http: cannot create a curl multi handle"));
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)parallel);
    struct slot *slots = lcm_xcalloc((size_t)parallel, sizeof *slots);
    size_t next = 0, done = 0;
    struct timespec clock;
    clock_gettime(CLOCK_MONOTONIC, &clock);
    while (rc == LCM_OK && done < n)
        rc = many_turn(m, slots, parallel, reqs, n, &next, &done, done_fn, ctx, &clock, err);
    for (int i = 0; i < parallel; i++) {
        if (slots[i].x.h) {
            curl_multi_remove_handle(m, slots[i].x.h);
            xfer_end(&slots[i].x);
        }
        http_response_free(&slots[i].resp);
    }
    free(slots);
    curl_multi_cleanup(m);
    return rc;
}

/* ---- no transfer: redaction, form encoding, Retry-After ---- */

static const char *const secret_params[] = {
    "token",   "wstoken", "password",     "passwd", "pass", "key",       "apikey",
    "api_key", "secret",  "access_token", "auth",   "sig",  "signature", NULL};

static bool is_secret_param(const char *name, size_t n)
{
    for (const char *const *p = secret_params; *p; p++)
        if (strlen(*p) == n && strncasecmp(*p, name, n) == 0)
            return true;
    return false;
}

/* Appends s[0..n) to buf at *at, never past len - 1. */
static void put(char *buf, size_t len, size_t *at, const char *s, size_t n)
{
    while (n-- && *at + 1 < len)
        buf[(*at)++] = *s++;
    buf[*at] = '\0';
}

char *http_redact_url(const char *url, char *buf, size_t len)
{
    if (!buf || len == 0)
        return buf;
    buf[0] = '\0';
    if (!url)
        return buf;
    size_t at = 0;
    const char *p = url;
    const char *scheme = strstr(p, "://");
    if (scheme) {
        const char *auth = scheme + 3;
        size_t alen = strcspn(auth, "/?#");
        const char *atsign = NULL; /* the last '@': a password may hold another one */
        for (const char *q = auth; q < auth + alen; q++)
            if (*q == '@')
                atsign = q;
        put(buf, len, &at, p, (size_t)(auth - p));
        if (atsign) {
            put(buf, len, &at, "REDACTED@", 9);
            p = atsign + 1;
        } else {
            p = auth;
        }
    }
    size_t pathlen = strcspn(p, "?#");
    put(buf, len, &at, p, pathlen);
    p += pathlen;
    while (*p == '?' || *p == '&' || *p == ';') {
        put(buf, len, &at, p, 1);
        p++;
        size_t plen = strcspn(p, "&;#");
        const char *eq = memchr(p, '=', plen);
        if (eq && is_secret_param(p, (size_t)(eq - p))) {
            put(buf, len, &at, p, (size_t)(eq - p) + 1);
            put(buf, len, &at, "REDACTED", 8);
        } else {
            put(buf, len, &at, p, plen);
        }
        p += plen;
    }
    /* What is left is a #fragment: dropped, it may hold a token (OAuth implicit flow). */
    return buf;
}

static void append_encoded(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            buf_add(b, s, 1);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            buf_add(b, enc, 3);
        }
    }
}

void http_form_append(struct buf *b, const char *key, const char *value)
{
    if (b->len > 0)
        buf_add(b, "&", 1);
    append_encoded(b, key ? key : "");
    buf_add(b, "=", 1);
    append_encoded(b, value ? value : "");
}

long http_retry_after_ms(const char *value, int64_t now_ts)
{
    if (!value)
        return -1;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return -1;
    if (isdigit((unsigned char)*value)) {
        char *end;
        long long secs = strtoll(value, &end, 10);
        while (isspace((unsigned char)*end))
            end++;
        if (*end || secs < 0)
            return -1;
        return secs > 86400 ? 86400000L : (long)secs * 1000L;
    }
    time_t t = curl_getdate(value, NULL);
    if (t == (time_t)-1)
        return -1;
    int64_t d = (int64_t)t - now_ts;
    if (d < 0)
        d = 0;
    return d > 86400 ? 86400000L : (long)d * 1000L;
}
