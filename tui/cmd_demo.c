/* cmd_demo.c — `lcmtui demo`: placeholder until core/demo lands (issue 2). */
#include <stdio.h>

#include "cli.h"

int cmd_demo(struct lcm_app *app, int argc, char **argv)
{
    (void)app;
    (void)argc;
    (void)argv;
    fprintf(stderr, "lcmtui demo: not built yet\n");
    return 1;
}
