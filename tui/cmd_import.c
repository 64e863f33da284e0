/* cmd_import.c — `lcmtui import`: placeholder until core/import lands (issue 2). */
#include <stdio.h>

#include "cli.h"

int cmd_import(struct lcm_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fprintf(stderr, "lcmtui import: not built yet\n");
    return 1;
}
