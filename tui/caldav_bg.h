/* caldav_bg.h — the CalDAV push of the follow-ups in a background thread (tui/worker.h), when
 * calendar.url is set. At most one push runs at a time from this process. */
#ifndef LCM_CALDAV_BG_H
#define LCM_CALDAV_BG_H

#include <stdbool.h>

struct tui;

/* Called after a follow-up changed: starts a push (nothing when calendar.url is unset); a push
 * already running is followed by one more, so the last change always reaches the server. */
void caldav_bg_push(struct tui *t);
/* Never blocks. True when a push ended: its result is then on the status line, with "N not
 * pushed" when some follow-ups remain. */
bool caldav_bg_poll(struct tui *t);
/* True while a push runs. */
bool caldav_bg_running(void);
/* Waits for the running push and the one queued after it (quit, headless end: a push is short
 * and bounded by calendar.timeout). */
void caldav_bg_wait(struct tui *t);

#endif
