/* demo_names.h — name tables of the demo generator (private to core/demo). */
#ifndef LCM_DEMO_NAMES_H
#define LCM_DEMO_NAMES_H

#include <stddef.h>

/* A name as displayed (UTF-8) and as written in an e-mail address (ASCII, lower case). */
struct demo_name {
    const char *utf8, *ascii;
};

extern const struct demo_name demo_names_first[];
extern const size_t demo_names_first_count;
extern const struct demo_name demo_names_last[];
extern const size_t demo_names_last_count;

/* Departments and their two managers each (name, e-mail). */
extern const char *const demo_names_departments[];
extern const size_t demo_names_department_count;
extern const char *const demo_names_managers[][2][2];

/* French month names, 1-based ("janvier" is [1]). */
extern const char *const demo_names_months[13];

#endif
