/* status.h — every outcome a core function can report, and the report callback.
 *
 * Core code never prints. It returns an enum lcm_status and, when it fails, fills a
 * struct lcm_err with one line naming the thing and the place ("mapping.conf:12: ...").
 * Progress and warnings go through an lcm_report callback chosen by the caller: stderr in
 * the CLI, the status line in the TUI, a buffer in tests.
 *
 * Naming: unlike every other module, this file's functions keep the project-wide lcm_ prefix
 * (lcm_err_set, lcm_err_clear, lcm_status_str, lcm_report, lcm_xmalloc and the other lcm_x*
 * allocators) rather than status_: they are the error model and the out-of-memory policy that
 * every module shares, like the enum lcm_status and struct lcm_err they go with. */
#ifndef LCM_STATUS_H
#define LCM_STATUS_H

#include <stdarg.h>
#include <stddef.h>

#include "base/i18n.h" /* lcm_err_set's messages are for a person: _("...") */

/* LCM_N_ marks the messages for xgettext (like N_ in base/i18n.h, which this header does not
 * include): lcm_status_str() returns them translated. */
#define LCM_N_(s) s
#define LCM_STATUS_LIST(X)                                                                         \
    X(LCM_OK, LCM_N_("ok"))                                                                        \
    X(LCM_ERR_NOMEM, LCM_N_("out of memory"))                                                      \
    X(LCM_ERR_IO, LCM_N_("input/output error"))                                                    \
    X(LCM_ERR_DB, LCM_N_("database error"))                                                        \
    X(LCM_ERR_VERSION, LCM_N_("database is newer than this program"))                              \
    X(LCM_ERR_PARSE, LCM_N_("malformed input"))                                                    \
    X(LCM_ERR_CONFIG, LCM_N_("invalid configuration"))                                             \
    X(LCM_ERR_USAGE, LCM_N_("invalid usage"))                                                      \
    X(LCM_ERR_NOTFOUND, LCM_N_("not found"))                                                       \
    X(LCM_ERR_EXISTS, LCM_N_("already exists"))                                                    \
    X(LCM_ERR_NETWORK, LCM_N_("network error"))                                                    \
    X(LCM_ERR_REMOTE, LCM_N_("remote service error"))                                              \
    X(LCM_ERR_AUTH, LCM_N_("authentication failed"))                                               \
    X(LCM_ERR_CONFLICT, LCM_N_("conflict"))                                                        \
    X(LCM_ERR_BUSY, LCM_N_("busy"))                                                                \
    X(LCM_ERR_INVALID, LCM_N_("invalid value"))

enum lcm_status {
#define LCM_X_ENUM(name, msg) name,
    LCM_STATUS_LIST(LCM_X_ENUM)
#undef LCM_X_ENUM
        LCM_STATUS_COUNT
};

/* A one-line error message. Filled by the failing function; empty when all went well. */
struct lcm_err {
    enum lcm_status status;
    char msg[512];
};

/* Returns the fixed English text of a status ("database error"). Never NULL. */
const char *lcm_status_str(enum lcm_status st);

/* Fills err (if not NULL) with a formatted one-line message: control characters in the
 * formatted text are made visible as text_clean() shows them ("^[", "\x9B"), so data quoted
 * in an error cannot move the cursor and reads as it does in every other output.
 * Returns st, so callers can write `return lcm_err_set(err, LCM_ERR_IO, "...")`. */
enum lcm_status lcm_err_set(struct lcm_err *err, enum lcm_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
#ifdef __clang_analyzer__
/* The static analyser (make lint) reads one file at a time: without this it follows every
 * `return lcm_err_set(...)` as if it could return LCM_OK. */
#define lcm_err_set(err, st, ...) (lcm_err_set((err), (st), __VA_ARGS__), (st))
#endif

/* Clears err to LCM_OK with an empty message. */
void lcm_err_clear(struct lcm_err *err);

enum lcm_level { LCM_LEVEL_INFO, LCM_LEVEL_WARN, LCM_LEVEL_ERROR, LCM_LEVEL_PROGRESS };

/* Where core reports warnings and progress. fn may be NULL: reports are dropped. */
struct lcm_report {
    void (*fn)(void *ctx, enum lcm_level level, const char *msg);
    void *ctx;
};

/* Formats and delivers one message through rep (NULL or rep->fn NULL: dropped). */
void lcm_report(const struct lcm_report *rep, enum lcm_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Out of memory is the one failure core does not return: it aborts with a message. */
void *lcm_xmalloc(size_t n);
void *lcm_xcalloc(size_t n, size_t size);
void *lcm_xrealloc(void *p, size_t n);
char *lcm_xstrdup(const char *s);

#endif
