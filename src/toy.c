/* toy.c - small computations the panels show beside the networks, kept in the core so that every
 * number on the page comes from C:
 *   bp_loss_values: the losses of given predictions y against targets t (the slides' comparison of
 *     two models), without a network;
 *   bp_surface: 2-D loss surfaces for the optimizer race, with their gradients. */
#include "internal.h"
#include <math.h>

int32_t bp_loss_values(int32_t loss, int32_t B, int32_t K, const bp_real *y, const bp_real *t, bp_real *rows_out, double *mean)
{
    if (loss < 0 || loss >= BP_LOSS_COUNT || B < 1 || K < 1 || !y || !t || !rows_out || !mean) return BP_EINVAL;
    bp_real grad[64];
    double total = 0.0;
    int fused;
    /* one row at a time through the same loss code the training uses (identity output: no fusing) */
    if (K > 64) return BP_EINVAL;
    for (size_t i = 0; i < (size_t)B * K; i++) if (!isfinite(y[i]) || !isfinite(t[i])) return BP_EINVAL;
    for (int b = 0; b < B; b++) {
        bp_real r;
        loss_eval(loss, BP_IDENTITY, 1, K, y + (size_t)b * K, y + (size_t)b * K, t + (size_t)b * K, NULL, &r, grad, &fused);
        rows_out[b] = r;
        total += r;
    }
    *mean = total / B;
    return BP_OK;
}

/* f(x, y) and its gradient:
 *   0 ill-conditioned quadratic  f = (x^2 + 10 y^2) / 2
 *   1 Rosenbrock                 f = (1 - x)^2 + 100 (y - x^2)^2
 *   2 saddle                     f = x^2 - y^2
 *   3 round bowl                 f = (x^2 + y^2) / 2 */
int32_t bp_surface(int32_t kind, bp_real x, bp_real y, bp_real *out)
{
    if (!out || !isfinite(x) || !isfinite(y)) return BP_EINVAL;
    double X = x, Y = y, f, gx, gy;
    switch (kind) {
    case 0: f = 0.5 * (X * X + 10.0 * Y * Y); gx = X; gy = 10.0 * Y; break;
    case 1: f = (1 - X) * (1 - X) + 100.0 * (Y - X * X) * (Y - X * X);
            gx = -2.0 * (1 - X) - 400.0 * X * (Y - X * X); gy = 200.0 * (Y - X * X); break;
    case 2: f = X * X - Y * Y; gx = 2.0 * X; gy = -2.0 * Y; break;
    case 3: f = 0.5 * (X * X + Y * Y); gx = X; gy = Y; break;
    default: return BP_EINVAL;
    }
    out[0] = (bp_real)f; out[1] = (bp_real)gx; out[2] = (bp_real)gy;
    return BP_OK;
}

int32_t bp_softmax_jacobian(int32_t K, const bp_real *z, bp_real *out)
{
    if (K < 1 || K > 64 || !z || !out) return BP_EINVAL;
    for (int i = 0; i < K; i++) if (!isfinite(z[i])) return BP_EINVAL;
    bp_real a[64];
    act_forward(BP_SOFTMAX, 0.0f, 1, K, z, a);                     /* a = softmax(z), the layers' code */
    for (int i = 0; i < K; i++)
        for (int j = 0; j < K; j++)
            out[i * K + j] = a[i] * ((i == j ? 1.0f : 0.0f) - a[j]); /* da_i/dz_j = a_i (1[i=j] - a_j) */
    return BP_OK;
}
