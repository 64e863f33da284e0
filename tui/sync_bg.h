/* sync_bg.h — key S: `lcmtui sync` in a background thread (tui/worker.h) on its own database
 * connection, its progress on the status line. At most one sync runs at a time. */
#ifndef LCM_SYNC_BG_H
#define LCM_SYNC_BG_H

#include <stdbool.h>

struct tui;

/* Starts a sync of every configured source; says why on the status line when it cannot (one
 * already running, no source, a bad config). */
void sync_bg_start(struct tui *t);
/* Never blocks. True when the status line changed: new progress, or the end (its result is
 * then on the status line and every pane was invalidated). */
bool sync_bg_poll(struct tui *t);
/* True while a sync runs. */
bool sync_bg_running(void);
/* Cancels a running sync (it stops at the next batch, nothing half-applied) and waits for it. */
void sync_bg_stop(void);
/* At start-up: starts a sync when sync.auto_hours says the data is stale (never on demo data,
 * nor without sources). */
void sync_bg_auto(struct tui *t);

#endif
