/* layers.c - activations: each forward a = f(z) directly above its backward delta = dL/da * f'(z).
 * Buffers are rows x cols (batch x neurons); n = rows * cols.
 * The dense layer's own products (z = W a_prev + b and its gradients) are in kernels.c, called
 * from net.c in the same order as the formulas. */
#include "internal.h"

float act_default_alpha(int act)
{
    if (act == BP_LEAKY_RELU) return 0.01f;   /* torch.nn.LeakyReLU default negative_slope */
    if (act == BP_ELU) return 1.0f;           /* torch.nn.ELU default alpha */
    return 0.0f;
}

int act_forward(int act, float alpha, int rows, int cols, const float *z, float *a)
{
    int n = rows * cols;
    switch (act) {
    case BP_IDENTITY: /* a = z */
        for (int i = 0; i < n; i++) a[i] = z[i];
        break;
    case BP_STEP:     /* a = 1 if z > 0 else 0 (the perceptron's threshold unit) */
        for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? 1.0f : 0.0f;
        break;
    case BP_SIGMOID:  /* a = 1 / (1 + e^-z) */
        for (int i = 0; i < n; i++) a[i] = -z[i];
        k_exp_vec(n, a, a);
        for (int i = 0; i < n; i++) a[i] = 1.0f / (1.0f + a[i]);
        break;
    case BP_TANH:     /* a = (e^z - e^-z) / (e^z + e^-z) */
        for (int i = 0; i < n; i++) a[i] = k_tanhf(z[i]);
        break;
    case BP_RELU:     /* a = max(0, z) */
        for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : 0.0f;
        break;
    case BP_LEAKY_RELU: /* a = z if z > 0 else alpha z */
        for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : alpha * z[i];
        break;
    case BP_ELU:      /* a = z if z > 0 else alpha (e^z - 1) */
        for (int i = 0; i < n; i++) a[i] = z[i] > 0.0f ? z[i] : alpha * k_expm1f(z[i]);
        break;
    case BP_SOFTMAX:  /* a_j = e^{z_j - max z} / sum_k e^{z_k - max z}, per row */
        for (int r = 0; r < rows; r++) {
            const float *zr = z + (size_t)r * cols;
            float *ar = a + (size_t)r * cols;
            float m = zr[0];
            for (int j = 1; j < cols; j++) m = zr[j] > m ? zr[j] : m;
            for (int j = 0; j < cols; j++) ar[j] = zr[j] - m;
            k_exp_vec(cols, ar, ar);
            float s = 0.0f;
            for (int j = 0; j < cols; j++) s += ar[j];
            float inv = 1.0f / s;
            for (int j = 0; j < cols; j++) ar[j] *= inv;
        }
        break;
    default:
        return BP_EINVAL;
    }
    return BP_OK;
}

int act_backward(int act, float alpha, int rows, int cols, const float *z, const float *a,
                 const float *da, float *delta)
{
    int n = rows * cols;
    switch (act) {
    case BP_IDENTITY: /* f' = 1 */
        for (int i = 0; i < n; i++) delta[i] = da[i];
        break;
    case BP_STEP:     /* f' = 0 almost everywhere and undefined at 0: no gradient to learn from */
        return BP_ENOGRAD;
    case BP_SIGMOID:  /* f' = a (1 - a) */
        for (int i = 0; i < n; i++) delta[i] = da[i] * ((1.0f - a[i]) * a[i]);
        break;
    case BP_TANH:     /* f' = 1 - a^2 */
        for (int i = 0; i < n; i++) delta[i] = da[i] * (1.0f - a[i] * a[i]);
        break;
    case BP_RELU:     /* f' = 1 if z > 0 else 0 */
        for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : 0.0f;
        break;
    case BP_LEAKY_RELU: /* f' = 1 if z > 0 else alpha */
        for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : da[i] * alpha;
        break;
    case BP_ELU:      /* f' = 1 if z > 0 else alpha e^z */
        for (int i = 0; i < n; i++) delta[i] = z[i] > 0.0f ? da[i] : da[i] * (alpha * k_expf(z[i]));
        break;
    case BP_SOFTMAX:  /* Jacobian da_j/dz_i = a_j (1[i=j] - a_i):  delta_i = a_i (da_i - sum_j da_j a_j) */
        for (int r = 0; r < rows; r++) {
            const float *ar = a + (size_t)r * cols, *gr = da + (size_t)r * cols;
            float *dr = delta + (size_t)r * cols;
            float s = 0.0f;
            for (int j = 0; j < cols; j++) s += gr[j] * ar[j];
            for (int j = 0; j < cols; j++) dr[j] = ar[j] * (gr[j] - s);
        }
        break;
    default:
        return BP_EINVAL;
    }
    return BP_OK;
}
