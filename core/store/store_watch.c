/* store_watch.c — the change feed of store_watch.h: LISTEN on PostgreSQL, data_version on
 * SQLite. */
#include "store/store_watch.h"
#include "store/store_internal.h"

#include <stdlib.h>
#include <string.h>

/* SQLite: how often the caller reads data_version (a cheap pragma: no table is read). */
#define WATCH_SQLITE_MS 500

struct store_watch {
    struct lcm_store *st; /* SQLite: its connection's data_version */
    int64_t version;      /* ... as last read */
    struct db *listen;    /* PostgreSQL: the LISTENing connection */
    int self_pid;         /* ... and st's server process, whose notifications are its own */
};

enum lcm_status store_watch_open(struct lcm_store *st, struct store_watch **out,
                                 struct lcm_err *err)
{
    *out = NULL;
    struct store_watch *w = lcm_xcalloc(1, sizeof *w);
    w->st = st;
    enum lcm_status rc;
    if (store_is_pg(st)) {
        w->self_pid = db_backend_pid(st->db);
        if ((rc = db_open(st->path, &w->listen, err)) != LCM_OK ||
            (rc = db_listen(w->listen, err)) != LCM_OK)
            goto fail;
    } else if ((rc = store_data_version(st, &w->version, err)) != LCM_OK) {
        goto fail;
    }
    *out = w;
    return LCM_OK;
fail:
    store_watch_close(&w);
    return rc;
}

int store_watch_fd(const struct store_watch *w)
{
    return w && w->listen ? db_socket(w->listen) : -1;
}

int store_watch_interval_ms(const struct store_watch *w)
{
    return w && w->listen ? 0 : WATCH_SQLITE_MS;
}

enum lcm_status store_watch_poll(struct store_watch *w, bool *changed, char *kinds, size_t len,
                                 struct lcm_err *err)
{
    *changed = false;
    if (kinds && len)
        kinds[0] = '\0';
    if (w->listen) {
        int n = 0;
        enum lcm_status rc = db_notifies(w->listen, w->self_pid, &n, kinds, len, err);
        *changed = n > 0;
        return rc;
    }
    int64_t v = 0;
    enum lcm_status rc = store_data_version(w->st, &v, err);
    if (rc == LCM_OK && v != w->version) {
        *changed = true;
        w->version = v;
    }
    return rc;
}

void store_watch_close(struct store_watch **wp)
{
    if (!wp || !*wp)
        return;
    db_close(&(*wp)->listen);
    free(*wp);
    *wp = NULL;
}
