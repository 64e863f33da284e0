/* store_batch.h — the new learners, their keys and new enrollments of an import, written
 * together. On PostgreSQL a new learner cost three round trips (the learner for its id, its
 * "id" key, its enrollment): here their ids are taken ahead from the tables' identity
 * sequences and the rows are queued, then written by one COPY per table. On SQLite (no round
 * trips) each is written at once by a plain INSERT of the same values.
 *
 * Queued rows are written before any other statement of the store runs (store_stmt()), by
 * store_batch_flush(), and before the commit of store_tx(); a rolled-back attempt forgets
 * them. The caller must know each row is new (its source and ext_id absent, its learner new
 * for an enrollment, no key twice): a row that exists fails the transaction on both engines
 * (COPY has no ON CONFLICT; nor has the INSERT on SQLite). */
#ifndef LCM_STORE_BATCH_H
#define LCM_STORE_BATCH_H

#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

/* A new learner l and its "id" key (SOURCE|EXT_ID), numbered in *id at once. expect: how many
 * new learners may follow, this one included (how many ids to take ahead; at least one). */
enum lcm_status store_batch_learner(struct lcm_store *st, const struct lcm_learner *l,
                                    size_t expect, int64_t *id, struct lcm_err *err);

/* A key (kind, value) of a learner store_batch_learner() gave in this transaction; an e-mail
 * by store_batch_email(): its "email" and "sha1" keys (store_identity.h), nothing when email
 * is not an address. */
enum lcm_status store_batch_key(struct lcm_store *st, int64_t learner_id, const char *kind,
                                const char *value, const char *source, struct lcm_err *err);
enum lcm_status store_batch_email(struct lcm_store *st, int64_t learner_id, const char *email,
                                  const char *source, struct lcm_err *err);

/* A new enrollment e (of a learner store_batch_learner() gave), numbered in *id at once. */
enum lcm_status store_batch_enrollment(struct lcm_store *st, const struct lcm_enrollment *e,
                                       size_t expect, int64_t *id, struct lcm_err *err);

/* Writes the rows queued (nothing when none is, or on SQLite). */
enum lcm_status store_batch_flush(struct lcm_store *st, struct lcm_err *err);

/* Forgets the rows queued and the ids taken (a rollback, store_close()). */
void store_batch_drop(struct lcm_store *st);

#endif
