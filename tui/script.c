/* script.c — the headless key script (tig's test approach): tokens become keys fed to the
 * real dispatcher through io->key, and the screen is dumped as text through io->dump. */
#include "tui/script.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "tui/keymap.h"
#include "tui/tui_state.h"

/* Feeds one key and paints the frame after it, timing both into *stats. */
static void feed(struct tui *t, int key, const struct script_io *io, struct script_stats *stats)
{
    int64_t a = io->clock_us();
    io->key(t, key);
    io->frame(t);
    int64_t d = io->clock_us() - a;
    stats->keys++;
    stats->total_us += d;
    if (d > stats->worst_us)
        stats->worst_us = d;
}

/* A word: its characters are keys; "<Name>" inside it is one named key. Returns 0, or 1 on an
 * unknown key name (reported on stderr with lineno). */
static int feed_word(struct tui *t, const char *tok, int lineno, const struct script_io *io,
                     struct script_stats *stats)
{
    size_t n = strlen(tok);
    for (size_t i = 0; i < n && !t->quit;) {
        const char *close = tok[i] == '<' ? strchr(tok + i, '>') : NULL;
        if (close && close > tok + i + 1) {
            char name[64];
            size_t len = (size_t)(close - (tok + i)) + 1;
            if (len < sizeof name) {
                memcpy(name, tok + i, len);
                name[len] = '\0';
                int key = keymap_parse_key(name);
                if (key < 0) {
                    fprintf(stderr, "lcmtui: script line %d: unknown key %s\n", lineno, name);
                    return 1;
                }
                feed(t, key, io, stats);
                i += len;
                continue;
            }
        }
        uint32_t cp;
        size_t len = text_decode(tok + i, n - i, &cp);
        if (len == 0)
            len = 1, cp = (unsigned char)tok[i];
        feed(t, (int)cp, io, stats);
        i += len;
    }
    return 0;
}

int script_run(struct tui *t, FILE *in, const struct script_io *io, struct script_stats *stats)
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
                io->dump(stdout);
            } else if (sscanf(tok, "<Resize:%dx%d>", &c, &r) == 2) {
                io->resize(r, c);
                io->frame(t);
            } else if (feed_word(t, tok, lineno, io, stats) != 0) {
                return 1;
            }
        }
    }
    return 0;
}
