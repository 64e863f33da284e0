/* store_identity.h — how sources name a learner (table learner_key): the keys a sync matches an
 * actor or a row against before it makes a new learner. Kinds and their values (e-mail keys are
 * normalised by store_identity_email below, the others by core/sync/identity.h):
 *
 *   "id"        SOURCE|EXT_ID, the record a source made (kept on the learner a merge keeps)
 *   "account"   HOMEPAGE|NAME, an LMS account (Moodle: the site URL and the username or id)
 *   "email"     the lower-cased e-mail address
 *   "sha1"      SHA-1 of "mailto:" + that address (xAPI mbox_sha1sum), lower-case hex
 *   "key"       SOURCE-defined key (a CSV column)
 *   "unmatched" the source name: this learner was made by that source because nothing matched
 */
#ifndef LCM_STORE_IDENTITY_H
#define LCM_STORE_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>
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

/* An address ("mailto:" optional, blanks around it ignored) lower-cased as an "email" key into
 * out; false (out "") when it holds no '@' or does not fit. */
bool store_identity_email(const char *in, char *out, size_t len);
/* The "sha1" key of an "email" key: SHA-1 of "mailto:" + the address, lower-case hex. */
void store_identity_email_sha1(const char *email_key, char out[41]);
/* Records the "email" and "sha1" keys of learner_id when email holds an address (else
 * nothing). */
enum lcm_status store_identity_email_add(struct lcm_store *st, int64_t learner_id,
                                         const char *email, const char *source,
                                         struct lcm_err *err);

/* Whether a record of source already names learner_id: an "id" key source recorded, or the
 * learner row itself when source made it. (A source's own records are distinct people: a
 * second record of it is not matched onto the first by a shared key.) */
enum lcm_status store_identity_source_has(struct lcm_store *st, int64_t learner_id,
                                          const char *source, bool *has, struct lcm_err *err);

/* Whether learner_id holds any key of kind ("unmatched": an LRS guest). */
enum lcm_status store_identity_kind_has(struct lcm_store *st, int64_t learner_id, const char *kind,
                                        bool *has, struct lcm_err *err);

#endif
