/* cli_out.h — writing an output file given with -o (report -o, agenda --ics -o): never half a
 * file, never readable by others, never through a file planted at the temporary name. */
#ifndef LCM_CLI_OUT_H
#define LCM_CLI_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "base/status.h"

struct cli_out {
    FILE *f; /* where to write, after cli_out_open() */
    const char *path;
    char tmp[4200]; /* the temporary file, "" when writing straight into path */
};

/* Opens path for writing. A regular or new file is written through a temporary file in the same
 * directory made by mkstemp() (O_EXCL, mode 0600: a report names learners), renamed over path
 * by cli_out_close(); a device or a pipe (/dev/stdout, a FIFO) is written into, never replaced.
 * On failure err names path and nothing is left behind. */
enum lcm_status cli_out_open(struct cli_out *o, const char *path, struct lcm_err *err);

/* Closes o->f. With ok true, renames the temporary file over path (a failed close or rename
 * is an error naming path); with ok false, or on any failure, removes it. Returns LCM_OK when
 * the file is complete at path. */
enum lcm_status cli_out_close(struct cli_out *o, bool ok, struct lcm_err *err);

#endif
