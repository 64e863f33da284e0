/* fuzz_template.c — template_render_text() and template_placeholders() on any template text,
 * with hostile values: the subject never holds a line break. */
#include "fuzz.h"

#include "msg/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_str(data, size);
    const struct tpl_var vars[] = {
        {"first_name", "Hélène\r\nBcc: x@y"}, {"last_name", "Dupré"}, {"progress", "75"},
        {"lcm_name", "\x1b[31mClaire"},       {"empty", ""},          {"days_inactive", "21"}};
    char *subject = NULL, *body = NULL;
    struct lcm_err err = {0};
    if (template_render_text("fuzz.txt", s, vars, sizeof vars / sizeof *vars, &subject, &body,
                             &err) == LCM_OK) {
        FUZZ_ASSERT(subject && body);
        FUZZ_ASSERT(!strchr(subject, '\n') && !strchr(subject, '\r'));
    } else {
        FUZZ_ASSERT(!subject && !body);
    }
    free(subject);
    free(body);
    char **names = NULL;
    if (template_placeholders(s, &names, &err) == LCM_OK)
        template_list_free(&names);
    free(s);
    return 0;
}
