/* help.c — the help overlay, from the action X-macro list and the keymap (no curses), in
 * pages: one section (scope) a page, a long section over several; each action with its keys,
 * config name and help text, the text word-wrapped in its column so nothing is cut. */
#include "tui/help.h"

#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "tui/actions.h"

#define KEYS_COL 14
#define NAME_COL 14

static const char *const scope_title[SCOPE_COUNT] = {
    N_("Everywhere"), N_("Overview"), N_("Detail"), N_("Composer"), N_("Agenda"), N_("Outbox")};

/* Appends action a's lines (keys, name, its help wrapped in the rest of cols) to rb; returns
 * how many. With rb NULL, only counts them. */
static int action_lines(const struct keymap *km, enum action a, struct rbuf *rb, int cols)
{
    const struct keymap_action_info *ai = keymap_action_info(a);
    int indent = 2 + KEYS_COL + 1 + NAME_COL + 1;
    struct rbuf wrap;
    rich_buf_init(&wrap);
    int n = rich_buf_wrap(&wrap, ROLE_NORMAL, _(ai->help), cols - indent, 0);
    if (rb) {
        char keys[128], buf[512];
        keymap_keys_of(km, a, keys, sizeof keys);
        for (int i = 0; i < n; i++) {
            struct rline *l = rich_buf_line(rb, ROLE_NORMAL);
            if (i == 0) {
                rich_line_add(l, ROLE_NORMAL, "  ");
                rich_line_data(l, ROLE_ACCENT, keys, KEYS_COL, true);
                rich_line_add(l, ROLE_NORMAL, " ");
                rich_line_data(l, ROLE_DIM, ai->name, NAME_COL, true);
                rich_line_add(l, ROLE_NORMAL, " ");
            } else {
                rich_line_pad_to(l, ROLE_NORMAL, indent);
            }
            rich_line_add(l, ROLE_NORMAL, rich_line_text(&wrap.lines[i], buf, sizeof buf));
        }
    }
    rich_buf_clear(&wrap);
    return n;
}

/* Walks the pages: for each action in list order, the page it falls on (sections never
 * share a page; a section longer than cap lines goes on over the next pages). Calls fn for
 * every action with its page, the page's scope and whether the page continues its section;
 * returns the number of pages. */
typedef void (*page_fn)(void *ctx, int page, enum scope sc, bool cont, enum action a);
static int walk(const struct keymap *km, int cols, int cap, page_fn fn, void *ctx)
{
    int page = -1;
    for (int sc = 0; sc < SCOPE_COUNT; sc++) {
        int used = cap + 1; /* a new section starts a new page */
        bool cont = false;
        for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
            const struct keymap_action_info *ai = keymap_action_info((enum action)a);
            if (ai->scope != (enum scope)sc)
                continue;
            int n = action_lines(km, (enum action)a, NULL, cols);
            if (used + n > cap) {
                cont = used <= cap; /* a page of the same section was full */
                page++;
                used = 0;
            }
            used += n;
            if (fn)
                fn(ctx, page, (enum scope)sc, cont, (enum action)a);
        }
    }
    return page + 1;
}

struct lay {
    const struct keymap *km;
    struct rbuf *rb;
    int cols, want, first_of_scope;
    enum scope scope_want;
    bool header_done;
};

/* walk's callback: lays out the actions of the wanted page (its section title first), and
 * notes the first page of the wanted scope. */
static void lay_action(void *ctx, int page, enum scope sc, bool cont, enum action a)
{
    struct lay *y = ctx;
    if (sc == y->scope_want && y->first_of_scope < 0)
        y->first_of_scope = page;
    if (!y->rb || page != y->want)
        return;
    if (!y->header_done) {
        struct rline *l = rich_buf_line(y->rb, ROLE_NORMAL);
        if (cont)
            rich_line_addf(l, ROLE_HEADER, _("%s (continued)"), _(scope_title[sc]));
        else
            rich_line_add(l, ROLE_HEADER, _(scope_title[sc]));
        y->header_done = true;
    }
    action_lines(y->km, a, y->rb, y->cols);
}

int help_recalc(const struct keymap *km, struct rbuf *rb, int cols, int lines, enum scope first,
                int *page)
{
    rich_buf_clear(rb);
    /* around the actions: the title, a blank line, the section, ..., a blank line, the foot */
    int cap = lines - 5 > 3 ? lines - 5 : 3;
    struct lay y = {.km = km, .cols = cols, .first_of_scope = -1, .scope_want = first};
    int npages = walk(km, cols, cap, lay_action, &y);
    if (*page < 0)
        *page = y.first_of_scope >= 0 ? y.first_of_scope : 0;
    if (*page >= npages)
        *page = npages - 1;
    struct rline *l = rich_buf_line(rb, ROLE_TITLE);
    char title[256];
    snprintf(title, sizeof title,
             _(" Esc closes the help · Space next page · PgUp previous · %d/%d"), *page + 1,
             npages);
    rich_line_data(l, ROLE_TITLE, title, cols, true);
    rich_buf_line(rb, ROLE_NORMAL);
    y.rb = rb;
    y.want = *page;
    walk(km, cols, cap, lay_action, &y);
    rich_buf_line(rb, ROLE_NORMAL);
    rich_line_data(rich_buf_line(rb, ROLE_NORMAL), ROLE_DIM,
                   _("  Rebind a key by its name in the config's keys group"), cols, false);
    return npages;
}
