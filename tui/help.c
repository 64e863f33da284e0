/* help.c — the help overlay, from the action X-macro list and the keymap (no curses). */
#include "tui/help.h"

#include "tui/actions.h"
#include "base/i18n.h"

void help_recalc(const struct keymap *km, struct rbuf *rb, int cols)
{
    static const char *const scope_title[SCOPE_COUNT] = {
        N_("Everywhere"), N_("Overview"), N_("Detail"), N_("Composer"), N_("Agenda"), N_("Outbox")};
    rich_buf_clear(rb);
    struct rline *l = rich_buf_line(rb, ROLE_TITLE);
    rich_line_data(l, ROLE_TITLE, _(" lcmtui keys (rebind any in the config's keys group)"), cols,
                   true);
    for (int sc = 0; sc < SCOPE_COUNT; sc++) {
        bool any = false;
        for (int a = ACT_NONE + 1; a < ACT_COUNT; a++) {
            const struct keymap_action_info *ai = keymap_action_info((enum action)a);
            if (ai->scope != (enum scope)sc)
                continue;
            if (!any) {
                rich_buf_line(rb, ROLE_NORMAL);
                rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_HEADER, _(scope_title[sc]));
                any = true;
            }
            char keys[128];
            keymap_keys_of(km, (enum action)a, keys, sizeof keys);
            l = rich_buf_line(rb, ROLE_NORMAL);
            rich_line_add(l, ROLE_NORMAL, "  ");
            rich_line_data(l, ROLE_ACCENT, keys, 16, true);
            rich_line_add(l, ROLE_NORMAL, " ");
            rich_line_data(l, ROLE_DIM, ai->name, 14, true);
            rich_line_add(l, ROLE_NORMAL, " ");
            rich_line_data(l, ROLE_NORMAL, _(ai->help), cols - l->width, false);
        }
    }
    rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(rich_buf_line(rb, ROLE_NORMAL), ROLE_DIM,
                  _("  j/k scroll this help; any other key closes it"));
}
