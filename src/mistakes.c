/* mistakes.c - the classic hand-calculation mistakes of one training step (issue #14): the values a
 * student gets who makes mistake M, so that an exercise can name the mistake behind a wrong number.
 * The forward pass and the true gradients go through the training code itself (layers.c, losses.c);
 * a mistake changes one formula. Each mistake is LOCAL: it changes the values of the layer where it is
 * made, from the true values of the layer above (an exercise shows the true values of every stage
 * already checked, so a slip in one layer does not carry into the next).
 *
 * Mistakes (enum bp_mistake, names in api.c), with a layer's true delta = dL/da * f'(z):
 *   none           the true step
 *   no_act_deriv   delta = dL/da                       (f'(z) left out; layers with a nonlinear f)
 *   deriv_on_linear delta = dL/da * s(z)(1 - s(z))     (the sigmoid's derivative on a linear layer)
 *   deriv_of_a     delta = dL/da * f'(a)               (f'(a) instead of f'(z), a = f(z))
 *   deriv_is_act   delta = dL/da * f(z)                (sigma(z) instead of sigma(z)(1 - sigma(z)); nonlinear f)
 *   sign_flip      dL/da of the output = (t - y)...    (the loss's gradient negated; output layer)
 *   no_half        L = sum (y - t)^2, dL/dy = 2 (y - t) (half_sse: the 1/2 forgotten; loss, output)
 *   no_two         dL/dy = (y - t)                     (mse: the derivative's factor 2 forgotten)
 *   no_mean        L and dL/dy without the 1/B         (batches of B > 1 rows)
 *   w_not_wt       dL/da_{l} = delta_{l+1} W^T in the batch form, i.e. W delta per sample where W^T
 *                  belongs (square W only)
 *   updated_w      dL/da_{l} through W_{l+1} - lr dW_{l+1} (the updated weights in the backward pass)
 *   bias_axis      db_j = sum_k delta_{1k} for every j (summed over the units, not the rows)
 *   softmax_diag   softmax + cross-entropy: delta_k = dL/da_k a_k (1 - a_k) = -t_k (1 - a_k)
 *                  (the Jacobian's diagonal only; the off-diagonal -a_i a_k left out)
 *   adam_no_bias   Adam without the bias correction: bp_mistake_adam below (bp_mistake_step: the true step)
 * dW = delta^T a_prev, db = column sums of delta, dL/dx = W^T delta and the updates W - lr dW, b - lr db
 * follow from the (mistaken) delta of the same layer. */
#include "internal.h"
#include <math.h>
#include <string.h>

#define MX_LAYERS 4
#define MX_UNITS 64
#define MX_ROWS 16
#define MX_ACT (MX_ROWS * MX_UNITS)
#define MX_W (MX_UNITS * MX_UNITS)

/* delta = da * f'(x): the derivative of f taken at x in place of z (f(x) recomputed for act_backward) */
static void deriv_at(int act, bp_real alpha, int rows, int cols, const bp_real *x, const bp_real *da, bp_real *delta)
{
    bp_real fx[MX_ACT];
    act_forward(act, alpha, rows, cols, x, fx);
    act_backward(act, alpha, rows, cols, x, fx, da, delta);
}

/* The mistaken delta of one layer from its mistaken dL/da (dam; for a fused output, dam is the mistaken
 * delta itself). A mistake that does not apply to the layer leaves its true delta. */
static void layer_delta(int mistake, int act, bp_real alpha, int fused, int B, int O, const bp_real *z, const bp_real *a,
                        const bp_real *dam, const bp_real *T, bp_real *delta)
{
    int n = B * O;
    if (fused) {                                 /* softmax + cross-entropy (sigmoid + bce): dam is delta */
        memcpy(delta, dam, sizeof(bp_real) * n);
        if (mistake == BP_M_SOFTMAX_DIAG && act == BP_SOFTMAX && T)
            for (int i = 0; i < n; i++) delta[i] = -T[i] * (1 - a[i]) / (bp_real)B;   /* (-t/a) a (1 - a), 1/B */
        return;
    }
    switch (mistake) {
    case BP_M_NO_ACT_DERIV: memcpy(delta, dam, sizeof(bp_real) * n); return;
    case BP_M_DERIV_ON_LINEAR:
        if (act == BP_IDENTITY) { deriv_at(BP_SIGMOID, 0, B, O, z, dam, delta); return; }
        break;
    case BP_M_DERIV_OF_A: deriv_at(act, alpha, B, O, a, dam, delta); return;
    case BP_M_DERIV_IS_ACT:                      /* a linear layer has no derivative to replace */
        if (act != BP_IDENTITY) { for (int i = 0; i < n; i++) delta[i] = dam[i] * a[i]; return; }
        break;
    default: break;
    }
    act_backward(act, alpha, B, O, z, a, dam, delta);
}

