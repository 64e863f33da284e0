/* store_rows.h — private to core/store: new learner and enrollment rows as COPY values, with
 * ids taken ahead from the tables' identity sequences (PostgreSQL). Shared by the demo's bulk
 * load (store_bulk_people.c) and an import's new rows (store_batch.c). */
#ifndef LCM_STORE_ROWS_H
#define LCM_STORE_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "base/model.h"
#include "base/status.h"
#include "store/store.h"

#define STORE_LEARNER_COLS 11
#define STORE_ENROLLMENT_COLS 12
#define STORE_KEY_COLS 4

extern const char *const store_learner_cols[STORE_LEARNER_COLS];
extern const char *const store_enrollment_cols[STORE_ENROLLMENT_COLS];
extern const char *const store_key_cols[STORE_KEY_COLS];

/* Fills cells (STORE_LEARNER_COLS, owned copies; NULL for SQL NULL) with learner l numbered
 * id (0: NULL, the next rowid on SQLite), as store_entity_learner_upsert() binds it: names ''
 * when unknown. */
void store_rows_learner(char **cells, int64_t id, const struct lcm_learner *l);
/* ... with enrollment e numbered id (STORE_ENROLLMENT_COLS), of e->learner_id. */
void store_rows_enrollment(char **cells, int64_t id, const struct lcm_enrollment *e);
/* ... with learner_key (kind, value, learner_id, source) (STORE_KEY_COLS). */
void store_rows_key(char **cells, const char *kind, const char *value, int64_t learner_id,
                    const char *source);

/* n rows of ncols values each, flat (row i at rows + i * ncols), into table by one COPY. */
enum lcm_status store_rows_copy(struct lcm_store *st, const char *table, const char *const *cols,
                                int ncols, size_t n, char *const *rows, struct lcm_err *err);

/* n ids of table's (learner or enrollment) identity sequence into ids, in one query. */
enum lcm_status store_rows_reserve(struct lcm_store *st, const char *table, int64_t *ids, size_t n,
                                   struct lcm_err *err);

#endif
