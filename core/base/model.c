/* model.c — names of the enumerations, as stored in the database and shown to users (marked
 * N_: the interface translates them with _() where a person reads them). */
#include "base/model.h"

#include <string.h>

#include "base/i18n.h"

static int name_index(const char *const *names, int n, const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return i;
    return -1;
}

#define NAMES(arr) (arr), (int)(sizeof(arr) / sizeof(arr)[0])

static const char *const enroll_names[] = {N_("active"), N_("completed"), N_("withdrawn"),
                                           N_("failed")};
static const char *const milestone_names[] = {N_("progress"), N_("test"), N_("other")};
static const char *const channel_names[] = {N_("call"), N_("email"), N_("chat"), N_("meeting"),
                                            N_("note"), N_("sms"),   N_("video")};
const char *const model_checkin_outcomes[] = {N_("reached"),
                                              N_("no answer"),
                                              N_("left a message"),
                                              N_("replied"),
                                              N_("question"),
                                              N_("will resume"),
                                              N_("needs help"),
                                              N_("wants to stop"),
                                              N_("rescheduled"),
                                              N_("other"),
                                              NULL};
const char *const model_checkin_directions[] = {"out", "in", NULL};
static const char *const followup_names[] = {N_("planned"), N_("done"), N_("cancelled")};
static const char *const message_names[] = {N_("draft"), N_("queued"), N_("sending"), N_("sent"),
                                            N_("failed")};

int model_enroll_status_parse(const char *s)
{
    return name_index(NAMES(enroll_names), s);
}
const char *model_enroll_status_name(enum enroll_status st)
{
    return (unsigned)st < 4 ? enroll_names[st] : "active";
}
int model_milestone_kind_parse(const char *s)
{
    return name_index(NAMES(milestone_names), s);
}
const char *model_milestone_kind_name(enum milestone_kind k)
{
    return (unsigned)k < 3 ? milestone_names[k] : "other";
}
int model_checkin_channel_parse(const char *s)
{
    return name_index(NAMES(channel_names), s);
}
const char *model_checkin_channel_name(enum checkin_channel c)
{
    return (unsigned)c < CH_COUNT ? channel_names[c] : "note";
}
int model_checkin_outcome_parse(const char *s)
{
    int n = 0;
    while (model_checkin_outcomes[n])
        n++;
    return name_index(model_checkin_outcomes, n, s);
}
int model_checkin_direction_parse(const char *s)
{
    return name_index(model_checkin_directions, 2, s);
}
int model_followup_status_parse(const char *s)
{
    return name_index(NAMES(followup_names), s);
}
const char *model_followup_status_name(enum followup_status s)
{
    return (unsigned)s < 3 ? followup_names[s] : "planned";
}
int model_message_status_parse(const char *s)
{
    return name_index(NAMES(message_names), s);
}
const char *model_message_status_name(enum message_status s)
{
    return (unsigned)s < 5 ? message_names[s] : "draft";
}
