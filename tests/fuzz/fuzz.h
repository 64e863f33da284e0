/* fuzz.h — shared by the libFuzzer harnesses in tests/fuzz/ (see README, "Fuzzing"): the
 * input as a NUL-terminated copy, and an assertion that aborts (so libFuzzer saves the input)
 * with a message. */
#ifndef LCM_FUZZ_H
#define LCM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A malloc'ed NUL-terminated copy of data (which may hold NUL bytes: C string users see up to
 * the first). */
static inline char *fuzz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

#define FUZZ_ASSERT(cond)                                                                          \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* True when s[0..n) is valid UTF-8 with no C0 control but those in allowed, and no DEL. */
static inline int fuzz_clean_utf8(const char *s, const char *allowed)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned c = *p;
        size_t k = c < 0x80             ? 1
                   : (c & 0xE0) == 0xC0 ? 2
                   : (c & 0xF0) == 0xE0 ? 3
                   : (c & 0xF8) == 0xF0 ? 4
                                        : 0;
        if (k == 0)
            return 0;
        if (k == 1 && (c < 0x20 || c == 0x7f) && !strchr(allowed, (int)c))
            return 0;
        for (size_t i = 1; i < k; i++)
            if ((p[i] & 0xC0) != 0x80)
                return 0;
        p += k;
    }
    return 1;
}

#endif
