/* sha1.h — SHA-1 (FIPS 180-4) of a buffer, as lower-case hex. Used to compare identifiers
 * (xAPI's mbox_sha1sum), never for security. */
#ifndef LCM_SHA1_H
#define LCM_SHA1_H

#include <stddef.h>

/* Writes the 40 hex digits and a NUL into out. */
void sha1_hex(const void *data, size_t len, char out[41]);

#endif
