/* draw.c — everything that talks to curses: terminal set-up and restore (every exit path,
 * fatal signals included), painting rich lines and overlays into one frame, reading keys, the
 * virtual screen of the headless mode, and running $EDITOR. The loop itself is tui.c's. */
#define _XOPEN_SOURCE_EXTENDED 1
#include "tui/draw.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

#include "store/store.h"
#include "store/store_view.h"
#include "base/text.h"
#include "base/i18n.h"
#include "tui/form.h"
#include "tui/help.h"
#include "tui/theme.h"
#include "tui/tui_state.h"

static volatile sig_atomic_t got_stop_signal;
static volatile sig_atomic_t curses_active;
static struct theme theme;
/* the headless mode's virtual terminal and the files it reads and writes (NULL: none) */
static SCREEN *virtual_screen;
static FILE *null_out, *null_in;

/* SIGINT, SIGTERM, SIGHUP: the loop stops at its next wake-up. */
static void on_stop_signal(int sig)
{
    got_stop_signal = sig;
}

/* Leaves curses mode when it is on (exit, the end of the run). */
static void restore_terminal(void)
{
    if (curses_active) {
        curses_active = 0;
        endwin();
    }
}

/* A crash must not leave the terminal in raw mode: restore it, then die the same way. */
static void on_fatal_signal(int sig)
{
    if (curses_active)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

void draw_install_signals(void)
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
    atexit(restore_terminal);
}