int32_t bp_mistake_step(int32_t mistake, int32_t nl, const int32_t *sizes, const int32_t *acts, int32_t loss,
                        const bp_real *params, int32_t update_biases, const bp_real *X, const bp_real *T, int32_t B,
                        bp_real lr, bp_real *out)
{
    if (mistake < 0 || mistake >= BP_M_COUNT || nl < 1 || nl > MX_LAYERS || !sizes || !acts || !params || !X || !T || !out
        || B < 1 || B > MX_ROWS || loss < 0 || loss >= BP_LOSS_COUNT || !isfinite(lr)) return BP_EINVAL;
    for (int l = 0; l <= nl; l++) if (sizes[l] < 1 || sizes[l] > MX_UNITS) return BP_EINVAL;
    for (int l = 0; l < nl; l++) if (acts[l] < 0 || acts[l] >= BP_ACT_COUNT || acts[l] == BP_STEP
                                     || (acts[l] == BP_SOFTMAX && l != nl - 1)) return BP_EINVAL;
    static bp_real Z[MX_LAYERS][MX_ACT], A[MX_LAYERS][MX_ACT];
    bp_real alpha[MX_LAYERS];
    const bp_real *W[MX_LAYERS], *b[MX_LAYERS];
    size_t off = 0;
    for (int l = 0; l < nl; l++) {
        W[l] = params + off; off += (size_t)sizes[l + 1] * sizes[l];
        b[l] = params + off; off += (size_t)sizes[l + 1];
        alpha[l] = act_default_alpha(acts[l]);
    }
    for (size_t i = 0; i < off; i++) if (!isfinite(params[i])) return BP_EINVAL;
    for (int i = 0; i < B * sizes[0]; i++) if (!isfinite(X[i])) return BP_EINVAL;
    for (int i = 0; i < B * sizes[nl]; i++) if (!isfinite(T[i])) return BP_EINVAL;
    /* forward: z = W a + b, a = f(z) (the layers' code) */
    for (int l = 0; l < nl; l++) {
        dense_forward(Z[l], l ? A[l - 1] : X, W[l], b[l], B, sizes[l], sizes[l + 1]);
        act_forward(acts[l], alpha[l], B, sizes[l + 1], Z[l], A[l]);
    }
    int top = nl - 1, K = sizes[nl], fused = 0;
    bp_real rows[MX_ROWS], g[MX_ACT], gm[MX_ACT];
    double L = loss_eval(loss, acts[top], B, K, Z[top], A[top], T, NULL, rows, g, &fused);
    /* the loss and the output's gradient under a loss mistake */
    int n = B * K;
    memcpy(gm, g, sizeof(bp_real) * n);
    double Lm = L;
    if (mistake == BP_M_SIGN_FLIP) for (int i = 0; i < n; i++) gm[i] = -g[i];             /* (t - y) for (y - t) */
    if (mistake == BP_M_NO_HALF && loss == BP_HALF_SSE) { Lm = 2 * L; for (int i = 0; i < n; i++) gm[i] = 2 * g[i]; }
    if (mistake == BP_M_NO_TWO && loss == BP_MSE) for (int i = 0; i < n; i++) gm[i] = g[i] / 2;
    if (mistake == BP_M_NO_MEAN) { Lm = L * B; for (int i = 0; i < n; i++) gm[i] = g[i] * B; }
    /* backward from the top: dam is the mistaken dL/da of this layer from the TRUE values above */
    static bp_real dat[MX_ACT], dam[MX_ACT], dtrue[MX_ACT], dmis[MX_ACT], dWt[MX_W], dWm[MX_W], dbt[MX_UNITS], dbm[MX_UNITS], Wn[MX_W];
    bp_real *o = out;
    size_t layer_len[MX_LAYERS];
    bp_real *lay[MX_LAYERS];
    for (int l = 0; l < nl; l++) {               /* out per layer: z, a, delta, dW, db, W_new, b_new (B O, B O, B O, O I, O, O I, O) */
        int I = sizes[l], O = sizes[l + 1];
        lay[l] = o;
        layer_len[l] = (size_t)3 * B * O + 2 * ((size_t)O * I + O);
        o += layer_len[l];
    }
    memcpy(dat, g, sizeof(bp_real) * n);
    memcpy(dam, gm, sizeof(bp_real) * n);
    for (int l = top; l >= 0; l--) {
        int I = sizes[l], O = sizes[l + 1], m = B * O;
        const bp_real *inp = l ? A[l - 1] : X;
        int fu = l == top && fused;
        if (fu) memcpy(dtrue, dat, sizeof(bp_real) * m);
        else act_backward(acts[l], alpha[l], B, O, Z[l], A[l], dat, dtrue);
        layer_delta(mistake, acts[l], alpha[l], fu, B, O, Z[l], A[l], dam, l == top ? T : NULL, dmis);
        dense_backward(NULL, dWt, dbt, dtrue, inp, W[l], B, I, O);
        dense_backward(NULL, dWm, dbm, dmis, inp, W[l], B, I, O);
        if (mistake == BP_M_BIAS_AXIS) {          /* sum over the units of the first row, for every unit */
            bp_real s = 0;
            for (int k = 0; k < O; k++) s += dmis[k];
            for (int k = 0; k < O; k++) dbm[k] = s;
        }
        bp_real *p = lay[l];
        memcpy(p, Z[l], sizeof(bp_real) * m); p += m;
        memcpy(p, A[l], sizeof(bp_real) * m); p += m;
        memcpy(p, dmis, sizeof(bp_real) * m); p += m;
        memcpy(p, dWm, sizeof(bp_real) * O * I); p += (size_t)O * I;
        memcpy(p, dbm, sizeof(bp_real) * O); p += O;
        for (int i = 0; i < O * I; i++) p[i] = W[l][i] - lr * dWm[i];                  /* W - lr dW */
        p += (size_t)O * I;
        for (int k = 0; k < O; k++) p[k] = update_biases ? b[l][k] - lr * dbm[k] : b[l][k];
        if (l == 0) {                            /* dL/dx = delta W (W^T delta per sample), from this layer's delta */
            bp_real *dx = o + 1 + n;             /* after the loss (1) and the new output (n) */
            dense_backward(dx, dWm, NULL, dmis, inp, W[0], B, I, O);
            if (mistake == BP_M_W_NOT_WT && I == O)        /* W delta per sample, from the true delta */
                for (int r = 0; r < B; r++)
                    for (int i = 0; i < I; i++) {
                        bp_real s = 0;
                        for (int k = 0; k < O; k++) s += dtrue[r * O + k] * W[0][i * I + k];
                        dx[r * I + i] = s;
                    }
            break;
        }
        /* the layer below: true dL/da = delta W (W^T delta per sample); its mistaken one from the TRUE delta */
        int Ip = I;
        dense_backward(dat, dWt, NULL, dtrue, inp, W[l], B, I, O);
        memcpy(dam, dat, sizeof(bp_real) * B * Ip);
        if (mistake == BP_M_W_NOT_WT && I == O) {  /* W delta per sample: dam[b][i] = sum_k delta[b][k] W[i][k] */
            for (int r = 0; r < B; r++)
                for (int i = 0; i < I; i++) {
                    bp_real s = 0;
                    for (int k = 0; k < O; k++) s += dtrue[r * O + k] * W[l][i * I + k];
                    dam[r * I + i] = s;
                }
        }
        if (mistake == BP_M_UPDATED_W) {         /* through W - lr dW (the true gradient) */
            for (int i = 0; i < O * I; i++) Wn[i] = W[l][i] - lr * dWt[i];
            dense_backward(dam, dWm, NULL, dtrue, inp, Wn, B, I, O);
        }
    }
    o[0] = (bp_real)Lm;
    /* the output with the (mistaken) new parameters: a of the last layer, B x K */
    static bp_real pnew[MX_LAYERS * (MX_W + MX_UNITS)], Zn[MX_ACT], An[MX_ACT], An2[MX_ACT];
    const bp_real *in = X;
    for (int l = 0; l < nl; l++) {
        int I = sizes[l], O = sizes[l + 1];
        bp_real *Wl = pnew, *bl = pnew + (size_t)O * I;
        memcpy(Wl, lay[l] + 3 * B * O + O * I + O, sizeof(bp_real) * (O * I + O));
        dense_forward(Zn, in, Wl, bl, B, I, O);
        bp_real *dst = (l % 2) ? An2 : An;
        act_forward(acts[l], alpha[l], B, O, Zn, dst);
        in = dst;
    }
    memcpy(o + 1, in, sizeof(bp_real) * n);
    return BP_OK;
}

