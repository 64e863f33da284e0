/* identity.h — private to core/sync: the keys a source gives a learner (store_identity.h),
 * normalised so two sources that name one person write the same key: e-mail addresses
 * lower-cased without "mailto:" (store_identity_email), IRIs and account home pages with the scheme
 * and host lower-cased and no trailing '/', mbox_sha1sum in lower-case hex. And the per-source
 * `identity` rules (which actor fields are matched, in order). Internal to core's sync. */
#ifndef LCM_SYNC_IDENTITY_H
#define LCM_SYNC_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

#include "base/config.h"
#include "base/status.h"
#include "store/store.h"

/* (E-mail keys and their SHA-1: store_identity_email, shared with the CSV import.) */
/* An IRI or home page with a lower-case scheme and host and no trailing '/'. */
void identity_iri(const char *in, char *out, size_t len);
/* An "account" key: HOMEPAGE|NAME (the home page normalised as identity_iri). */
void identity_account(const char *home_page, const char *name, char *out, size_t len);

/* Records the keys a learner is known by: the account HOME_PAGE|NAME (when name is set) and
 * the e-mail with its SHA-1 (when email holds an address). */
enum lcm_status identity_keys_add(struct lcm_store *st, int64_t learner_id, const char *source,
                                  const char *home_page, const char *name, const char *email,
                                  struct lcm_err *err);

/* What an xAPI actor is matched by, in the order given by the source's `identity` list. */
enum identity_rule { IDENTITY_ACCOUNT, IDENTITY_MBOX, IDENTITY_SHA1 };
#define IDENTITY_MAX 3
struct identity_rules {
    enum identity_rule rule[IDENTITY_MAX];
    int n;
};
/* Reads `identity` of source group s (default ["account", "mbox", "mbox_sha1sum"]); an empty
 * list matches nothing (every actor is a learner of its own). "file:line: ..." on bad names. */
enum lcm_status identity_rules_read(const config_setting_t *s, struct identity_rules *out,
                                    struct lcm_err *err);

#endif
