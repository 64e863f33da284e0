/* worker.h — one background job on its own thread, for the TUI's long tasks (a sync, a
 * CalDAV push, the KPI figures): start it, poll it from the loop without blocking, wait for
 * it when the program must (quit, headless end, tests), free it. The job's inputs and results
 * live in the caller's context; the worker only runs it and says when it has returned.
 *
 * A worker is driven from one thread (the UI's); the job must not touch it. Cancelling is the
 * job's business (a flag in its context it checks, as sync_options.cancel). */
#ifndef LCM_WORKER_H
#define LCM_WORKER_H

#include <stdbool.h>

struct worker;

/* The job: runs once on the worker's thread with the context given to worker_start. */
typedef void (*worker_fn)(void *ctx);

/* Starts fn(ctx) on a new thread. Returns the worker (the caller frees it with worker_free),
 * or NULL when no thread could be started: then fn did not run and will not. ctx is not
 * owned: it must stay valid until worker_free returns. */
struct worker *worker_start(worker_fn fn, void *ctx);

/* Never blocks. Returns true once: at the first call after the job returned (its writes to
 * ctx are then visible to the caller); false before, and after that first true. NULL: false. */
bool worker_poll(struct worker *w);

/* Blocks until the job has returned. The next worker_poll then returns true, unless it
 * already did. NULL, or a job already finished: returns at once. */
void worker_wait(struct worker *w);

/* True while the job has not returned (NULL: false). Never blocks. */
bool worker_running(const struct worker *w);

/* Waits for the job (see worker_wait), frees the worker and sets *w to NULL. NULL or *w NULL
 * (a worker never started): does nothing. */
void worker_free(struct worker **w);

#endif
