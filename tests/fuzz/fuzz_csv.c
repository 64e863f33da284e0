/* fuzz_csv.c — the CSV reader (libcsv under csvread_buffer) with each separator and with
 * detection: every record it hands over has its fields NUL-terminated at their lengths. */
#include "fuzz.h"

#include "base/text.h"
#include "import/csvread.h"

static enum lcm_status on_rec(void *ctx, const struct csv_record *rec, int header,
                              struct lcm_err *err)
{
    (void)header;
    (void)err;
    long *n = ctx;
    FUZZ_ASSERT(rec->n >= 0 && rec->line >= 1);
    for (int i = 0; i < rec->n; i++) {
        FUZZ_ASSERT(rec->fields[i] && strlen(rec->fields[i]) <= rec->lens[i]);
        FUZZ_ASSERT(text_valid(rec->fields[i], rec->lens[i])); /* csvread.h promises it */
    }
    return ++*n > 100000 ? LCM_ERR_INVALID : LCM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static const char seps[] = {0, ',', ';', '\t'};
    char sep = seps[data[0] % 4];
    long n = 0;
    struct lcm_err err = {0};
    enum lcm_status rc =
        csvread_buffer("fuzz.csv", (const char *)data + 1, size - 1, sep, on_rec, &n, &err);
    if (rc != LCM_OK)
        FUZZ_ASSERT(strncmp(err.msg, "fuzz.csv", 8) == 0 || rc == LCM_ERR_INVALID);
    char d = csvread_detect_sep((const char *)data + 1, size - 1);
    FUZZ_ASSERT(d == ',' || d == ';' || d == '\t');
    return 0;
}
