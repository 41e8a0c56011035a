/* layers.c - the layers of a network, each forward directly above its backward: activations
 * (a = f(z) above delta = dL/da * f'(z)), the dense layer (z = W a + b above its gradients, on the
 * kernels of kernels.c), batch normalisation and dropout.
 * Buffers are rows x cols (batch x neurons); n = rows * cols. */
#include "internal.h"
#include <math.h>

/* The default alpha of the activations that have one (torch's); NaN: the activation has none. */
double bp_act_alpha_default(int32_t act)
{
    if (act == BP_LEAKY_RELU) return 0.01;    /* torch.nn.LeakyReLU default negative_slope */
    if (act == BP_ELU) return 1.0;            /* torch.nn.ELU default alpha */
    return NAN;
}

bp_real act_default_alpha(int act)
{
    double a = bp_act_alpha_default(act);
    return a == a ? (bp_real)a : 0.0f;
}

/* ---- activations: each f directly above its f' (n values; softmax works on rows of `cols`) ----
 * forward a = f(z); backward delta = dL/da * f'(z), from z and a = f(z). */

static void identity_forward(int n, const bp_real *z, bp_real *a) { for (int i = 0; i < n; i++) a[i] = z[i]; }   /* a = z */
static void identity_backward(int n, const bp_real *da, bp_real *delta) { for (int i = 0; i < n; i++) delta[i] = da[i]; } /* f' = 1 */

/* a = 1 if z > 0 else 0 (the perceptron's threshold unit); f' = 0 almost everywhere and undefined at 0:
 * no gradient to learn from, so its backward is BP_ENOGRAD (in act_backward) */
static void step_forward(int n, const bp_real *z, bp_real *a) { for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? 1.0f : 0.0f; }

static void sigmoid_forward(int n, const bp_real *z, bp_real *a)           /* a = 1 / (1 + e^-z) */
{
    for (int i = 0; i < n; i++) a[i] = -z[i];
    k_exp_vec(n, a, a);
    for (int i = 0; i < n; i++) a[i] = 1.0f / (1.0f + a[i]);
}
static void sigmoid_backward(int n, const bp_real *a, const bp_real *da, bp_real *delta)   /* f' = a (1 - a) */
{
    for (int i = 0; i < n; i++) delta[i] = da[i] * ((1.0f - a[i]) * a[i]);
}

static void tanh_forward(int n, const bp_real *z, bp_real *a)              /* a = (e^z - e^-z) / (e^z + e^-z) */
{
    for (int i = 0; i < n; i++) a[i] = k_tanhf(z[i]);
}
static void tanh_backward(int n, const bp_real *a, const bp_real *da, bp_real *delta)      /* f' = 1 - a^2 */
{
    for (int i = 0; i < n; i++) delta[i] = da[i] * (1.0f - a[i] * a[i]);
}

static void relu_forward(int n, const bp_real *z, bp_real *a)              /* a = max(0, z) */
{
    for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : 0.0f;
}
static void relu_backward(int n, const bp_real *z, const bp_real *da, bp_real *delta)      /* f' = 1 if z > 0 else 0 */
{
    for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : 0.0f;
}

static void leaky_relu_forward(int n, bp_real alpha, const bp_real *z, bp_real *a)          /* a = z if z > 0 else alpha z */
{
    for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : alpha * z[i];
}
static void leaky_relu_backward(int n, bp_real alpha, const bp_real *z, const bp_real *da, bp_real *delta) /* f' = 1 or alpha */
{
    for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : da[i] * alpha;
}

static void elu_forward(int n, bp_real alpha, const bp_real *z, bp_real *a)  /* a = z if z > 0 else alpha (e^z - 1) */
{
    for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : alpha * k_expm1f(z[i]);
}
static void elu_backward(int n, bp_real alpha, const bp_real *z, const bp_real *da, bp_real *delta) /* f' = 1 or alpha e^z */
{
    for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : da[i] * (alpha * k_expf(z[i]));
}

