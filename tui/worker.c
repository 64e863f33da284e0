/* worker.c — a job on a POSIX thread: an atomic flag set when it returns, joined once. */
#include "tui/worker.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "base/status.h"

struct worker {
    pthread_t thread;
    atomic_bool done; /* set by the thread, after fn returned */
    bool joined;      /* pthread_join done (by poll, wait or free) */
    bool reported;    /* worker_poll already returned true */
    worker_fn fn;
    void *ctx;
};

/* The thread's body: the job, then the flag the UI thread polls. */
static void *run(void *arg)
{
    struct worker *w = arg;
    w->fn(w->ctx);
    atomic_store(&w->done, true);
    return NULL;
}

struct worker *worker_start(worker_fn fn, void *ctx)
{
    if (!fn)
        return NULL;
    struct worker *w = lcm_xcalloc(1, sizeof *w);
    atomic_init(&w->done, false);
    w->fn = fn;
    w->ctx = ctx;
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        free(w);
        return NULL;
    }
    return w;
}

/* Joins the thread if not yet done; the caller knows it has returned or accepts to block. */
static void join(struct worker *w)
{
    if (!w->joined) {
        pthread_join(w->thread, NULL);
        w->joined = true;
    }
}

bool worker_poll(struct worker *w)
{
    if (!w || w->reported || !atomic_load(&w->done))
        return false;
    join(w); /* the thread is past fn: this returns at once */
    w->reported = true;
    return true;
}

void worker_wait(struct worker *w)
{
    if (w)
        join(w);
}

bool worker_running(const struct worker *w)
{
    return w && !atomic_load(&w->done);
}

void worker_free(struct worker **wp)
{
    if (!wp || !*wp)
        return;
    join(*wp);
    free(*wp);
    *wp = NULL;
}
