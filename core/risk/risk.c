/* risk.c — the names of the signals and levels: the bottom of core/risk, which the other risk
 * files use and which calls none of them. */

#include "risk/risk.h"

static const char *const signal_names[RS_COUNT] = {
#define RISK_X_NAME(e, name) name,
    RISK_SIGNAL_LIST(RISK_X_NAME)
#undef RISK_X_NAME
};

const char *risk_signal_name(enum risk_signal s)
{
    return (unsigned)s < RS_COUNT ? signal_names[s] : "?";
}

const char *risk_level_name(int level)
{
    return level >= RISK_AT_RISK ? "at risk" : level == RISK_WATCH ? "watch" : "ok";
}
