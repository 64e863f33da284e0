/* csvread.h — private to core/import: streams a CSV file through Debian's libcsv, one record at a
 * time.
 *
 * Real exports: UTF-8 with or without BOM, CRLF or LF, ',' ';' or tab separators (detected
 * from the header line unless given), quoted fields with embedded separators and newlines.
 * Every record is checked before the callback sees it: same field count as the header and
 * valid UTF-8 in every field. Errors name "file:line" with the line where the record starts. */
#ifndef LCM_CSVREAD_H
#define LCM_CSVREAD_H

#include <stddef.h>

#include "base/status.h"

/* One record. fields[i] is NUL-terminated (lens[i] bytes, may hold embedded newlines);
 * everything is borrowed and valid only during the callback. */
struct csv_record {
    const char *file; /* base name of the file, for messages */
    long line;        /* physical line where the record starts (1 = header) */
    int n;            /* number of fields */
    char **fields;
    size_t *lens;
};

/* Called once for the header (line 1, header true) and then for each data record.
 * Returning anything but LCM_OK stops the read; that status and err are returned. */
typedef enum lcm_status (*csvread_fn)(void *ctx, const struct csv_record *rec, int header,
                                      struct lcm_err *err);

/* Reads path. sep is ',', ';', '\t' or 0 to detect it from the header line (the most
 * frequent of the three there; ',' when none). Returns LCM_ERR_IO when the file cannot be
 * read, LCM_ERR_PARSE for a malformed file (err: "name.csv:12: ..."), or what fn returned. */
enum lcm_status csvread_file(const char *path, char sep, csvread_fn fn, void *ctx,
                             struct lcm_err *err);

/* Same on an in-memory buffer; name is used in messages. */
enum lcm_status csvread_buffer(const char *name, const char *buf, size_t len, char sep,
                               csvread_fn fn, void *ctx, struct lcm_err *err);

/* The separator detected in the first line of buf (',' when none of , ; tab occurs). */
char csvread_detect_sep(const char *buf, size_t len);

#endif
