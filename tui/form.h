/* form.h — modal forms over the panes: a few fields (choices and one-line text editors), a
 * message line, Enter to save, Esc to cancel. The forms themselves (check-in, schedule,
 * snooze, filter) are in forms.c; this is the machinery, pure (draw.c paints form_recalc's
 * lines). */
#ifndef LCM_FORM_H
#define LCM_FORM_H

#include <stdbool.h>
#include <stdint.h>

#include "tui/lineedit.h"
#include "tui/rich.h"
#include "base/status.h"

struct tui;
struct form;

enum field_kind { FIELD_CHOICE, FIELD_TEXT };

#define FORM_MAX_FIELDS 8
#define FORM_MAX_CHOICES 64

struct form_field {
    char label[32];
    enum field_kind kind;
    char *choices[FORM_MAX_CHOICES]; /* owned */
    int64_t choice_ids[FORM_MAX_CHOICES];
    int nchoices, choice;
    struct lineedit le;
    char hint[512]; /* shown under the field (parsed date, clash...) */
};

/* Saves the form: LCM_OK closes it; an error keeps it open with err on its message line. */
typedef enum lcm_status (*form_submit_fn)(struct tui *t, struct form *f, struct lcm_err *err);
/* Called after every edit (live hints: the parsed date, a clash). May be NULL. */
typedef void (*form_change_fn)(struct tui *t, struct form *f);
/* Called by a form's submit once it saved, for whoever opened the form (with the context it
 * gave), so a form never names the pane that opened it. */
typedef void (*form_done_fn)(struct tui *t, struct form *f, void *ctx);

struct form {
    char title[256];
    struct form_field f[FORM_MAX_FIELDS];
    int n, cur;
    char msg[512];
    enum role msg_role;
    form_submit_fn submit;
    form_change_fn change;
    form_done_fn done; /* NULL: nobody to tell */
    void *done_ctx;
    bool confirm;          /* a warning was shown: the next Enter saves anyway */
    bool touched;          /* the user changed a field: Esc asks before discarding it */
    unsigned long esc_key; /* Esc asked at this key (struct tui's keyno): Esc again cancels */
    int64_t enrollment_id, learner_id, followup_id;
    int64_t when_ts; /* parsed by change callbacks */
    int duration;
    int64_t clash_id;
};

/* A new empty form (caller sets fields). Free with form_free(). */
struct form *form_new(const char *title, form_submit_fn submit, form_change_fn change);
void form_free(struct form **f);
/* Adds fields; choices is a NULL-terminated list copied into the form. */
struct form_field *form_add_choice(struct form *f, const char *label, const char *const *choices,
                                   int selected);
struct form_field *form_add_text(struct form *f, const char *label, const char *text);

/* printf into a field's hint / the form's title / its message line (truncating quietly). */
void form_hint(struct form_field *fl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void form_title(struct form *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void form_msg(struct form *f, enum role role, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

int form_choice(const struct form *f, int field);
int64_t form_choice_id(const struct form *f, int field);
const char *form_text(const struct form *f, int field);

/* Feeds a key: returns true when the form is finished (saved or cancelled); *saved tells
 * which. Keys: Tab/Down/Up move, Left/Right/Space change a choice, text keys edit, Enter
 * saves, Esc cancels (asked first once a field was changed: Esc again cancels). */
bool form_key(struct form *f, struct tui *t, int key, bool *saved);
/* Lays the form out into rb for a box cols wide (pure); rb->cursor_* on the text field. */
void form_recalc(const struct form *f, struct rbuf *rb, int cols);

#endif
