/* ical_internal.h — private to core/cal. */
#ifndef LCM_ICAL_INTERNAL_H
#define LCM_ICAL_INTERNAL_H

#include <libical/ical.h>
#include <stdbool.h>
#include <stddef.h>

/* The libical zone of tzid: UTC for NULL, "" and "UTC"; NULL when unknown. */
icaltimezone *ical_zone(const char *tzid);

#endif
