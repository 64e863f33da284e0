/* strmap.h — a small hash map from strings to ints (open addressing, keys copied). Used by
 * the importer to find staged records by their source id while streaming large files. */
#ifndef LCM_STRMAP_H
#define LCM_STRMAP_H

#include <stddef.h>

struct strmap;

/* A new empty map; free it with strmap_free(). */
struct strmap *strmap_new(void);
/* Frees the map and its keys; sets *m to NULL. Safe on NULL. */
void strmap_free(struct strmap **m);

/* Returns the value of key, or -1 when absent (values must be >= 0). */
int strmap_get(const struct strmap *m, const char *key, size_t len);
/* Sets key to value (>= 0), replacing any previous value. */
void strmap_put(struct strmap *m, const char *key, size_t len, int value);
/* Number of keys. */
size_t strmap_count(const struct strmap *m);

#endif
