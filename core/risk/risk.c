/* risk.c — the names of the signals and levels: the bottom of core/risk, which the other risk
 * files use and which calls none of them. */

#include "risk/risk.h"

#include "base/i18n.h"

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

const char *risk_level_label(int level)
{
    static const char *const labels[] = {N_("ok"), N_("watch"), N_("at risk")};
    return _(labels[level >= RISK_AT_RISK ? 2 : level == RISK_WATCH ? 1 : 0]);
}

static const char *const group_names[RG_COUNT] = {
#define RISK_X_GNAME(e, name, mask) name,
    RISK_GROUP_LIST(RISK_X_GNAME)
#undef RISK_X_GNAME
};

static const unsigned group_masks[RG_COUNT] = {
#define RISK_X_GMASK(e, name, mask) mask,
    RISK_GROUP_LIST(RISK_X_GMASK)
#undef RISK_X_GMASK
};

enum risk_group risk_signal_group(enum risk_signal s)
{
    for (int g = 0; g < RG_COUNT; g++)
        if ((unsigned)s < RS_COUNT && (group_masks[g] & 1u << s))
            return (enum risk_group)g;
    return RG_ENGAGEMENT; /* not reached: every signal is in a group (tests check it) */
}

const char *risk_group_name(enum risk_group g)
{
    return (unsigned)g < RG_COUNT ? group_names[g] : "?";
}