int draw_stop_signal(void)
{
    return (int)got_stop_signal;
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

/* Paints rich line l (NULL: blank) at (y, x), cut or padded to exactly cols columns. */
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

/* Paints rows lines of rb from line skip at (y0, x0), cols wide; blank rows past its end. */
static void paint_rbuf(int y0, int x0, int rows, int cols, const struct rbuf *rb, size_t skip)
{
    for (int r = 0; r < rows; r++) {
        size_t i = skip + (size_t)r;
        paint_line(y0 + r, x0, cols, i < rb->n ? &rb->lines[i] : NULL);
    }
}

/* The common draw of a pane: its rich lines from p->rb.top. */
static void draw_rich(const struct pane *p, int y, int rows, int cols)
{
    paint_rbuf(y, 0, rows, cols, &p->rb, p->rb.top);
}

/* Paints a h x w box at (y, x) with rb's lines from skip inside its border (the overlays). */
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

/* The whole screen says the terminal is smaller than TUI_MIN_COLS x TUI_MIN_ROWS. */
static void paint_too_small(int rows, int cols)
{
    erase();
    attrset(theme_attr(&theme, ROLE_ERROR));
    char msg[128];
    snprintf(msg, sizeof msg, _("terminal too small: %dx%d, lcmtui needs %dx%d"), cols, rows,
             TUI_MIN_COLS, TUI_MIN_ROWS);
    mvaddnstr(rows / 2, 0, msg, cols);
    attrset(A_NORMAL);
    mvaddnstr(rows / 2 + 1, 0, _("enlarge the window, or press q to quit"), cols);
}

void draw_frame(struct tui *t)
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
    tui_state_recalc(t);
    struct rbuf title;
    rich_buf_init(&title);
    tui_state_title(t, rich_buf_line(&title, ROLE_TITLE), cols);
    paint_line(0, 0, cols, &title.lines[0]);
    rich_buf_clear(&title);
    struct pane *p = &t->panes[t->cur];
    (p->ops->draw ? p->ops->draw : draw_rich)(p, 1, rows - 2, cols);
    struct rbuf st;
    rich_buf_init(&st);
    tui_state_status(t, rich_buf_line(&st, ROLE_STATUS), cols);
    paint_line(rows - 1, 0, cols, &st.lines[0]);
    rich_buf_clear(&st);
    int cy = p->rb.cursor_y >= 0 ? 1 + p->rb.cursor_y - (int)p->rb.top : -1, cx = p->rb.cursor_x;
    if (t->help || t->form) {
        struct rbuf ov;
        rich_buf_init(&ov);
        int w = cols - 8 < 96 ? cols - 8 : 96;
        if (t->help)
            help_recalc(&t->km, &ov, w - 2, rows - 4, t->panes[t->cur].ops->scope, &t->help_top);
        else
            form_recalc(t->form, &ov, w - 2);
        int h = (int)ov.n + 2;
        if (h > rows - 2)
            h = rows - 2;
        int y = (rows - h) / 2, x = (cols - w) / 2;
        paint_box(y, x, h, w, &ov, 0);
        cy = ov.cursor_y >= 0 ? y + 1 + ov.cursor_y : -1;
        cx = x + 1 + ov.cursor_x;
        rich_buf_clear(&ov);
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

/* Puts curses in the mode the TUI works in (both terminals) and applies the theme. */
static void setup_curses(bool headless)
{
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

/* After an ESC that curses did not turn into a key: reads the rest of an escape sequence
 * its terminfo does not know (Home/End of another terminal, a modified key, the paste
 * markers) so that it never arrives as Esc and then letters that run as commands. Only bytes
 * already pending count as its start (a lone Esc has none); the rest of it gets 30 ms. Esc
 * and one more [ or O with nothing after are the two keys they are.
 * Returns the key it means, 0 to drop it, 27 for a lone Esc (the byte after it put back). */
static int read_escape(void)
{
    char seq[32];
    size_t n = 0;
    int key = 27;
    wtimeout(stdscr, 0);
    for (;;) {
        wint_t wc;
        int r = wget_wch(stdscr, &wc);
        if (r == ERR || r == KEY_CODE_YES || wc > 0x7E) {
            if (r != ERR)
                r == KEY_CODE_YES ? ungetch((int)wc) : unget_wch((wchar_t)wc);
            if (n == 1) /* Esc, then [ or O alone: two keys (Esc, then O opens the outbox) */
                unget_wch((wchar_t)(unsigned char)seq[0]);
            key = n <= 1 ? 27 : 0; /* cut short after more: what came is dropped */
            break;
        }
        seq[n++] = (char)wc;
        enum keyseq ks = keymap_escape(seq, n, &key);
        if (ks == KEYSEQ_NONE) {
            unget_wch((wchar_t)wc);
            key = 27;
            break;
        }
        if (ks == KEYSEQ_KEY)
            break;
        if (n == sizeof seq) {
            key = 0;
            break;
        }
        wtimeout(stdscr, 30);
    }
    wtimeout(stdscr, 250);
    return key;
}

/* One key within 250 ms, or ERR; with a change feed's socket (t->watch_fd), the wait ends as
 * soon as it is readable, for the loop to reload: a key already buffered by curses (typed
 * ahead, put back) is taken first, then stdin and the socket are polled together. */
static int get_key(struct tui *t, wint_t *wc)
{
    if (t->watch_fd < 0)
        return wget_wch(stdscr, wc);
    wtimeout(stdscr, 0);
    int r = wget_wch(stdscr, wc);
    if (r == ERR) {
        struct pollfd p[2] = {{.fd = STDIN_FILENO, .events = POLLIN},
                              {.fd = t->watch_fd, .events = POLLIN}};
        if (poll(p, 2, 250) > 0 && (p[0].revents & (POLLIN | POLLHUP)))
            r = wget_wch(stdscr, wc);
    }
    wtimeout(stdscr, 250);
    return r;
}

int draw_read_key(struct tui *t)
{
    wint_t wc;
    int r = get_key(t, &wc);
    if (r == ERR)
        return -1;
    if (r == OK && wc == 27) {
        int key = read_escape();
        return key ? key : -1;
    }
    if (r == KEY_CODE_YES && wc == KEY_RESIZE) {
        t->all_dirty = true;
        return -1;
    }
    if (r == KEY_CODE_YES)
        return KEY_TAG_FN | (int)wc;
    return (int)wc;
}

int draw_editor(struct tui *t, const char *path)
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

void draw_load_theme(struct tui *t)
{
    struct lcm_err err = {0};
    const char *no_color = getenv("NO_COLOR");
    if (theme_load(&theme, t->app->share_dir, t->app->cfg.theme, &err) != LCM_OK)
        tui_state_fail(t, &err);
    if (no_color && *no_color)
        theme_mono(&theme);
}

bool draw_open_terminal(void)
{
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "lcmtui: %s\n", _("the interface needs a terminal (try `lcmtui summary`)"));
        return false;
    }
    /* Lines and corners as Unicode in a UTF-8 locale: a terminal type's VT100 line-drawing
     * set is not always honoured (xterm-256color inside tmux draws "lqqk"); the user's own
     * setting wins. */
    const char *codeset = nl_langinfo(CODESET);
    if (codeset && strcmp(codeset, "UTF-8") == 0)
        setenv("NCURSES_NO_UTF8_ACS", "1", 0);
    if (!initscr()) {
        fprintf(stderr, _("lcmtui: cannot initialise the terminal (TERM=%s)\n"),
                getenv("TERM") ? getenv("TERM") : "");
        return false;
    }
    setup_curses(false);
    return true;
}

/* Closes the files behind the virtual terminal. */
static void close_null_files(void)
{
    if (null_out)
        fclose(null_out);
    if (null_in)
        fclose(null_in);
    null_out = null_in = NULL;
}

bool draw_open_virtual(int rows, int cols)
{
    char num[16];
    snprintf(num, sizeof num, "%d", rows);
    setenv("LINES", num, 1);
    snprintf(num, sizeof num, "%d", cols);
    setenv("COLUMNS", num, 1);
    use_env(TRUE);
    null_out = fopen("/dev/null", "w");
    null_in = fopen("/dev/null", "r");
    SCREEN *scr = null_out && null_in ? newterm("xterm-256color", null_out, null_in) : NULL;
    if (!scr)
        scr = null_out && null_in ? newterm("xterm", null_out, null_in) : NULL;
    if (!scr) {
        fprintf(stderr, "lcmtui: %s\n", _("headless: cannot create a virtual terminal"));
        close_null_files();
        return false;
    }
    set_term(scr);
    virtual_screen = scr;
    setup_curses(true);
    return true;
}

void draw_close(void)
{
    if (!virtual_screen) {
        restore_terminal();
        return;
    }
    curses_active = 0;
    endwin();
    delscreen(virtual_screen);
    virtual_screen = NULL;
    close_null_files();
}

void draw_dump(FILE *out)
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

int draw_resize(int rows, int cols)
{
    return resizeterm(rows, cols);
}
