/* script.c — the headless key script (tig's test approach): tokens become keys fed to the
 * real dispatcher, and the screen is dumped as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "tui/tui_internal.h"

static void feed(struct tui *t, int key, tui_frame_fn frame, long *keys, int64_t *worst,
                 int64_t *total, tui_clock_fn clock_us)
{
    int64_t a = clock_us();
    tui_key(t, key);
    if (t->editor_path[0]) /* no editor in headless runs: the text stays as it was */
        tui_editor_done(t);
    frame(t);
    int64_t d = clock_us() - a;
    (*keys)++;
    *total += d;
    if (d > *worst)
        *worst = d;
}

int tui_script_run(struct tui *t, FILE *in, tui_dump_fn dump, tui_frame_fn frame, long *keys,
                   int64_t *worst_us, int64_t *total_us, tui_clock_fn clock_us)
{
    char line[4096];
    int lineno = 0;
    while (!t->quit && fgets(line, sizeof line, in)) {
        lineno++;
        if (line[0] == '#')
            continue;
        char *save = NULL;
        for (char *tok = strtok_r(line, " \t\r\n", &save); tok && !t->quit;
             tok = strtok_r(NULL, " \t\r\n", &save)) {
            int r, c;
            if (strcmp(tok, "<Dump>") == 0) {
                dump(stdout);
            } else if (sscanf(tok, "<Resize:%dx%d>", &c, &r) == 2) {
                tui_resize(r, c);
                frame(t);
            } else {
                /* a word: its characters are keys; "<Name>" inside it is one named key */
                size_t n = strlen(tok);
                for (size_t i = 0; i < n && !t->quit;) {
                    char *close = tok[i] == '<' ? strchr(tok + i, '>') : NULL;
                    if (close && close > tok + i + 1) {
                        char name[64];
                        size_t len = (size_t)(close - (tok + i)) + 1;
                        if (len < sizeof name) {
                            memcpy(name, tok + i, len);
                            name[len] = '\0';
                            int key = keymap_parse_key(name);
                            if (key < 0) {
                                fprintf(stderr, "lcmtui: script line %d: unknown key %s\n", lineno,
                                        name);
                                return 1;
                            }
                            feed(t, key, frame, keys, worst_us, total_us, clock_us);
                            i += len;
                            continue;
                        }
                    }
                    uint32_t cp;
                    size_t len = text_decode(tok + i, n - i, &cp);
                    if (len == 0)
                        len = 1, cp = (unsigned char)tok[i];
                    feed(t, (int)cp, frame, keys, worst_us, total_us, clock_us);
                    i += len;
                }
            }
        }
    }
    return 0;
}
