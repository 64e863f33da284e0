/* cli_out.c — output files written whole or not at all. See cli_out.h. */
#include "cli/cli_out.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum lcm_status cli_out_open(struct cli_out *o, const char *path, struct lcm_err *err)
{
    memset(o, 0, sizeof *o);
    o->path = path;
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        o->f = fopen(path, "w");
        if (!o->f)
            return lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
        return LCM_OK;
    }
    if (snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", path) >= (int)sizeof o->tmp) {
        o->tmp[0] = '\0';
        return lcm_err_set(err, LCM_ERR_USAGE, "%s: path too long", path);
    }
    int fd = mkstemp(o->tmp); /* O_CREAT | O_EXCL, mode 0600 */
    o->f = fd < 0 ? NULL : fdopen(fd, "w");
    if (!o->f) {
        enum lcm_status rc = lcm_err_set(err, LCM_ERR_IO, "%s: %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(o->tmp);
        }
        o->tmp[0] = '\0';
        return rc;
    }
    return LCM_OK;
}

enum lcm_status cli_out_close(struct cli_out *o, bool ok, struct lcm_err *err)
{
    int saved = 0;
    if (o->f && fclose(o->f) != 0 && ok) {
        ok = false;
        saved = errno;
    }
    o->f = NULL;
    if (ok && o->tmp[0] && rename(o->tmp, o->path) != 0) {
        ok = false;
        saved = errno;
    }
    if (!ok && o->tmp[0])
        unlink(o->tmp);
    o->tmp[0] = '\0';
    if (ok)
        return LCM_OK;
    return lcm_err_set(err, LCM_ERR_IO, "%s: cannot write the file%s%s", o->path, saved ? ": " : "",
                       saved ? strerror(saved) : "");
}
