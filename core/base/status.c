/* status.c — status messages, error buffers, the report callback, allocation that aborts. */
#include "base/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/i18n.h"
#include "base/text.h"

static const char *const status_text[] = {
#define LCM_X_TEXT(name, msg) msg,
    LCM_STATUS_LIST(LCM_X_TEXT)
#undef LCM_X_TEXT
};

const char *lcm_status_str(enum lcm_status st)
{
    if ((unsigned)st >= LCM_STATUS_COUNT)
        return _("unknown status");
    return _(status_text[st]);
}

/* Makes the controls in s visible the way every terminal output does (base/text.h
 * text_clean: "^[", "\x9B", "\u202E"), in place, cut on a character boundary to fit len, so a
 * message quoting hostile data stays one line and reads the same wherever it is printed. */
static void scrub_controls(char *s, size_t len)
{
    char *clean = text_clean(s, false);
    size_t o = 0;
    for (const char *p = clean; *p;) {
        size_t n = text_char_len(p);
        if (o + n >= len)
            break;
        memcpy(s + o, p, n);
        o += n;
        p += n;
    }
    s[o] = '\0';
    free(clean);
}

/* (The name in parentheses: status.h defines a macro of that name for the analyser.) */
enum lcm_status(lcm_err_set)(struct lcm_err *err, enum lcm_status st, const char *fmt, ...)
{
    if (!err)
        return st;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    scrub_controls(err->msg, sizeof err->msg);
    err->status = st;
    return st;
}

void lcm_err_clear(struct lcm_err *err)
{
    if (!err)
        return;
    err->status = LCM_OK;
    err->msg[0] = '\0';
}

void lcm_report(const struct lcm_report *rep, enum lcm_level level, const char *fmt, ...)
{
    if (!rep || !rep->fn)
        return;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    scrub_controls(buf, sizeof buf);
    rep->fn(rep->ctx, level, buf);
}

static void oom(void)
{
    static const char msg[] = "lcmtui: out of memory\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    abort();
}

void *lcm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        oom();
    return p;
}

void *lcm_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        oom();
    return p;
}

void *lcm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        oom();
    return q;
}

char *lcm_xstrdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *d = lcm_xmalloc(n);
    memcpy(d, s, n);
    return d;
}
