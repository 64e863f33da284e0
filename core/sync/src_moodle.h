/* src_moodle.h — private to core/sync: the Moodle web services source (REST protocol, JSON format).
 *
 * Calls POST {url}/webservice/rest/server.php with wstoken, wsfunction and
 * moodlewsrestformat=json: core_webservice_get_site_info (check), core_course_get_courses,
 * core_enrol_get_enrolled_users (paged with limitfrom/limitnumber), and, for each learner
 * whose lastcourseaccess changed since the last sync, core_enrol_get_users_courses (progress,
 * completed) and core_completion_get_activities_completion_status (milestones), in parallel.
 * After a course's complete listing, its active enrolments that were not listed become
 * withdrawn (a listing of no learner at all withdraws nothing).
 * Moodle has no time-spent or daily log service: the daily history is what each sync
 * observes — a lastcourseaccess that changed marks that day active (one session, one action). */
#ifndef LCM_SRC_MOODLE_H
#define LCM_SRC_MOODLE_H

#include <jansson.h>

#include "sync/sync_source.h"

/* check: tests the connection and the token (core_webservice_get_site_info), reports the
 * site; sync: courses, learners, enrolments, progress, completion and the day of last access. */
extern const struct sync_source_ops src_moodle_ops;

/* Turns a Moodle error object ({exception, errorcode, message}, sent with HTTP 200) into
 * "moodle: ERRORCODE: MESSAGE (URL)": LCM_ERR_AUTH for token and access errors, else
 * LCM_ERR_REMOTE. Returns LCM_OK when v is not such an object. */
enum lcm_status src_moodle_check_error(const json_t *v, const char *url, struct lcm_err *err);

#endif
