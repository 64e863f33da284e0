/* fuzz_mapping.c — the same bytes as an import mapping file (mapping_load) and as the program's
 * configuration (config_load_string, then the readers that fetch no secret: CalDAV without
 * its password, the sync sources). Never a reader that may run a *_cmd: the fuzzer would
 * write shell commands. Errors name the file and line. */
#include "fuzz.h"

#include <unistd.h>

#include "base/config.h"
#include "cal/caldav.h"
#include "import/mapping.h"
#include "sync/sync.h"

static char path[64];

/* The mapping parser reads a file: one per process, rewritten for each input. */
static int put_file(const uint8_t *data, size_t size)
{
    if (!path[0]) {
        /* tmpfs when there is one: rewriting a file on ext4 flushes it at each close. */
        const char *dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
        snprintf(path, sizeof path, "%s/lcmtui-fuzz-map-XXXXXX", dir);
        int fd = mkstemp(path);
        if (fd < 0)
            return -1;
        close(fd);
    }
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, size, f);
    fclose(f);
    return w == size ? 0 : -1;
}

static void on_exit_remove(void)
{
    if (path[0])
        unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int registered;
    if (!registered) {
        atexit(on_exit_remove);
        registered = 1;
    }
    struct lcm_err err = {0};
    if (put_file(data, size) == 0) {
        struct mapping *m = NULL;
        const char *sets[] = {"base_date=2026-09-01", "cohort=c1"};
        if (mapping_load(path, sets, 2, &m, &err) == LCM_OK)
            mapping_free(&m);
        else
            FUZZ_ASSERT(err.msg[0]);
    }
    char *s = fuzz_str(data, size);
    struct lcm_config cfg;
    memset(&err, 0, sizeof err);
    if (config_load_string(&cfg, "fuzz.conf", s, NULL, &err) == LCM_OK) {
        struct caldav_config cc;
        if (caldav_config_load(&cfg, false, &cc, NULL, &err) == LCM_OK)
            caldav_config_free(&cc);
        int n = 0;
        sync_config_check(&cfg, NULL, &n, NULL, &err);
        config_free(&cfg);
    } else {
        FUZZ_ASSERT(strncmp(err.msg, "fuzz.conf:", 10) == 0);
    }
    free(s);
    return 0;
}
