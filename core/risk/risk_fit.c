/* risk_fit.c — logistic regression (standardised features, L2, Newton steps), and its
 * translation into explainable points: each weight is still one signal's contribution. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "risk/risk_eval.h"

#define FIT_MAX_K 32

/* Solves A x = b (m x m, row-major, destroyed) by Gaussian elimination with partial pivoting.
 * Returns false when A is singular. */
static bool solve(double *A, double *b, size_t m)
{
    for (size_t c = 0; c < m; c++) {
        size_t piv = c;
        for (size_t r = c + 1; r < m; r++)
            if (fabs(A[r * m + c]) > fabs(A[piv * m + c]))
                piv = r;
        if (fabs(A[piv * m + c]) < 1e-12)
            return false;
        if (piv != c) {
            for (size_t j = 0; j < m; j++) {
                double t = A[c * m + j];
                A[c * m + j] = A[piv * m + j];
                A[piv * m + j] = t;
            }
            double t = b[c];
            b[c] = b[piv];
            b[piv] = t;
        }
        for (size_t r = c + 1; r < m; r++) {
            double f = A[r * m + c] / A[c * m + c];
            for (size_t j = c; j < m; j++)
                A[r * m + j] -= f * A[c * m + j];
            b[r] -= f * b[c];
        }
    }
    for (size_t c = m; c-- > 0;) {
        for (size_t j = c + 1; j < m; j++)
            b[c] -= A[c * m + j] * b[j];
        b[c] /= A[c * m + c];
    }
    return true;
}

/* One Newton step on w (m = k+1, intercept last) for standardised Z. Returns the step size. */
static double newton_step(const double *Z, const bool *y, size_t n, size_t k, double l2, double *w,
                          double *H, double *g)
{
    size_t m = k + 1;
    memset(H, 0, m * m * sizeof *H);
    memset(g, 0, m * sizeof *g);
    double x[FIT_MAX_K + 1];
    for (size_t i = 0; i < n; i++) {
        memcpy(x, Z + i * k, k * sizeof *x);
        x[k] = 1;
        double eta = 0;
        for (size_t j = 0; j < m; j++)
            eta += w[j] * x[j];
        double pr = 1 / (1 + exp(-eta)), wt = pr * (1 - pr), res = (y[i] ? 1.0 : 0.0) - pr;
        for (size_t a = 0; a < m; a++) {
            g[a] += res * x[a];
            for (size_t b = 0; b < m; b++)
                H[a * m + b] += wt * x[a] * x[b];
        }
    }
    for (size_t j = 0; j < k; j++) {
        g[j] -= l2 * w[j];
        H[j * m + j] += l2;
    }
    H[k * m + k] += 1e-9;
    if (!solve(H, g, m))
        return -1;
    double size = 0;
    for (size_t j = 0; j < m; j++) {
        w[j] += g[j];
        size += fabs(g[j]);
    }
    return size;
}

enum lcm_status risk_fit_logit(const double *X, const bool *y, size_t n, size_t k, double l2,
                               double *beta, bool *used, struct lcm_err *err)
{
    if (k > FIT_MAX_K)
        return lcm_err_set(err, LCM_ERR_INVALID, _("fit: at most %d features"), FIT_MAX_K);
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        pos += y[i];
    if (n < 2 || pos == 0 || pos == n)
        return lcm_err_set(err, LCM_ERR_INVALID,
                           _("fit: need both outcomes among the samples (%zu of %zu positive)"),
                           pos, n);
    double mean[FIT_MAX_K] = {0}, sd[FIT_MAX_K] = {0};
    for (size_t j = 0; j < k; j++) {
        for (size_t i = 0; i < n; i++)
            mean[j] += X[i * k + j];
        mean[j] /= (double)n;
        for (size_t i = 0; i < n; i++)
            sd[j] += (X[i * k + j] - mean[j]) * (X[i * k + j] - mean[j]);
        sd[j] = sqrt(sd[j] / (double)n);
        used[j] = sd[j] > 1e-9;
    }
    double *Z = lcm_xmalloc(n * k * sizeof *Z + 1);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < k; j++)
            Z[i * k + j] = used[j] ? (X[i * k + j] - mean[j]) / sd[j] : 0;
    size_t m = k + 1;
    double *H = lcm_xmalloc(m * m * sizeof *H), g[FIT_MAX_K + 1], w[FIT_MAX_K + 1] = {0};
    w[k] = log((double)pos / (double)(n - pos));
    enum lcm_status rc = LCM_OK;
    for (int it = 0; it < 50; it++) {
        double step = newton_step(Z, y, n, k, l2 > 1e-6 ? l2 : 1e-6, w, H, g);
        if (step < 0) {
            rc = lcm_err_set(err, LCM_ERR_INVALID, _("fit: singular system"));
            break;
        }
        if (step < 1e-8)
            break;
    }
    if (rc == LCM_OK) {
        double b0 = w[k];
        for (size_t j = 0; j < k; j++) {
            beta[j] = used[j] ? w[j] / sd[j] : 0;
            b0 -= beta[j] * mean[j];
        }
        beta[k] = b0;
    }
    free(Z);
    free(H);
    return rc;
}

enum lcm_status risk_fit_samples(const struct risk_sample *s, size_t n, double l2,
                                 struct risk_params *p, char *notes, size_t notes_len,
                                 struct lcm_err *err)
{
    double *X = lcm_xmalloc((n ? n : 1) * RS_COUNT * sizeof *X);
    bool *y = lcm_xmalloc((n ? n : 1) * sizeof *y), used[RS_COUNT];
    for (size_t i = 0; i < n; i++) {
        memcpy(X + i * RS_COUNT, s[i].sev, sizeof s[i].sev);
        y[i] = s[i].positive;
    }
    double beta[RS_COUNT + 1];
    enum lcm_status rc = risk_fit_logit(X, y, n, RS_COUNT, l2, beta, used, err);
    free(X);
    free(y);
    if (rc != LCM_OK)
        return rc;
    /* Points per unit of logit: the at-risk threshold falls where the odds are even. */
    double b0 = beta[RS_COUNT];
    double scale = b0 < -1e-6 ? p->risk_score / -b0 : 10, top = 0;
    for (int j = 0; j < RS_COUNT; j++)
        if (used[j] && beta[j] > top)
            top = beta[j];
    if (top * scale > 100) { /* keep every weight within 0-100: move the thresholds */
        scale = 100 / top;
        double ratio = p->risk_score > 0 ? p->watch_score / p->risk_score : 0.6;
        p->risk_score = b0 < 0 ? scale * -b0 : 50;
        p->risk_score = p->risk_score > 100 ? 100 : p->risk_score;
        p->watch_score = p->risk_score * ratio;
    }
    size_t off = 0;
    off += (size_t)snprintf(notes + off, notes_len - off,
                            "# intercept %.3f; %.2f points per unit of log-odds\n", b0, scale);
    for (int j = 0; j < RS_COUNT && off < notes_len; j++) {
        if (!used[j]) {
            off += (size_t)snprintf(notes + off, notes_len - off,
                                    "# %s: not seen in these data, weight kept\n",
                                    risk_signal_name((enum risk_signal)j));
            continue;
        }
        double w = beta[j] * scale;
        if (w < 0) {
            off += (size_t)snprintf(notes + off, notes_len - off,
                                    "# %s: fitted %.1f (protective), set to 0\n",
                                    risk_signal_name((enum risk_signal)j), w);
            w = 0;
        }
        p->weight[j] = w > 100 ? 100 : w;
    }
    return LCM_OK;
}
