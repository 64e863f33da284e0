/* form.c — modal form machinery: fields, key handling, layout (no curses). */
#include "tui/form.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/i18n.h"
#include "tui/keymap.h"
#include "base/text.h"
#include "tui/tui_state.h"

struct form *form_new(const char *title, form_submit_fn submit, form_change_fn change)
{
    struct form *f = lcm_xcalloc(1, sizeof *f);
    snprintf(f->title, sizeof f->title, "%s", title);
    f->submit = submit;
    f->change = change;
    f->msg_role = ROLE_DIM;
    snprintf(f->msg, sizeof f->msg, "%s",
             _("Enter save · Tab next field · ←/→ change · Esc cancel"));
    return f;
}

void form_free(struct form **fp)
{
    if (!fp || !*fp)
        return;
    struct form *f = *fp;
    for (int i = 0; i < f->n; i++) {
        for (int c = 0; c < f->f[i].nchoices; c++)
            free(f->f[i].choices[c]);
        if (f->f[i].kind == FIELD_TEXT)
            lineedit_free(&f->f[i].le);
    }
    free(f);
    *fp = NULL;
}

struct form_field *form_add_choice(struct form *f, const char *label, const char *const *choices,
                                   int selected)
{
    if (f->n >= FORM_MAX_FIELDS)
        return NULL;
    struct form_field *fl = &f->f[f->n++];
    snprintf(fl->label, sizeof fl->label, "%s", label);
    fl->kind = FIELD_CHOICE;
    for (int i = 0; choices && choices[i] && fl->nchoices < FORM_MAX_CHOICES; i++)
        fl->choices[fl->nchoices++] = lcm_xstrdup(choices[i]);
    fl->choice = selected >= 0 && selected < fl->nchoices ? selected : 0;
    return fl;
}

struct form_field *form_add_text(struct form *f, const char *label, const char *text)
{
    if (f->n >= FORM_MAX_FIELDS)
        return NULL;
    struct form_field *fl = &f->f[f->n++];
    snprintf(fl->label, sizeof fl->label, "%s", label);
    fl->kind = FIELD_TEXT;
    lineedit_init(&fl->le, text, false);
    fl->le.max = 2000;
    return fl;
}

void form_hint(struct form_field *fl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fl->hint, sizeof fl->hint, fmt, ap);
    va_end(ap);
}

void form_title(struct form *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->title, sizeof f->title, fmt, ap);
    va_end(ap);
}

void form_msg(struct form *f, enum role role, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->msg, sizeof f->msg, fmt, ap);
    va_end(ap);
    f->msg_role = role;
}

int form_choice(const struct form *f, int field)
{
    return field < f->n ? f->f[field].choice : 0;
}

int64_t form_choice_id(const struct form *f, int field)
{
    return field < f->n ? f->f[field].choice_ids[f->f[field].choice] : 0;
}

const char *form_text(const struct form *f, int field)
{
    return field < f->n && f->f[field].kind == FIELD_TEXT ? lineedit_text(&f->f[field].le) : "";
}

/* A key in a text field: cursor moves, deletions, kills, text. Returns whether it changed. */
static bool edit_text(struct lineedit *le, int key)
{
    if (keymap_is_backspace(key))
        return lineedit_backspace(le);
    if (keymap_is_delete(key) || key == 4)
        return lineedit_delete(le);
    if (key == keymap_named_key("Left") || key == 2)
        return lineedit_left(le), false;
    if (key == keymap_named_key("Right") || key == 6)
        return lineedit_right(le), false;
    if (key == keymap_named_key("Home") || key == 1)
        return lineedit_home(le), false;
    if (key == keymap_named_key("End") || key == 5)
        return lineedit_end(le), false;
    if (key == 23)
        return lineedit_kill_word(le);
    if (key == 21)
        return lineedit_kill_to_start(le);
    if (key == 11)
        return lineedit_kill_to_end(le);
    if (!KEY_IS_FN(key) && key >= 0x20)
        return lineedit_insert_cp(le, (uint32_t)key);
    return false;
}

