/* demo_names.h — name tables of the demo generator (core/demo*.c only). */
#ifndef LCM_DEMO_NAMES_H
#define LCM_DEMO_NAMES_H

#include <stddef.h>

/* A name as displayed (UTF-8) and as written in an e-mail address (ASCII, lower case). */
struct demo_name {
    const char *utf8, *ascii;
};

extern const struct demo_name demo_first_names[];
extern const size_t demo_first_count;
extern const struct demo_name demo_last_names[];
extern const size_t demo_last_count;

/* Departments and their two managers each (name, e-mail). */
extern const char *const demo_departments[];
extern const size_t demo_department_count;
extern const char *const demo_managers[][2][2];

/* French month names, 1-based ("janvier" is [1]). */
extern const char *const demo_months[13];

#endif
