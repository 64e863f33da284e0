/* draw.c — everything that talks to curses: terminal set-up and restore (every exit path,
 * fatal signals included), painting rich lines, overlays, the main loop, the headless mode,
 * and running $EDITOR. */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include "base/day.h"
#include "store/store.h"
#include "store/store_view.h"
#include "tui/form.h"
#include "base/text.h"
#include "tui/theme.h"
#include "tui/tui.h"
#include "tui/tui_internal.h"

static volatile sig_atomic_t got_stop_signal;
static volatile sig_atomic_t curses_active;
static struct theme theme;

static void on_stop_signal(int sig)
{
    got_stop_signal = sig;
}

/* A crash must not leave the terminal in raw mode: restore it, then die the same way. */
static void on_fatal_signal(int sig)
{
    if (curses_active)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_fatal_signal;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGILL, &sa, NULL);
}

static void restore_terminal(void)
{
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
}

static int64_t now_ms_monotonic_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* "Now" for records: today's date (pinned or real) with the wall clock's time of day, so a
 * check-in logged under --today sorts after that day's earlier events. */
static int64_t current_now(int today)
{
    time_t wall = time(NULL);
    return day_to_time(today) + (int64_t)(wall % 86400);
}

/* Paints clean UTF-8 text at the cursor, at most cols columns. Returns the columns used. */
static int put_text(const char *s, int cols, int attr)
{
    if (cols <= 0)
        return 0;
    int w = text_width(s);
    size_t n = strlen(s);
    if (w > cols) {
        n = text_col_offset(s, cols);
        /* do not let a wide character straddle the edge */
        char *tmp = lcm_xmalloc(n + 1);
        memcpy(tmp, s, n);
        tmp[n] = '\0';
        while (n > 0 && text_width(tmp) > cols) {
            n--;
            while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
                n--;
            tmp[n] = '\0';
        }
        w = text_width(tmp);
        free(tmp);
    }
    attrset(attr);
    addnstr(s, (int)n);
    return w;
}

static void paint_line(int y, int x, int cols, const struct rline *l)
{
    move(y, x);
    int used = 0;
    for (size_t i = 0; l && i < l->nseg && used < cols; i++)
        used += put_text(l->seg[i].text, cols - used, theme_attr(&theme, l->seg[i].role));
    attrset(theme_attr(&theme, l ? l->fill : ROLE_NORMAL));
    for (; used < cols; used++)
        addch(' ');
}

static void paint_rbuf(int y0, int x0, int rows, int cols, const struct rbuf *rb, size_t skip)
{
    for (int r = 0; r < rows; r++) {
        size_t i = skip + (size_t)r;
        paint_line(y0 + r, x0, cols, i < rb->n ? &rb->lines[i] : NULL);
    }
}

void pane_draw_rich(const struct pane *p, int y, int rows, int cols)
{
    paint_rbuf(y, 0, rows, cols, &p->rb, p->rb.top);
}

static void paint_box(int y, int x, int h, int w, const struct rbuf *rb, size_t skip)
{
    attrset(theme_attr(&theme, ROLE_ACCENT));
    mvaddch(y, x, ACS_ULCORNER);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    paint_rbuf(y + 1, x + 1, h - 2, w - 2, rb, skip);
}

static void paint_too_small(int rows, int cols)
{
    erase();
    attrset(theme_attr(&theme, ROLE_ERROR));
    char msg[128];
    snprintf(msg, sizeof msg, "terminal too small: %dx%d, lcmtui needs %dx%d", cols, rows,
             TUI_MIN_COLS, TUI_MIN_ROWS);
    mvaddnstr(rows / 2, 0, msg, cols);
    attrset(A_NORMAL);
    mvaddnstr(rows / 2 + 1, 0, "enlarge the window, or press q to quit", cols);
}

