/* store_identity.h — how sources name a learner (table learner_key): the keys a sync matches an
 * actor or a row against before it makes a new learner. Kinds and their values (the caller
 * normalises them, see core/sync/identity.h):
 *   "id"        SOURCE|EXT_ID, the record a source made (kept on the learner a merge keeps)
 *   "account"   HOMEPAGE|NAME, an LMS account (Moodle: the site URL and the username or id)
 *   "email"     the lower-cased e-mail address
 *   "sha1"      SHA-1 of "mailto:" + that address (xAPI mbox_sha1sum), lower-case hex
 *   "key"       SOURCE-defined key (a CSV column)
 *   "unmatched" the source name: this learner was made by that source because nothing matched */
#ifndef LCM_STORE_IDENTITY_H
#define LCM_STORE_IDENTITY_H

#include <stdbool.h>
#include <stdint.h>

#include "base/status.h"
#include "store/store.h"

/* Records that learner_id is known as (kind, value) by source (kept if already there). */
enum lcm_status store_identity_add(struct lcm_store *st, int64_t learner_id, const char *kind,
                                   const char *value, const char *source, struct lcm_err *err);

/* The one learner known as (kind, value): *id = 0 when none, or when several learners share
 * the key (*several then true; a shared mailbox names nobody). */
enum lcm_status store_identity_find(struct lcm_store *st, const char *kind, const char *value,
                                    int64_t *id, bool *several, struct lcm_err *err);

/* Whether learner_id holds the key (kind, value). */
enum lcm_status store_identity_has(struct lcm_store *st, int64_t learner_id, const char *kind,
                                   const char *value, bool *has, struct lcm_err *err);

#endif
