/* store_fmt.h — numbers as the text of a COPY row or a bound value, without printf: the bulk
 * paths format millions of them (printf's parsing and its floating-point digits were a
 * quarter of the demo load's client time on PostgreSQL). */
#ifndef LCM_STORE_FMT_H
#define LCM_STORE_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Room for any int64_t and for store_fmt_real()'s text, NUL included. */
#define STORE_FMT_LEN 32

/* v in decimal into out (STORE_FMT_LEN bytes); returns out. */
char *store_fmt_int(char out[STORE_FMT_LEN], int64_t v);

/* A text of v that reads back as v bit for bit (as "%.17g"): v's shortest decimal when v is
 * the double nearest a number of at most three decimals (a progress, a score), else
 * "%.17g"; returns out. */
char *store_fmt_real(char out[STORE_FMT_LEN], double v);

#endif