/* One frame: recalc what is dirty, paint everything, write it to the terminal once. */
static void frame(struct tui *t)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    if (rows != t->rows || cols != t->cols) {
        t->rows = rows;
        t->cols = cols;
        for (int i = 0; i < PANE_COUNT; i++)
            t->panes[i].dirty = true;
    }
    if (t->redraw) {
        clearok(curscr, TRUE); /* Ctrl-L: the next doupdate repaints every cell */
        t->redraw = false;
    }
    if (rows < TUI_MIN_ROWS || cols < TUI_MIN_COLS) {
        paint_too_small(rows, cols);
        wnoutrefresh(stdscr);
        doupdate();
        return;
    }
    tui_recalc(t);
    struct rbuf title;
    rbuf_init(&title);
    tui_title(t, rbuf_line(&title, ROLE_TITLE), cols);
    paint_line(0, 0, cols, &title.lines[0]);
    rbuf_clear(&title);
    struct pane *p = &t->panes[t->cur];
    p->ops->draw(p, 1, rows - 2, cols);
    struct rbuf st;
    rbuf_init(&st);
    tui_status(t, rbuf_line(&st, ROLE_STATUS), cols);
    paint_line(rows - 1, 0, cols, &st.lines[0]);
    rbuf_clear(&st);
    int cy = p->rb.cursor_y >= 0 ? 1 + p->rb.cursor_y - (int)p->rb.top : -1, cx = p->rb.cursor_x;
    if (t->help || t->form) {
        struct rbuf ov;
        rbuf_init(&ov);
        int w = cols - 8 < 96 ? cols - 8 : 96;
        if (t->help)
            tui_help_recalc(t, &ov, w - 2);
        else
            form_recalc(t->form, &ov, w - 2);
        int h = (int)ov.n + 2;
        if (h > rows - 2)
            h = rows - 2;
        int y = (rows - h) / 2, x = (cols - w) / 2;
        size_t skip = 0;
        if (t->help) {
            size_t maxskip = ov.n > (size_t)(h - 2) ? ov.n - (size_t)(h - 2) : 0;
            if ((size_t)t->help_top > maxskip)
                t->help_top = (int)maxskip;
            skip = (size_t)t->help_top;
        }
        paint_box(y, x, h, w, &ov, skip);
        cy = ov.cursor_y >= 0 ? y + 1 + ov.cursor_y : -1;
        cx = x + 1 + ov.cursor_x;
        rbuf_clear(&ov);
    }
    if (cy >= 0 && cy < rows && cx >= 0 && cx < cols) {
        curs_set(1);
        move(cy, cx);
    } else {
        curs_set(0);
    }
    wnoutrefresh(stdscr);
    doupdate();
}

static void setup_curses(struct tui *t, bool headless)
{
    (void)t;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    set_escdelay(25);
    if (!headless)
        wtimeout(stdscr, 250); /* wake up to notice SIGINT/SIGTERM */
    theme_apply(&theme);
    curses_active = 1;
}

/* Reads one key: a character (code point) or KEY_TAG_FN | curses code; -1 on timeout. */
static int read_key(void)
{
    wint_t wc;
    int r = wget_wch(stdscr, &wc);
    if (r == ERR)
        return -1;
    if (r == KEY_CODE_YES)
        return KEY_TAG_FN | (int)wc;
    return (int)wc;
}

int tui_editor(struct tui *t, const char *path)
{
    const char *ed = getenv("VISUAL");
    if (!ed || !*ed)
        ed = getenv("EDITOR");
    if (!ed || !*ed)
        ed = "vi";
    def_prog_mode();
    endwin();
    int status = -1;
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        execl("/bin/sh", "sh", "-c", "exec $0 \"$1\"", ed, path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    reset_prog_mode();
    t->all_dirty = true;
    for (int i = 0; i < PANE_COUNT; i++)
        t->panes[i].dirty = true;
    clearok(curscr, TRUE);
    return pid > 0 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Makes sure the C library decodes UTF-8 (wide characters in names, wcwidth). */
static void ensure_utf8_locale(void)
{
    const char *cs = nl_langinfo(CODESET);
    if (cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0))
        return;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
}

static void load_theme(struct tui *t)
{
    struct lcm_err err = {0};
    const char *no_color = getenv("NO_COLOR");
    if (theme_load(&theme, t->app->share_dir, t->app->cfg.theme, &err) != LCM_OK)
        tui_fail(t, &err);
    if (no_color && *no_color)
        theme_mono(&theme);
}

static void apply_keys(struct tui *t)
{
    struct lcm_err err = {0};
    if (keymap_load(&t->km, config_section(&t->app->cfg, "keys"), &err) != LCM_OK)
        tui_fail(t, &err);
}

static int run_interactive(struct tui *t)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "lcmtui: the interface needs a terminal (try `lcmtui summary`)\n");
        return 1;
    }
    if (!initscr()) {
        fprintf(stderr, "lcmtui: cannot initialise the terminal (TERM=%s)\n",
                getenv("TERM") ? getenv("TERM") : "");
        return 1;
    }
    setup_curses(t, false);
    frame(t);
    tui_sync_auto(t);
    while (!t->quit && !got_stop_signal) {
        t->now_ts = current_now(t->today);
        tui_sync_poll(t);
        tui_caldav_poll(t);
        pane_kpi_poll(t);
        frame(t);
        int key = read_key();
        if (key < 0)
            continue;
        if (key == (KEY_TAG_FN | KEY_RESIZE)) {
            t->all_dirty = true;
            continue;
        }
        tui_key(t, key);
        if (t->editor_path[0]) {
            tui_editor(t, t->editor_path);
            tui_editor_done(t);
        }
    }
    if (tui_sync_running())
        tui_msg(t, ROLE_STATUS, "stopping the sync at the next batch…"), frame(t);
    tui_sync_stop();
    if (tui_caldav_running())
        tui_msg(t, ROLE_STATUS, "finishing the calendar push…"), frame(t);
    tui_caldav_wait(t);
    restore_terminal();
    return got_stop_signal == SIGINT ? 130 : got_stop_signal ? 128 + got_stop_signal : 0;
}