static void softmax_forward(int rows, int cols, const bp_real *z, bp_real *a)  /* a_j = e^{z_j - max z} / sum_k e^{z_k - max z} */
{
    for (int r = 0; r < rows; r++) {
        const bp_real *zr = z + (size_t)r * cols;
        bp_real *ar = a + (size_t)r * cols;
        bp_real m = zr[0];
        for (int j = 1; j < cols; j++) m = zr[j] > m ? zr[j] : m;
        for (int j = 0; j < cols; j++) ar[j] = zr[j] - m;
        k_exp_vec(cols, ar, ar);
        bp_real s = 0.0f;
        for (int j = 0; j < cols; j++) s += ar[j];
        bp_real inv = 1.0f / s;
        for (int j = 0; j < cols; j++) ar[j] *= inv;
    }
}
/* Jacobian da_j/dz_i = a_j (1[i=j] - a_i):  delta_i = a_i (da_i - sum_j da_j a_j), per row */
static void softmax_backward(int rows, int cols, const bp_real *a, const bp_real *da, bp_real *delta)
{
    for (int r = 0; r < rows; r++) {
        const bp_real *ar = a + (size_t)r * cols, *gr = da + (size_t)r * cols;
        bp_real *dr = delta + (size_t)r * cols;
        bp_real s = 0.0f;
        for (int j = 0; j < cols; j++) s += gr[j] * ar[j];
        for (int j = 0; j < cols; j++) dr[j] = ar[j] * (gr[j] - s);
    }
}

int act_forward(int act, bp_real alpha, int rows, int cols, const bp_real *z, bp_real *a)
{
    int n = rows * cols;
    switch (act) {
    case BP_IDENTITY:   identity_forward(n, z, a); break;
    case BP_STEP:       step_forward(n, z, a); break;
    case BP_SIGMOID:    sigmoid_forward(n, z, a); break;
    case BP_TANH:       tanh_forward(n, z, a); break;
    case BP_RELU:       relu_forward(n, z, a); break;
    case BP_LEAKY_RELU: leaky_relu_forward(n, alpha, z, a); break;
    case BP_ELU:        elu_forward(n, alpha, z, a); break;
    case BP_SOFTMAX:    softmax_forward(rows, cols, z, a); break;
    default:            return BP_EINVAL;
    }
    return BP_OK;
}

int act_backward(int act, bp_real alpha, int rows, int cols, const bp_real *z, const bp_real *a,
                 const bp_real *da, bp_real *delta)
{
    int n = rows * cols;
    switch (act) {
    case BP_IDENTITY:   identity_backward(n, da, delta); break;
    case BP_STEP:       return BP_ENOGRAD;
    case BP_SIGMOID:    sigmoid_backward(n, a, da, delta); break;
    case BP_TANH:       tanh_backward(n, a, da, delta); break;
    case BP_RELU:       relu_backward(n, z, da, delta); break;
    case BP_LEAKY_RELU: leaky_relu_backward(n, alpha, z, da, delta); break;
    case BP_ELU:        elu_backward(n, alpha, z, da, delta); break;
    case BP_SOFTMAX:    softmax_backward(rows, cols, a, da, delta); break;
    default:            return BP_EINVAL;
    }
    return BP_OK;
}

/* ---- dense layer. Sizes: B rows, I inputs, O outputs; rows are samples ----
 * forward, the course's z = W a + b, in batch form Z = A W^T + b:
 *   z (B, O) out;  inp (B, I) the previous layer's a (or x);  W (O, I), b (O) or NULL */
void dense_forward(bp_real *z, const bp_real *inp, const bp_real *W, const bp_real *b, int B, int I, int O)
{
    k_gemm_nt(B, O, I, inp, W, b, z);                     /* Z = A W^T + b */
}

/* in the forward pass this was: z = W a + b. Given delta = dL/dz (B, O):
 *   dW (O, I) = delta^T A,  db (O) = sum over rows of delta (NULL: no bias),
 *   dinp (B, I) = delta W, the course's W^T delta per sample (NULL: not needed, the input layer);
 *   the layer below turns dinp into its delta_prev = W^T delta * f'(z_prev) with act_backward. */
