/* inbox_bg.h — the inbox fetch (msg/inbox.h) in a background thread (tui/worker.h), when
 * inbox.url is set: at start, then every inbox.every_minutes (15). At most one at a time. */
#ifndef LCM_INBOX_BG_H
#define LCM_INBOX_BG_H

#include <stdbool.h>
#include <stdint.h>

struct tui;

/* Starts a fetch when one is due at now_us (monotonic microseconds) and none runs. */
void inbox_bg_tick(struct tui *t, int64_t now_us);
/* Never blocks. True when a fetch ended: its summary (or error) is on the status line and,
 * when it recorded mail, every pane and the title reload. */
bool inbox_bg_poll(struct tui *t);
bool inbox_bg_running(void);
/* Waits for the running fetch (quit: it is bounded by inbox.timeout). */
void inbox_bg_wait(struct tui *t);

#endif
