/* fuzz_xapi.c — an LRS page through the same two passes the sync uses: scan the
 * StatementResult, then parse each statement with src_xapi_parse_stmt(); and the ISO 8601
 * time and duration readers on the same bytes. */
#include "fuzz.h"

#include <jansson.h>

#include "sync/src_xapi_parse.h"

static enum lcm_status one(void *ctx, const json_t *stmt, size_t index, struct lcm_err *err)
{
    (void)err;
    size_t *n = ctx;
    FUZZ_ASSERT(index == *n);
    (*n)++;
    struct xapi_stmt st;
    const char *missing = NULL;
    if (src_xapi_parse_stmt(stmt, &st, &missing)) {
        FUZZ_ASSERT(st.id && st.verb && st.object_id);
        FUZZ_ASSERT(st.n_ctx >= 0 && st.n_ctx <= XAPI_CTX_MAX);
        FUZZ_ASSERT(memchr(st.actor_key, '\0', sizeof st.actor_key));
        FUZZ_ASSERT(st.progress <= 1.0);
        FUZZ_ASSERT(st.score <= 100.0);
    } else {
        FUZZ_ASSERT(missing);
    }
    return LCM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct xapi_page page;
    struct lcm_err err = {0};
    if (src_xapi_parse_page_scan((const char *)data, size, &page, "lrs", "https://lrs.example/x",
                                 &err) == LCM_OK) {
        FUZZ_ASSERT(memchr(page.more, '\0', sizeof page.more));
        size_t n = 0;
        src_xapi_parse_page_each(&page, one, &n, "lrs", "https://lrs.example/x", &err);
    }
    if (size < 200) {
        char *s = fuzz_str(data, size);
        int64_t ms;
        double secs;
        char buf[64];
        if (src_xapi_parse_time(s, &ms))
            src_xapi_parse_time_format(ms, buf, sizeof buf);
        if (src_xapi_parse_duration(s, &secs))
            FUZZ_ASSERT(secs >= 0);
        free(s);
    }
    return 0;
}
