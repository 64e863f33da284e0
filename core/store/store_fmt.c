/* store_fmt.c — numbers as text for the bulk paths (see store_fmt.h). */
#include "store/store_fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

char *store_fmt_int(char out[STORE_FMT_LEN], int64_t v)
{
    char tmp[STORE_FMT_LEN];
    size_t n = 0;
    /* the magnitude as unsigned: -INT64_MIN does not fit an int64_t */
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    size_t o = 0;
    if (v < 0)
        out[o++] = '-';
    while (n)
        out[o++] = tmp[--n];
    out[o] = '\0';
    return out;
}

char *store_fmt_real(char out[STORE_FMT_LEN], double v)
{
    /* r / 1000 is the double nearest the decimal r/1000 (division rounds correctly), so when
     * it equals v that decimal reads back as v; its digits come from the integer r. */
    double r = nearbyint(v * 1000.0);
    if (isfinite(v) && fabs(r) < 1e15 && r / 1000.0 == v && !(v == 0 && signbit(v))) {
        int64_t i = (int64_t)r;
        char digits[STORE_FMT_LEN];
        store_fmt_int(digits, i < 0 ? -i : i);
        size_t nd = strlen(digits), o = 0;
        if (i < 0)
            out[o++] = '-';
        if (nd <= 3) { /* 0.xyz */
            out[o++] = '0';
            out[o++] = '.';
            for (size_t k = nd; k < 3; k++)
                out[o++] = '0';
            memcpy(out + o, digits, nd);
            o += nd;
        } else {
            memcpy(out + o, digits, nd - 3);
            o += nd - 3;
            out[o++] = '.';
            memcpy(out + o, digits + nd - 3, 3);
            o += 3;
        }
        while (out[o - 1] == '0') /* the shortest: no trailing zeros, nor a bare point */
            o--;
        if (out[o - 1] == '.')
            o--;
        out[o] = '\0';
        return out;
    }
    snprintf(out, STORE_FMT_LEN, "%.17g", v);
    return out;
}
