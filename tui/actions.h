/* actions.h — every user action, declared once: enum, config name, scope, default keys, help.
 *
 * The help overlay, the `keys` config parser and the dispatcher are all generated from this
 * list. Scope GLOBAL actions work in every pane unless a pane binds the same key to its own
 * action (per-pane keymaps fall back to the global one). Keys use the names keymap.c parses:
 * a character, or <Enter> <Tab> <S-Tab> <Space> <Esc> <BS> <Del> <Up> <Down> <Left> <Right>
 * <Home> <End> <PgUp> <PgDn> <F1>..<F12> <C-a>..<C-z>, separated by spaces. */
#ifndef LCM_ACTIONS_H
#define LCM_ACTIONS_H

enum scope {
    SCOPE_GLOBAL,
    SCOPE_OVERVIEW,
    SCOPE_DETAIL,
    SCOPE_COMPOSER,
    SCOPE_AGENDA,
    SCOPE_OUTBOX,
    SCOPE_COUNT
};

#define ACTION_LIST(X)                                                                             \
    X(ACT_DOWN, "down", SCOPE_GLOBAL, "j <Down>", "move down")                                     \
    X(ACT_UP, "up", SCOPE_GLOBAL, "k <Up>", "move up")                                             \
    X(ACT_TOP, "top", SCOPE_GLOBAL, "g <Home>", "go to the first line")                            \
    X(ACT_BOTTOM, "bottom", SCOPE_GLOBAL, "G <End>", "go to the last line")                        \
    X(ACT_PAGE_DOWN, "page-down", SCOPE_GLOBAL, "<PgDn> <C-f>", "next page")                       \
    X(ACT_PAGE_UP, "page-up", SCOPE_GLOBAL, "<PgUp> <C-b>", "previous page")                       \
    X(ACT_NEXT_PANE, "next-pane", SCOPE_GLOBAL, "<Tab>", "next pane")                              \
    X(ACT_PREV_PANE, "prev-pane", SCOPE_GLOBAL, "<S-Tab>", "previous pane")                        \
    X(ACT_OPEN, "open", SCOPE_GLOBAL, "<Enter>", "open the learner's detail")                      \
    X(ACT_SEARCH, "search", SCOPE_GLOBAL, "/", "search learners by name (incremental)")            \
    X(ACT_FILTER, "filter", SCOPE_GLOBAL, "f", "filter by cohort and level")                       \
    X(ACT_SORT, "sort", SCOPE_GLOBAL, "o", "change the sort order")                                \
    X(ACT_SHOW_SNOOZED, "show-snoozed", SCOPE_GLOBAL, "x", "show or hide snoozed learners")        \
    X(ACT_SELECT, "select", SCOPE_GLOBAL, "<Space>", "select a learner (messages for several)")    \
    X(ACT_CHECKIN, "checkin", SCOPE_GLOBAL, "c", "log a check-in (call, email, note...)")          \
    X(ACT_MESSAGE, "message", SCOPE_GLOBAL, "m", "write a message from a template")                \
    X(ACT_CELEBRATE, "celebrate", SCOPE_GLOBAL, "C", "congratulate (composer on the milestone)")   \
    X(ACT_SCHEDULE, "schedule", SCOPE_GLOBAL, "s", "schedule a one-on-one call")                   \
    X(ACT_SNOOZE, "snooze", SCOPE_GLOBAL, "z", "snooze the flag with a reason")                    \
    X(ACT_AGENDA, "agenda", SCOPE_GLOBAL, "a", "follow-up agenda")                                 \
    X(ACT_KPI, "kpi", SCOPE_GLOBAL, "K", "key figures and trends of the cohort in view")           \
    X(ACT_OUTBOX, "outbox", SCOPE_GLOBAL, "O", "outbox: drafts to approve, queued, failed, sent")  \
    X(ACT_SYNC, "sync", SCOPE_GLOBAL, "S", "synchronise the LMS now")                              \
    X(ACT_HELP, "help", SCOPE_GLOBAL, "? <F1>", "this help")                                       \
    X(ACT_REDRAW, "redraw", SCOPE_GLOBAL, "<C-l>", "redraw the screen")                            \
    X(ACT_BACK, "back", SCOPE_GLOBAL, "q", "back; quit from the overview")                         \
    X(ACT_QUIT, "quit", SCOPE_GLOBAL, "Q", "quit lcmtui")                                          \
    X(ACT_DONE, "done", SCOPE_AGENDA, "d", "mark the follow-up done (opens the check-in form)")    \
    X(ACT_RESCHEDULE, "reschedule", SCOPE_AGENDA, "r", "reschedule the follow-up")                 \
    X(ACT_CANCEL, "cancel", SCOPE_AGENDA, "X", "cancel the follow-up")                             \
    X(ACT_EDIT, "edit", SCOPE_COMPOSER, "i e", "edit the message in place (Esc to stop)")          \
    X(ACT_EDITOR, "editor", SCOPE_COMPOSER, "E", "edit the message in $EDITOR")                    \
    X(ACT_TEMPLATE, "template", SCOPE_COMPOSER, "t", "choose another template")                    \
    X(ACT_PREVIEW, "preview", SCOPE_COMPOSER, "p", "preview the next learner's message")           \
    X(ACT_DRAFT, "draft", SCOPE_COMPOSER, "d", "save as draft")                                    \
    X(ACT_QUEUE, "queue", SCOPE_COMPOSER, "y", "queue in the outbox")                              \
    X(ACT_APPROVE, "approve", SCOPE_OUTBOX, "y", "approve the draft (queue it for sending)")       \
    X(ACT_APPROVE_ALL, "approve-all", SCOPE_OUTBOX, "A", "approve every draft")                    \
    X(ACT_EDIT_MESSAGE, "edit-message", SCOPE_OUTBOX, "e", "edit the draft's text")                \
    X(ACT_SKIP, "skip", SCOPE_OUTBOX, "x", "skip the draft (never sent)")                          \
    X(ACT_RETRY, "retry", SCOPE_OUTBOX, "R", "queue a failed message again")

enum action {
    ACT_NONE,
#define ACT_X_ENUM(e, name, scope, keys, help) e,
    ACTION_LIST(ACT_X_ENUM)
#undef ACT_X_ENUM
        ACT_COUNT
};

struct keymap_action_info {
    const char *name, *keys, *help;
    enum scope scope;
};
/* The row of the list for a, or NULL for ACT_NONE / out of range. */
const struct keymap_action_info *keymap_action_info(enum action a);
/* The action named name ("page-down"), or ACT_NONE. */
enum action keymap_action_by_name(const char *name);

#endif
