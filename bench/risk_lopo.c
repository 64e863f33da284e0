/* risk_lopo.c — the evaluation behind the risk defaults (bench/risk_lopo.sh builds and runs it).
 *
 * Reads settings from stdin, one a line ("key=value key=value", keys of the config `risk`
 * group; an empty line: the defaults), and for each scores every database given at the
 * weekly cuts 14..112 days after each cohort's start, exactly as `lcmtui risk eval --at D`
 * does (risk_eval_collect). Prints, per setting and database, one line per cut when $V is
 * set (AUC, the best single-signal AUC, the at-risk share, precision and recall) and a summary
 * line: mean AUC over the cuts, day 28 and 56, the worst margin over the best single signal,
 * the largest fall at a later cut, the largest at-risk share, the mean at-risk precision. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/config.h"
#include "base/day.h"
#include "risk/risk.h"
#include "risk/risk_eval.h"
#include "store/store.h"

/* which: -1 the score, -2 days inactive, -3 total activity (less is riskier), else a signal. */
static double auc_of(const struct risk_sample *s, size_t n, int which)
{
    double *sc = malloc((n ? n : 1) * sizeof *sc);
    bool *y = malloc((n ? n : 1) * sizeof *y);
    for (size_t i = 0; i < n; i++) {
        y[i] = s[i].positive;
        sc[i] = which == -1   ? s[i].score
                : which == -2 ? s[i].days_inactive
                : which == -3 ? -s[i].total_activity
                              : s[i].sev[which];
    }
    double a = risk_eval_auc(sc, y, n);
    free(sc);
    free(y);
    return a;
}

static const char *base_name(int which)
{
    return which == -2 ? "days-inactive" : which == -3 ? "activity" : risk_signal_name(which);
}

/* "k=v k=v" -> "risk: { k = v; k = v; };" */
static void config_text(const char *line, char *text, size_t len)
{
    char copy[4096];
    snprintf(copy, sizeof copy, "%s", line);
    size_t o = (size_t)snprintf(text, len, "risk: {");
    for (char *tok = strtok(copy, " "); tok && o < len; tok = strtok(NULL, " ")) {
        char *eq = strchr(tok, '=');
        if (!eq)
            continue;
        *eq = '\0';
        o += (size_t)snprintf(text + o, len - o, " %s = %s;", tok, eq + 1);
    }
    if (o < len)
        snprintf(text + o, len - o, " };\n");
}

static int evaluate(struct lcm_store *st, const char *name, const struct risk_params *p,
                    bool verbose)
{
    double sum = 0, a28 = 0, a56 = 0, mingap = 9, maxdrop = 0, maxshare = 0, psum = 0, best = 0;
    int nc = 0;
    struct lcm_err err = {0};
    for (int T = 14; T <= 112; T += 7) {
        struct risk_at at = {DAY_NONE, T};
        struct risk_sample *s = NULL;
        size_t n = 0;
        if (risk_eval_collect(st, p, NULL, 0, at, &s, &n, &err) != LCM_OK) {
            fprintf(stderr, "risk_lopo: %s: %s\n", name, err.msg);
            return 1;
        }
        double a = auc_of(s, n, -1), bb = auc_of(s, n, -2);
        int bw = -2;
        for (int k = -3; k < RS_COUNT; k++) {
            double t = k == -2 || k == -1 ? -1 : auc_of(s, n, k);
            if (t > bb) {
                bb = t;
                bw = k;
            }
        }
        size_t pos = 0, nr = 0, tp = 0;
        for (size_t i = 0; i < n; i++) {
            pos += s[i].positive;
            if (s[i].level == RISK_AT_RISK) {
                nr++;
                tp += s[i].positive;
            }
        }
        double share = n ? (double)nr / n : 0, prec = nr ? (double)tp / nr : 0;
        if (verbose)
            printf("%s day %3d n %4zu pos %4zu AUC %.3f base %.3f (%s) share %.2f prec %.2f "
                   "recall %.2f\n",
                   name, T, n, pos, a, bb, base_name(bw), share, prec, pos ? (double)tp / pos : 0);
        if (T == 28)
            a28 = a;
        if (T == 56)
            a56 = a;
        if (a - bb < mingap)
            mingap = a - bb;
        if (best - a > maxdrop)
            maxdrop = best - a;
        if (a > best)
            best = a;
        if (share > maxshare)
            maxshare = share;
        sum += a;
        psum += prec;
        nc++;
        free(s);
    }
    printf("%s mean %.4f d28 %.3f d56 %.3f mingap %+.3f maxdrop %.3f maxshare %.2f meanprec "
           "%.2f\n",
           name, sum / nc, a28, a56, mingap, maxdrop, maxshare, psum / nc);
    return 0;
}

int main(int argc, char **argv)
{
    struct lcm_store *st[8];
    struct lcm_err err = {0};
    int ndb = argc - 1 < 8 ? argc - 1 : 8;
    for (int d = 0; d < ndb; d++)
        if (store_open(argv[1 + d], &st[d], &err) != LCM_OK) {
            fprintf(stderr, "risk_lopo: %s\n", err.msg);
            return 1;
        }
    bool verbose = getenv("V") != NULL;
    char line[4096], text[8192];
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\n")] = '\0';
        config_text(line, text, sizeof text);
        struct lcm_config cfg;
        memset(&cfg, 0, sizeof cfg);
        struct risk_params p;
        if (config_load_string(&cfg, "setting", text, NULL, &err) != LCM_OK ||
            risk_params_load(&cfg, &p, NULL, &err) != LCM_OK) {
            fprintf(stderr, "risk_lopo: %s: %s\n", line, err.msg);
            return 1;
        }
        printf("## %s\n", line);
        for (int d = 0; d < ndb; d++)
            if (evaluate(st[d], argv[1 + d], &p, verbose) != 0)
                return 1;
        fflush(stdout);
        config_free(&cfg);
    }
    for (int d = 0; d < ndb; d++)
        store_close(&st[d]);
    return 0;
}