bool form_key(struct form *f, struct tui *t, int key, bool *saved)
{
    *saved = false;
    if (f->n == 0)
        return true;
    struct form_field *fl = &f->f[f->cur];
    bool changed = false;
    if (key == 27) {
        if (!f->touched || (f->esc_key && f->esc_key + 1 == t->keyno))
            return true;
        f->esc_key = t->keyno;
        form_msg(f, ROLE_RISK_WATCH, "%s", _("what you typed will be lost: Esc again cancels"));
        return false;
    }
    if (keymap_is_enter(key)) {
        struct lcm_err err = {0};
        if (f->change)
            f->change(t, f);
        enum lcm_status rc = f->submit ? f->submit(t, f, &err) : LCM_OK;
        if (rc == LCM_OK) {
            *saved = true;
            return true;
        }
        form_msg(f, rc == LCM_ERR_CONFLICT ? ROLE_RISK_WATCH : ROLE_ERROR, "%s",
                 err.msg[0] ? err.msg : lcm_status_str(rc));
        f->confirm = rc == LCM_ERR_CONFLICT;
        return false;
    }
    if (key == '\t' || key == keymap_named_key("Down")) {
        f->cur = (f->cur + 1) % f->n;
    } else if (key == keymap_named_key("S-Tab") || key == keymap_named_key("Up")) {
        f->cur = (f->cur + f->n - 1) % f->n;
    } else if (fl->kind == FIELD_CHOICE) {
        if (key == keymap_named_key("Right") || key == ' ' || key == 'l')
            fl->choice = (fl->choice + 1) % fl->nchoices, changed = true;
        else if (key == keymap_named_key("Left") || key == 'h')
            fl->choice = (fl->choice + fl->nchoices - 1) % fl->nchoices, changed = true;
        else if (!KEY_IS_FN(key) && key > ' ') {
            /* a letter jumps to the next choice starting with it */
            for (int i = 1; i <= fl->nchoices; i++) {
                int c = (fl->choice + i) % fl->nchoices;
                if ((fl->choices[c][0] | 0x20) == (key | 0x20)) {
                    fl->choice = c;
                    changed = true;
                    break;
                }
            }
        }
    } else {
        changed = edit_text(&fl->le, key);
    }
    if (changed) {
        f->confirm = false;
        f->touched = true;
        if (f->change)
            f->change(t, f);
    }
    return false;
}

void form_recalc(const struct form *f, struct rbuf *rb, int cols)
{
    rich_buf_clear(rb);
    struct rline *l = rich_buf_line(rb, ROLE_TITLE);
    rich_line_add(l, ROLE_TITLE, " ");
    rich_line_data(l, ROLE_TITLE, f->title, cols - 1, true);
    rich_buf_line(rb, ROLE_NORMAL);
    int labw = 12; /* the widest label and a space ("Fuseau horaire"), within a third */
    for (int i = 0; i < f->n; i++)
        if (text_width(f->f[i].label) + 1 > labw)
            labw = text_width(f->f[i].label) + 1;
    if (labw > cols / 3)
        labw = cols / 3 > 12 ? cols / 3 : 12;
    for (int i = 0; i < f->n; i++) {
        const struct form_field *fl = &f->f[i];
        bool cur = i == f->cur;
        l = rich_buf_line(rb, ROLE_NORMAL);
        rich_line_add(l, cur ? ROLE_ACCENT : ROLE_NORMAL, cur ? "> " : "  ");
        rich_line_data(l, cur ? ROLE_ACCENT : ROLE_NORMAL, fl->label, labw, true);
        int room = cols - 2 - labw - 1;
        if (fl->kind == FIELD_CHOICE) {
            char buf[256];
            snprintf(buf, sizeof buf, "< %s >", fl->nchoices ? fl->choices[fl->choice] : "");
            rich_line_data(l, cur ? ROLE_INPUT : ROLE_NORMAL, buf, room, false);
        } else {
            const char *txt = lineedit_text(&fl->le);
            /* scroll so the cursor stays visible */
            int cw = 0;
            char *before = lcm_xmalloc(fl->le.cur + 1);
            memcpy(before, txt, fl->le.cur);
            before[fl->le.cur] = '\0';
            cw = text_width(before);
            free(before);
            int skip = cw >= room ? cw - room + 1 : 0;
            const char *vis = txt + text_col_offset(txt, skip);
            rich_line_data(l, cur ? ROLE_INPUT : ROLE_NORMAL, vis, room, cur);
            if (cur) {
                rb->cursor_y = (int)rb->n - 1;
                rb->cursor_x = 2 + labw + cw - skip;
            }
        }
        if (fl->hint[0]) {
            l = rich_buf_line(rb, ROLE_NORMAL);
            rich_line_pad_to(l, ROLE_NORMAL, 2 + labw);
            rich_line_data(l, ROLE_DIM, fl->hint, cols - 2 - labw, false);
        }
    }
    rich_buf_line(rb, ROLE_NORMAL);
    l = rich_buf_line(rb, ROLE_NORMAL);
    rich_line_add(l, ROLE_NORMAL, " ");
    rich_line_data(l, f->msg_role, f->msg, cols - 2, false);
}