int tui_run(struct lcm_app *app)
{
    ensure_utf8_locale();
    struct lcm_store *st = NULL;
    struct lcm_err oerr = {0};
    if (store_open(app->db_path, &st, &oerr) != LCM_OK) {
        fprintf(stderr, "lcmtui: %s\n", oerr.msg);
        return 1;
    }
    struct tui *t = lcm_xcalloc(1, sizeof *t);
    store_view_tune(st);
    tui_state_init(t, app, st);
    t->now_ts = current_now(t->today);
    load_theme(t);
    apply_keys(t);
    install_signals();
    atexit(restore_terminal);
    const char *script = getenv("LCMTUI_SCRIPT");
    int rc = script && *script ? tui_headless(t, script) : run_interactive(t);
    restore_terminal();
    tui_state_free(t);
    free(t);
    store_close(&st);
    return rc;
}

/* ---- headless ------------------------------------------------------------------------- */

/* Writes the virtual screen as text (trailing spaces trimmed) to out. */
static void dump_screen(FILE *out)
{
    int rows, cols;
    getmaxyx(stdscr, rows, cols);
    char line[8192];
    for (int y = 0; y < rows; y++) {
        size_t o = 0;
        for (int x = 0; x < cols && o + 8 < sizeof line; x++) {
            cchar_t cc;
            wchar_t wch[CCHARW_MAX + 1] = {0};
            attr_t at;
            short pair;
            if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wch, &at, &pair, NULL) == ERR)
                continue;
            if ((at & A_ALTCHARSET) && wch[0] < 0x80) {
                /* line-drawing characters as plain ASCII, so dumps compare as text */
                wch[0] = wch[0] == 'q' ? L'-' : wch[0] == 'x' ? L'|' : L'+';
                wch[1] = 0;
            }
            for (int k = 0; wch[k] && o + 8 < sizeof line; k++) {
                int w = text_cp_width((uint32_t)wch[k]);
                o += text_encode((uint32_t)wch[k], line + o);
                if (w == 2)
                    x++; /* the next cell continues this character */
            }
        }
        while (o > 0 && line[o - 1] == ' ')
            o--;
        line[o] = '\0';
        fprintf(out, "%s\n", line);
    }
    fprintf(out, "----\n");
    fflush(out);
}

int tui_headless(struct tui *t, const char *script)
{
    FILE *in = fopen(script, "r");
    if (!in) {
        fprintf(stderr, "lcmtui: %s: cannot read the key script\n", script);
        return 1;
    }
    int cols = 120, rows = 40;
    const char *size = getenv("LCMTUI_SIZE");
    if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
        cols = 120, rows = 40;
    char num[16];
    snprintf(num, sizeof num, "%d", rows);
    setenv("LINES", num, 1);
    snprintf(num, sizeof num, "%d", cols);
    setenv("COLUMNS", num, 1);
    use_env(TRUE);
    FILE *null_out = fopen("/dev/null", "w"), *null_in = fopen("/dev/null", "r");
    SCREEN *scr = null_out && null_in ? newterm("xterm-256color", null_out, null_in) : NULL;
    if (!scr)
        scr = null_out && null_in ? newterm("xterm", null_out, null_in) : NULL;
    int rc = 0;
    if (!scr) {
        fprintf(stderr, "lcmtui: headless: cannot create a virtual terminal\n");
        rc = 1;
        goto out;
    }
    set_term(scr);
    setup_curses(t, true);
    bool bench = getenv("LCMTUI_BENCH") != NULL;
    int64_t t0 = now_ms_monotonic_us();
    clock_t c0 = clock();
    frame(t);
    int64_t first = now_ms_monotonic_us() - t0, worst = 0, total = 0;
    double first_cpu = (double)(clock() - c0) * 1000.0 / CLOCKS_PER_SEC;
    long keys = 0;
    rc = tui_script_run(t, in, dump_screen, frame, &keys, &worst, &total, now_ms_monotonic_us);
    while (tui_sync_running()) { /* a sync started by the script: let it finish */
        tui_sync_poll(t);
        if (tui_sync_running())
            napms(20);
        else
            frame(t);
    }
    if (tui_caldav_running()) { /* a push started by the script: its result on the screen */
        tui_caldav_wait(t);
        frame(t);
    }
    if (pane_kpi_wait(t)) /* the KPI pane's figures, not "computing…" */
        frame(t);
    if (bench)
        fprintf(stderr,
                "first_frame_ms=%.2f first_frame_cpu_ms=%.2f keys=%ld avg_key_ms=%.3f "
                "max_key_ms=%.3f\n",
                (double)first / 1000.0, first_cpu, keys,
                keys ? (double)total / (double)keys / 1000.0 : 0.0, (double)worst / 1000.0);
    dump_screen(stdout);
    curses_active = 0;
    endwin();
    delscreen(scr);
out:
    if (null_out)
        fclose(null_out);
    if (null_in)
        fclose(null_in);
    fclose(in);
    return rc;
}

int tui_resize(int rows, int cols)
{
    return resizeterm(rows, cols);
}
