/* actions.h — every user action, declared once: enum, config name, scope, default keys, help.
 *
 * The help overlay, the `keys` config parser and the dispatcher are all generated from this
 * list. Scope GLOBAL actions work in every pane unless a pane binds the same key to its own
 * action (per-pane keymaps fall back to the global one). Keys use the names keymap.c parses:
 * a character, or <Enter> <Tab> <S-Tab> <Space> <Esc> <BS> <Del> <Up> <Down> <Left> <Right>
 * <Home> <End> <PgUp> <PgDn> <F1>..<F12> <C-a>..<C-z>, separated by spaces. The help is
 * N_-marked: the help overlay translates it. */
#ifndef LCM_ACTIONS_H
#define LCM_ACTIONS_H

#include "base/i18n.h"

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
    X(ACT_DOWN, "down", SCOPE_GLOBAL, "j <Down>", N_("move down"))                                 \
    X(ACT_UP, "up", SCOPE_GLOBAL, "k <Up>", N_("move up"))                                         \
    X(ACT_TOP, "top", SCOPE_GLOBAL, "g <Home>", N_("go to the first line"))                        \
    X(ACT_BOTTOM, "bottom", SCOPE_GLOBAL, "G <End>", N_("go to the last line"))                    \
    X(ACT_PAGE_DOWN, "page-down", SCOPE_GLOBAL, "<PgDn> <C-f>", N_("next page"))                   \
    X(ACT_PAGE_UP, "page-up", SCOPE_GLOBAL, "<PgUp> <C-b>", N_("previous page"))                   \
    X(ACT_NEXT_PANE, "next-pane", SCOPE_GLOBAL, "<Tab>", N_("next pane"))                          \
    X(ACT_PREV_PANE, "prev-pane", SCOPE_GLOBAL, "<S-Tab>", N_("previous pane"))                    \
    X(ACT_OPEN, "open", SCOPE_GLOBAL, "<Enter>", N_("open the learner's detail"))                  \
    X(ACT_SEARCH, "search", SCOPE_GLOBAL, "/", N_("search by name or e-mail (a new search)"))      \
    X(ACT_FILTER, "filter", SCOPE_GLOBAL, "f", N_("filter by cohort and level"))                   \
    X(ACT_SORT, "sort", SCOPE_GLOBAL, "o", N_("change the sort order"))                            \
    X(ACT_SHOW_SNOOZED, "show-snoozed", SCOPE_GLOBAL, "x", N_("show or hide snoozed learners"))    \
    X(ACT_IDLE, "idle", SCOPE_OVERVIEW, "I",                                                       \
      N_("only the learners idle for tui.idle_days (21) days or more; again: all"))                \
    X(ACT_EVERYONE, "everyone", SCOPE_OVERVIEW, "e",                                               \
      N_("my learners or everyone's (the unassigned always show)"))                                \
    X(ACT_ASSIGN, "assign", SCOPE_OVERVIEW, "A",                                                   \
      N_("assign the learner (or the selected ones) to an LCM"))                                   \
    X(ACT_SELECT, "select", SCOPE_GLOBAL, "<Space>",                                               \
      N_("select a learner (messages for several)"))                                               \
    X(ACT_CHECKIN, "checkin", SCOPE_GLOBAL, "c", N_("log a check-in (call, email, note...)"))      \
    X(ACT_MESSAGE, "message", SCOPE_GLOBAL, "m", N_("write a message from a template"))            \
    X(ACT_CELEBRATE, "celebrate", SCOPE_GLOBAL, "C",                                               \
      N_("congratulate (composer on the milestone)"))                                              \
    X(ACT_REPLY, "reply", SCOPE_GLOBAL, "R",                                                       \
      N_("reply to the learner's question (overview: the oldest one, shown above the list)"))      \
    X(ACT_CLOSE_QUESTION, "close-question", SCOPE_GLOBAL, "W",                                     \
      N_("close the question: no reply needed (W twice)"))                                         \
    X(ACT_FORWARD, "forward", SCOPE_GLOBAL, "F", N_("forward the question to the trainer"))        \
    X(ACT_SCHEDULE, "schedule", SCOPE_GLOBAL, "s", N_("schedule a one-on-one call"))               \
    X(ACT_SNOOZE, "snooze", SCOPE_GLOBAL, "z", N_("snooze the flag with a reason"))                \
    X(ACT_AGENDA, "agenda", SCOPE_GLOBAL, "a", N_("follow-up agenda"))                             \
    X(ACT_KPI, "kpi", SCOPE_GLOBAL, "K", N_("key figures and trends of the cohort in view"))       \
    X(ACT_OUTBOX, "outbox", SCOPE_GLOBAL, "O",                                                     \
      N_("outbox: drafts to approve, queued, failed, sent"))                                       \
    X(ACT_SYNC, "sync", SCOPE_GLOBAL, "S", N_("synchronise the LMS now"))                          \
    X(ACT_HELP, "help", SCOPE_GLOBAL, "? <F1>", N_("this help"))                                   \
    X(ACT_REDRAW, "redraw", SCOPE_GLOBAL, "<C-l>", N_("redraw the screen"))                        \
    X(ACT_BACK, "back", SCOPE_GLOBAL, "q", N_("back; quit from the overview"))                     \
    X(ACT_QUIT, "quit", SCOPE_GLOBAL, "Q", N_("quit lcmtui"))                                      \
    X(ACT_DONE, "done", SCOPE_AGENDA, "d",                                                         \
      N_("mark the follow-up done (opens the check-in form)"))                                     \
    X(ACT_RESCHEDULE, "reschedule", SCOPE_AGENDA, "r", N_("reschedule the follow-up"))             \
    X(ACT_CANCEL, "cancel", SCOPE_AGENDA, "X", N_("cancel the follow-up"))                         \
    X(ACT_INVITE, "invite", SCOPE_AGENDA, "i",                                                     \
      N_("e-mail the learner the call's invitation (outbox)"))                                     \
    X(ACT_NEW_EVENT, "new-event", SCOPE_AGENDA, "E",                                               \
      N_("a group event for a cohort: an invitation to each learner (outbox)"))                    \
    X(ACT_EDIT, "edit", SCOPE_COMPOSER, "i e", N_("edit the message in place (Esc to stop)"))      \
    X(ACT_EDITOR, "editor", SCOPE_COMPOSER, "E", N_("edit the message in $EDITOR"))                \
    X(ACT_TEMPLATE, "template", SCOPE_COMPOSER, "t", N_("choose another template"))                \
    X(ACT_PREVIEW, "preview", SCOPE_COMPOSER, "p", N_("preview the next learner's message"))       \
    X(ACT_DRAFT, "draft", SCOPE_COMPOSER, "d", N_("save as draft"))                                \
    X(ACT_QUEUE, "queue", SCOPE_COMPOSER, "y", N_("queue in the outbox"))                          \
    X(ACT_APPROVE, "approve", SCOPE_OUTBOX, "y", N_("approve the draft (queue it for sending)"))   \
    X(ACT_APPROVE_ALL, "approve-all", SCOPE_OUTBOX, "A", N_("approve every draft"))                \
    X(ACT_EDIT_MESSAGE, "edit-message", SCOPE_OUTBOX, "e", N_("edit the draft's text"))            \
    X(ACT_SKIP, "skip", SCOPE_OUTBOX, "x", N_("skip the draft (never sent)"))                      \
    X(ACT_RETRY, "retry", SCOPE_OUTBOX, "R", N_("queue a failed message again"))                   \
    X(ACT_TO_DRAFT, "to-draft", SCOPE_OUTBOX, "u",                                                 \
      N_("back to draft (undo y or x; a queued or skipped one)"))                                  \
    X(ACT_SHOW_SKIPPED, "show-skipped", SCOPE_OUTBOX, "v", N_("show or hide skipped messages"))

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
