/* store_watch.h — the change feed: whether another connection committed writes to the base
 * since the last look, for the TUI to reload what it shows (issue 18, "live").
 *
 * On PostgreSQL a second connection LISTENs on the channel every committed write notifies
 * (db.h: DB_CHANGE_CHANNEL, the tables written as payload); its socket becomes readable when
 * a notification arrives, so the caller polls it beside the keyboard and calls
 * store_watch_poll() when it is readable (or at any wake-up: the call never waits). On SQLite
 * there is no socket: the store's own connection's PRAGMA data_version is read by
 * store_watch_poll(), which the caller runs on a timer (store_watch_interval_ms()).
 *
 * Either way the watcher's own writes (through the store it was opened on) are not reported:
 * the writer reloads what it changed itself. */
#ifndef LCM_STORE_WATCH_H
#define LCM_STORE_WATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "base/status.h"

struct lcm_store;
struct store_watch;

/* Opens a watch on st's base (st must outlive it). On success *out is for
 * store_watch_close(); on failure NULL with err filled (the listening connection failed). */
enum lcm_status store_watch_open(struct lcm_store *st, struct store_watch **out,
                                 struct lcm_err *err);

/* The descriptor to poll for input (PostgreSQL), -1 when there is none (SQLite): then poll
 * store_watch_poll() every store_watch_interval_ms() milliseconds. */
int store_watch_fd(const struct store_watch *w);
int store_watch_interval_ms(const struct store_watch *w);

/* Never waits. *changed: another connection committed writes since the last call (or since
 * the open). kinds (len bytes, may be NULL): on PostgreSQL the tables they wrote, ','
 * between them ("checkin,followup"); "" on SQLite, which cannot tell. LCM_ERR_DB when the
 * listening connection is lost (the caller may reopen the watch). */
enum lcm_status store_watch_poll(struct store_watch *w, bool *changed, char *kinds, size_t len,
                                 struct lcm_err *err);

/* Closes the watch (its connection) and sets *wp to NULL. NULL or *wp NULL: nothing. */
void store_watch_close(struct store_watch **wp);

#endif
