/* fuzz_moodle.c — a Moodle web-service answer through the sync's entry: the JSON parse
 * (sync_job_json_parse) then Moodle's error object (src_moodle_check_error). A refused answer
 * always says why in one line naming the URL. */
#include "fuzz.h"

#include <jansson.h>

#include "sync/src_moodle.h"
#include "sync/sync_job.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *url = "https://lms.example/webservice/rest/server.php?wstoken=REDACTED";
    json_t *v = NULL;
    struct lcm_err err = {0};
    enum lcm_status rc = sync_job_json_parse("moodle", url, (const char *)data, size, &v, &err);
    if (rc == LCM_OK) {
        FUZZ_ASSERT(v);
        memset(&err, 0, sizeof err);
        rc = src_moodle_check_error(v, url, &err);
        json_decref(v);
    }
    if (rc != LCM_OK) {
        FUZZ_ASSERT(err.msg[0]);
        FUZZ_ASSERT(!strchr(err.msg, '\n') && !strchr(err.msg, '\r'));
    }
    return 0;
}