/* Adam's step without the bias correction (m and v used as they are), made at every step from the
 * TRUE parameters before it (a local mistake, as above):
 *   m_t = b1 m + (1 - b1) g_t,  v_t = b2 v + (1 - b2) g_t^2   (from m = v = 0, the given gradients)
 *   theta_t = theta_{t-1} - lr m_t / (sqrt(v_t) + eps)         (the true: m_t / (1 - b1^t), v_t / (1 - b2^t))
 * prev: the parameters before each step (steps x n), g: the gradients (steps x n); out: per step
 * theta_t (n) then the step theta_t - theta_{t-1} (n). corrected 1: the true Adam (for the test). */
int32_t bp_mistake_adam(int32_t corrected, int32_t n, int32_t steps, const bp_real *prev, const bp_real *g, bp_real lr,
                        bp_real b1, bp_real b2, bp_real eps, bp_real *out)
{
    if (n < 1 || n > MX_UNITS || steps < 1 || !prev || !g || !out || !(lr > 0) || !(b1 >= 0 && b1 < 1) || !(b2 >= 0 && b2 < 1) || !(eps > 0))
        return BP_EINVAL;
    for (size_t i = 0; i < (size_t)steps * n; i++) if (!isfinite(prev[i]) || !isfinite(g[i])) return BP_EINVAL;
    bp_real m[MX_UNITS] = {0}, v[MX_UNITS] = {0};
    double b1t = 1, b2t = 1;
    for (int s = 0; s < steps; s++) {
        b1t *= b1; b2t *= b2;
        for (int i = 0; i < n; i++) {
            bp_real gi = g[(size_t)s * n + i], p = prev[(size_t)s * n + i];
            m[i] = b1 * m[i] + (1 - b1) * gi;
            v[i] = b2 * v[i] + (1 - b2) * gi * gi;
            bp_real mh = corrected ? m[i] / (bp_real)(1 - b1t) : m[i], vh = corrected ? v[i] / (bp_real)(1 - b2t) : v[i];
            bp_real next = p - lr * mh / (sqrt(vh) + eps);
            out[(size_t)s * 2 * n + i] = next;
            out[(size_t)s * 2 * n + n + i] = next - p;
        }
    }
    return BP_OK;
}

/* The losses of given predictions y (B x K) against t under a mistake (the loss code of toy.c):
 *   no_half  half_sse: sum_k (y - t)^2 per row, the 1/2 forgotten (rows and mean twice the true)
 *   no_mean  the mean's 1/B forgotten: *mean = sum of the rows
 * other mistakes (and none): the true losses. */
int32_t bp_mistake_loss(int32_t mistake, int32_t loss, int32_t B, int32_t K, const bp_real *y, const bp_real *t, bp_real *rows_out, double *mean)
{
    if (mistake < 0 || mistake >= BP_M_COUNT) return BP_EINVAL;
    int32_t rc = bp_loss_values(loss, B, K, y, t, rows_out, mean);
    if (rc < 0) return rc;
    if (mistake == BP_M_NO_HALF && loss == BP_HALF_SSE) {
        for (int b = 0; b < B; b++) rows_out[b] *= 2;
        *mean *= 2;
    }
    if (mistake == BP_M_NO_MEAN) {
        double s = 0;
        for (int b = 0; b < B; b++) s += rows_out[b];
        *mean = s;
    }
    return BP_OK;
}
