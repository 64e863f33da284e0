/* strmap.c — string -> int hash map, linear probing, FNV-1a, grows at 50 % load. */
#include "base/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/status.h"

struct slot {
    char *key; /* NULL: empty */
    size_t len;
    uint64_t hash;
    int value;
};

struct strmap {
    struct slot *slots;
    size_t cap, count; /* cap is a power of two */
};

static uint64_t hash_of(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

struct strmap *strmap_new(void)
{
    struct strmap *m = lcm_xcalloc(1, sizeof *m);
    m->cap = 64;
    m->slots = lcm_xcalloc(m->cap, sizeof *m->slots);
    return m;
}

void strmap_free(struct strmap **mp)
{
    if (!mp || !*mp)
        return;
    for (size_t i = 0; i < (*mp)->cap; i++)
        free((*mp)->slots[i].key);
    free((*mp)->slots);
    free(*mp);
    *mp = NULL;
}

static struct slot *find(const struct strmap *m, const char *key, size_t len, uint64_t h)
{
    size_t i = (size_t)h & (m->cap - 1);
    for (;;) {
        struct slot *s = &m->slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0))
            return s;
        i = (i + 1) & (m->cap - 1);
    }
}

int strmap_get(const struct strmap *m, const char *key, size_t len)
{
    struct slot *s = find(m, key, len, hash_of(key, len));
    return s->key ? s->value : -1;
}

static void grow(struct strmap *m)
{
    struct slot *old = m->slots;
    size_t oldcap = m->cap;
    m->cap *= 2;
    m->slots = lcm_xcalloc(m->cap, sizeof *m->slots);
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].key)
            *find(m, old[i].key, old[i].len, old[i].hash) = old[i];
    free(old);
}

void strmap_put(struct strmap *m, const char *key, size_t len, int value)
{
    if ((m->count + 1) * 2 > m->cap)
        grow(m);
    uint64_t h = hash_of(key, len);
    struct slot *s = find(m, key, len, h);
    if (!s->key) {
        s->key = lcm_xmalloc(len + 1);
        memcpy(s->key, key, len);
        s->key[len] = '\0';
        s->len = len;
        s->hash = h;
        m->count++;
    }
    s->value = value;
}

size_t strmap_count(const struct strmap *m)
{
    return m->count;
}
