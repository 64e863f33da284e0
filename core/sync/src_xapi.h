/* src_xapi.h — private to core/sync: the xAPI learning record store source (xAPI 1.0.3).
 *
 * GET {url}/statements?ascending=true&limit=N[&since=CURSOR] with Basic auth and
 * X-Experience-API-Version: 1.0.3, then the `more` links until one is empty. Each page is one
 * transaction with its cursor (the `stored` time of its last statement, less 1 ms; at the
 * end, the X-Experience-API-Consistent-Through of the first answer). Statement ids go to
 * sync_seen, so a statement is never counted twice. A `more` link that loops, or that points
 * to another host (which would receive the credentials), is an error.
 *
 * Daily activity per learner: actions = statements; sessions = the larger of the counts of
 * `initialized` and `launched`; minutes = result.duration of statements other than
 * completed/passed/failed/progressed (cmi5 repeats the session time there); progress = the
 * cmi5 progress extension (http:// and https:// forms), 0-100. completed/passed statements
 * make their object a milestone reached (score = result.score.scaled). Learners are keyed by
 * actor.account (homePage|name), else mbox, mbox_sha1sum or openid. Statement reading and
 * ISO 8601 parsing are in src_xapi_parse.h. */
#ifndef LCM_SRC_XAPI_H
#define LCM_SRC_XAPI_H

#include "sync/sync_source.h"

extern const struct sync_source_ops src_xapi_ops;

#endif
