/* tui_fixture.h — a real demo database (core/demo.c, scored by core/risk.c) and a TUI state
 * on it, without curses, for the pane tests. Today is pinned to 2026-11-28, now to 09:00. */
#ifndef LCM_TUI_FIXTURE_H
#define LCM_TUI_FIXTURE_H

#include "testutil.h"

#include <limits.h>
#include <locale.h>
#include <sqlite3.h>

#include "base/day.h"
#include "demo/demo.h"
#include "risk/risk.h"
#include "store/db.h"
#include "store/store.h"
#include "base/text.h"
#include "tui/form.h"
#include "tui/help.h"
#include "tui/caldav_bg.h"
#include "tui/pane_overview.h"
#include "tui/pane_detail.h"
#include "tui/tui.h"

struct fx {
    char dir[256];
    char db[1200];
    struct lcm_app app;
    struct lcm_store *st;
    struct tui t;
};

/* fx_open_at() with a demo of learners learners (0: the default demo). */
static inline void fx_open_demo(struct fx *f, const char *config_text, const char *target,
                                int learners);

/* fx_open() on the store at target (a path or a postgresql:// URI of an empty base), or on a
 * new SQLite file in the test's directory when target is NULL. */
static inline void fx_open_at(struct fx *f, const char *config_text, const char *target)
{
    fx_open_demo(f, config_text, target, 0);
}

static inline void fx_open_demo(struct fx *f, const char *config_text, const char *target,
                                int learners)
{
    memset(f, 0, sizeof *f);
    setlocale(LC_ALL, "C.UTF-8");
    /* calendar.timezone unset means the system's zone: the same one on every machine */
    setenv("TZ", "UTC", 1);
    tu_tmpdir(f->dir);
    if (target)
        snprintf(f->db, sizeof f->db, "%s", target);
    else
        snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    struct lcm_err err = {0};
    f->app.today = day_from_ymd(2026, 11, 28);
    if (!realpath(".", f->app.share_dir))
        fail_msg("realpath");
    snprintf(f->app.db_path, sizeof f->app.db_path, "%s", f->db);
    if (config_load_string(&f->app.cfg, "test.conf", config_text ? config_text : "", NULL, &err) !=
        LCM_OK)
        fail_msg("config: %s", err.msg);
    if (store_open(f->db, &f->st, &err) != LCM_OK)
        fail_msg("store: %s", err.msg);
    struct demo_opts o;
    demo_opts_init(&o, f->app.today);
    if (learners > 0)
        o.learners = learners;
    if (demo_generate(f->st, &o, NULL, NULL, &err) != LCM_OK)
        fail_msg("demo: %s", err.msg);
    int64_t now = day_to_time(f->app.today) + 9 * 3600;
    if (risk_update_all(f->st, &f->app.cfg, f->app.today, now, NULL, &err) != LCM_OK)
        fail_msg("risk: %s", err.msg);
    tui_init(&f->t, &f->app, f->st);
    f->t.now_ts = now;
    f->t.rows = 40;
    f->t.cols = 120;
}

static inline void fx_open(struct fx *f, const char *config_text)
{
    fx_open_at(f, config_text, NULL);
}

static inline void fx_close(struct fx *f)
{
    tui_free(&f->t);
    store_close(&f->st);
    config_free(&f->app.cfg);
    tu_rmdir(f->dir);
}

/* Runs SQL on the database through a second connection (test set-up only; on either engine). */
static inline void fx_sql(struct fx *f, const char *sql)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    if (db_open(f->db, &db, &err) != LCM_OK || db_exec(db, sql, &err) != LCM_OK)
        fail_msg("sql: %s", err.msg);
    db_close(&db);
}

static inline int64_t fx_count(struct fx *f, const char *sql)
{
    struct db *db = NULL;
    struct lcm_err err = {0};
    int64_t n = -1;
    if (db_open(f->db, &db, &err) == LCM_OK) {
        struct db_stmt *s = db_prepare(db, sql, &err);
        if (s && db_step(s) == DB_ROW)
            n = db_column_int64(s, 0);
    }
    db_close(&db);
    return n;
}

/* Recalculates the current pane (forced), then lets the panes finish what they left for
 * the idle loop (the overview's whole order after its first frame), as the terminal's loop
 * does after a frame. */
static inline struct pane *fx_recalc(struct fx *f)
{
    f->t.panes[f->t.cur].dirty = true;
    tui_state_recalc(&f->t);
    if (tui_state_idle(&f->t))
        tui_state_recalc(&f->t);
    return &f->t.panes[f->t.cur];
}

/* Marks pane id's data stale, as a save elsewhere would (its invalidate op). */
static inline void fx_invalidate(struct fx *f, enum pane_id id)
{
    struct pane *p = &f->t.panes[id];
    p->ops->invalidate(p, &f->t);
}

/* Waits for pane id's background work and collects it (its wait op); true when it changed. */
static inline bool fx_wait(struct fx *f, enum pane_id id)
{
    struct pane *p = &f->t.panes[id];
    return p->ops->wait(p, &f->t);
}

/* Feeds keys: a key name in <...> or plain characters (UTF-8). */
static inline void fx_keys(struct fx *f, const char *keys)
{
    size_t n = strlen(keys);
    for (size_t i = 0; i < n;) {
        int key;
        if (keys[i] == '<' && strchr(keys + i, '>')) {
            char name[32];
            size_t len = (size_t)(strchr(keys + i, '>') - (keys + i)) + 1;
            snprintf(name, sizeof name, "%.*s", (int)len, keys + i);
            key = keymap_parse_key(name);
            if (key < 0)
                fail_msg("bad key %s", name);
            i += len;
        } else {
            uint32_t cp;
            size_t len = text_decode(keys + i, n - i, &cp);
            key = (int)cp;
            i += len ? len : 1;
        }
        tui_key(&f->t, key);
        fx_recalc(f);
    }
}

static inline char *fx_line(const struct pane *p, size_t i, char *buf, size_t len)
{
    if (i >= p->rb.n) {
        buf[0] = '\0';
        return buf;
    }
    return rich_line_text(&p->rb.lines[i], buf, len);
}

/* The index of the first line containing needle, or -1. */
static inline long fx_find(const struct pane *p, const char *needle)
{
    char buf[4096];
    for (size_t i = 0; i < p->rb.n; i++)
        if (strstr(fx_line(p, i, buf, sizeof buf), needle))
            return (long)i;
    return -1;
}

#endif
