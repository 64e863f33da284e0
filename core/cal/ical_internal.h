/* ical_internal.h — shared by core/ical*.c only. */
#ifndef LCM_ICAL_INTERNAL_H
#define LCM_ICAL_INTERNAL_H

#include <libical/ical.h>
#include <stdbool.h>
#include <stddef.h>

/* The libical zone of tzid: UTC for NULL, "" and "UTC"; NULL when unknown. */
icaltimezone *ical_zone(const char *tzid);

/* A malloc'ed copy of s (NULL: "") of at most max bytes, cut on a character boundary:
 * invalid UTF-8 bytes and C1 controls become '?', other control characters a space ('\n'
 * kept when keep_newlines). */
char *ical_clean_text(const char *s, bool keep_newlines, size_t max);

#endif
