/* fold.h — a name as a person types it: lower case, without accents, hyphens and apostrophes
 * as spaces, so "héloïse d'Arc-Martin" and "Heloise D ARC MARTIN" compare equal. */
#ifndef LCM_FOLD_H
#define LCM_FOLD_H

#include <stddef.h>

/* Writes into out (outlen > 0 bytes) the folded s: ASCII letters lower-cased, the Latin-1 and
 * Latin Extended-A letters (U+00C0-U+017F) reduced to their base letter ("æ" "œ" "ß" to "ae"
 * "oe" "ss"), '-', '\'', U+2019 and runs of white space as one space, leading and trailing
 * spaces dropped; other characters (and invalid bytes) are kept as they are. Cut on a
 * character boundary when out is too small; always NUL-terminated. NULL s gives "". Returns
 * the length written. */
size_t fold_key(const char *s, char *out, size_t outlen);

#endif