void dense_backward(bp_real *dinp, bp_real *dW, bp_real *db, const bp_real *delta, const bp_real *inp, const bp_real *W,
                    int B, int I, int O)
{
    k_gemm_tn(O, I, B, delta, inp, dW);                   /* dW = delta^T A */
    if (db) k_colsum(B, O, delta, db);                    /* db = sum_rows delta */
    if (dinp) k_gemm_nn(B, I, O, delta, W, dinp);         /* dA = delta W */
}

/* ---- batch normalisation of each of n features over the B rows (torch.nn.BatchNorm1d) ----
 * training:  mu = 1/B sum_b z,  var = 1/B sum_b (z - mu)^2,  zhat = (z - mu) / sqrt(var + eps),
 *            h = gamma zhat + beta;  running mean/var move by `mom` (the variance unbiased, B/(B-1))
 * evaluation: the running mean and variance in place of the batch's. */
void bn_forward(int train, int B, int n, const bp_real *z, const bp_real *gamma, const bp_real *beta, bp_real eps, bp_real mom,
                bp_real *zhat, bp_real *h, bp_real *invstd, bp_real *run_mean, bp_real *run_var)
{
    for (int j = 0; j < n; j++) {
        bp_real mu, is;
        if (train) {
            double s = 0.0, s2 = 0.0;
            for (int b = 0; b < B; b++) s += z[(size_t)b * n + j];
            double m = s / B;
            for (int b = 0; b < B; b++) { double d = z[(size_t)b * n + j] - m; s2 += d * d; }
            double var = s2 / B;
            mu = (bp_real)m;
            is = (bp_real)(1.0 / sqrt(var + eps));
            invstd[j] = is;
            run_mean[j] = (1.0f - mom) * run_mean[j] + mom * (bp_real)m;
            run_var[j] = (1.0f - mom) * run_var[j] + mom * (bp_real)(B > 1 ? s2 / (B - 1) : var);
        } else {
            mu = run_mean[j];
            is = (bp_real)(1.0 / sqrt((double)run_var[j] + eps));
        }
        for (int b = 0; b < B; b++) {
            size_t i = (size_t)b * n + j;
            bp_real zh = (z[i] - mu) * is;
            if (zhat) zhat[i] = zh;
            h[i] = gamma[j] * zh + beta[j];
        }
    }
}

/* in the forward pass this was: h = gamma zhat + beta, zhat = (z - mu) / sqrt(var + eps), with mu and
 * var depending on every row. Given d = dL/dh (B x n), overwrites it with dL/dz:
 *   dgamma = sum_b dL/dh zhat,  dbeta = sum_b dL/dh,  dzhat = dL/dh gamma,
 *   dL/dz = invstd / B (B dzhat - sum_b dzhat - zhat sum_b dzhat zhat) */
void bn_backward(int B, int n, const bp_real *zhat, const bp_real *invstd, const bp_real *gamma, bp_real *d,
                 bp_real *dgamma, bp_real *dbeta)
{
    for (int j = 0; j < n; j++) {
        double sd = 0.0, sdz = 0.0;
        for (int b = 0; b < B; b++) {
            size_t i = (size_t)b * n + j;
            sd += d[i];
            sdz += (double)d[i] * zhat[i];
        }
        dgamma[j] = (bp_real)sdz;
        dbeta[j] = (bp_real)sd;
        bp_real g = gamma[j], k = invstd[j] / (bp_real)B;
        bp_real s1 = (bp_real)(sd * g), s2 = (bp_real)(sdz * g);
        for (int b = 0; b < B; b++) {
            size_t i = (size_t)b * n + j;
            d[i] = k * ((bp_real)B * (d[i] * g) - s1 - zhat[i] * s2);
        }
    }
}

/* ---- inverted dropout: out = a * mask, mask = 1/(1-p) with probability 1-p, else 0 (torch.nn.Dropout);
 * backward: dL/da = dL/dout * mask ---- */
void dropout_apply(int n, const bp_real *mask, const bp_real *in, bp_real *out)
{
    for (int i = 0; i < n; i++) out[i] = in[i] * mask[i];
}
