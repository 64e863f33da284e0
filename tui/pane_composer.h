/* pane_composer.h — the message composer: a template filled from the learner, edited in place
 * or in $EDITOR, previewed, saved as a draft or queued. */
#ifndef LCM_PANE_COMPOSER_H
#define LCM_PANE_COMPOSER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pane;
struct tui;

/* Makes p the composer pane (its state is freed by its free op). */
void pane_composer_init(struct pane *p, struct tui *t);
/* Opens the composer for ids (n enrollments) on template tpl (NULL: the default for the first
 * learner: a nudge when inactive, a congratulation when a milestone is pending). */
void pane_composer_open(struct tui *t, const int64_t *ids, size_t n, const char *tpl);
/* Opens the composer on stored message id (a draft or queued one): d saves the edited text
 * (store_message_edit), y saves it and approves it. */
void pane_composer_edit(struct tui *t, int64_t message_id);

/* Opens the composer in reply mode on question question_id (msg/inbox.h): "Re:" subject, the
 * question quoted under an attribution line, the cursor above it; y queues it (d: a draft)
 * through inbox_reply_body, Esc (not editing) cancels without change. */
void pane_composer_reply(struct tui *t, int64_t question_id);

/* What would replace the composer's text. */
enum composer_discard {
    COMPOSER_DISCARD_OPEN = 1, /* a new message (m, C, e in the outbox) */
    COMPOSER_DISCARD_TEMPLATE, /* another template (t) */
    COMPOSER_DISCARD_QUIT      /* leaving lcmtui */
};
/* Before discarding the composer's edited, unsaved text: true (keep it, do nothing) after
 * asking on the status line; false when nothing is lost or the key just before asked for the
 * same (the second press confirms). */
bool pane_composer_keep(struct tui *t, enum composer_discard what);

#endif
