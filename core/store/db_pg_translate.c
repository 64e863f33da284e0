/* db_pg_translate.c — SQLite-dialect parameters (?N, ?) to PostgreSQL's ($N), outside the
 * text PostgreSQL's lexer does not read as code (db.h: db_pg_translate). Pure: no libpq. */
#include "store/db.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARAMS 32767

static bool ident_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '$' || (unsigned char)c >= 0x80;
}

/* The length of a dollar-quote tag at p ("$$" or "$name$"), or 0 when p starts none. */
static size_t dollar_tag(const char *p)
{
    size_t n = 1;
    if (isalpha((unsigned char)p[n]) || p[n] == '_' || (unsigned char)p[n] >= 0x80)
        while (isalnum((unsigned char)p[n]) || p[n] == '_' || (unsigned char)p[n] >= 0x80)
            n++;
    return p[n] == '$' ? n + 1 : 0;
}

/* Skips the quoted or commented text starting at p; returns the first byte after it, p when
 * none starts there, or NULL when it does not end (with the reason in why). */
static const char *skip_opaque(const char *start, const char *p, char *why, size_t whylen)
{
    if (*p == '\'' || *p == '"') {
        char q = *p;
        /* E'...': backslash escapes (E or e not ending an identifier). */
        bool esc = q == '\'' && p > start && (p[-1] == 'E' || p[-1] == 'e') &&
                   (p - 1 == start || !ident_char(p[-2]));
        for (p++; *p; p++) {
            if (esc && *p == '\\' && p[1]) {
                p++;
                continue;
            }
            if (*p == q) /* a doubled quote closes and reopens: the same walk */
                return p + 1;
        }
        snprintf(why, whylen, "unterminated %s", q == '\'' ? "string literal" : "quoted name");
        return NULL;
    }
    if (p[0] == '-' && p[1] == '-') {
        p += strcspn(p, "\n");
        return p;
    }
    if (p[0] == '/' && p[1] == '*') { /* PostgreSQL nests block comments */
        int depth = 1;
        for (p += 2; *p && depth; p++) {
            if (p[0] == '/' && p[1] == '*')
                depth++, p++;
            else if (p[0] == '*' && p[1] == '/')
                depth--, p++;
        }
        if (depth) {
            snprintf(why, whylen, "unterminated comment");
            return NULL;
        }
        return p;
    }
    if (*p == '$' && (p == start || !ident_char(p[-1]))) {
        size_t n = dollar_tag(p);
        if (!n)
            return p;
        const char *end = p + n;
        for (; *end; end++)
            if (*end == '$' && strncmp(end, p, n) == 0)
                return end + n;
        snprintf(why, whylen, "unterminated dollar-quoted text");
        return NULL;
    }
    return p;
}

char *db_pg_translate(const char *sql, int *nparams, char *why, size_t whylen)
{
    size_t marks = 0;
    for (const char *p = sql; *p; p++)
        marks += *p == '?';
    char *out = lcm_xmalloc(strlen(sql) + 5 * marks + 1);
    char *o = out;
    int max = 0;
    const char *p = sql;
    while (*p) {
        const char *q = skip_opaque(sql, p, why, whylen);
        if (!q) {
            free(out);
            return NULL;
        }
        if (q != p) {
            memcpy(o, p, (size_t)(q - p));
            o += q - p;
            p = q;
            continue;
        }
        if (*p != '?') {
            *o++ = *p++;
            continue;
        }
        long n;
        if (isdigit((unsigned char)p[1])) {
            char *end;
            n = strtol(p + 1, &end, 10);
            if (n < 1 || n > MAX_PARAMS) {
                snprintf(why, whylen, "parameter ?%ld out of range 1..%d", n, MAX_PARAMS);
                free(out);
                return NULL;
            }
            p = end;
        } else { /* a bare ?: one more than the largest so far, as SQLite numbers it */
            n = max + 1;
            if (n > MAX_PARAMS) {
                snprintf(why, whylen, "more than %d parameters", MAX_PARAMS);
                free(out);
                return NULL;
            }
            p++;
        }
        if (n > max)
            max = (int)n;
        o += sprintf(o, "$%ld", n);
    }
    *o = '\0';
    *nparams = max;
    return out;
}
