/* losses.c - loss functions with their gradients, side by side. B rows (samples), K outputs,
 * y = a of the last layer, t the target (one-hot when given as a class label).
 * The reduction over the batch is always a mean, the same as PyTorch's default 'mean':
 *   half_sse       L = 1/B   sum_b 1/2 sum_k (y - t)^2      dL/dy = (y - t) / B
 *                  (the course's L = 1/2 sum (y - t)^2 for one sample)
 *   mse            L = 1/(BK) sum_b sum_k (y - t)^2         dL/dy = 2 (y - t) / (B K)
 *   sse            L = 1/B   sum_b sum_k (y - t)^2          dL/dy = 2 (y - t) / B
 *                  (squared error summed over the outputs: the usual convention of the slides' comparison)
 *                  (torch.nn.MSELoss; for one output and one sample L = (y - t)^2)
 *   cross_entropy  L = 1/B   sum_b -sum_k t log y           with softmax: delta = dL/dz = (y - t) / B
 *                  (torch.nn.CrossEntropyLoss on z; the loss itself from log-sum-exp, no log 0)
 *   bce            L = 1/(BK) sum -(t log y + (1-t) log(1-y))  with sigmoid: delta = (y - t) / (B K)
 *                  (torch.nn.BCELoss; logs clamped at -100 as PyTorch does)
 * Every loss is accumulated in double and returned as the batch mean. */
#include "internal.h"

#define TGT(b, k) (labels ? (bp_real)(labels[b] == (k)) : T[(size_t)(b) * K + (k)])

static double clamped_log(double x)
{
    if (!(x > 0.0)) return -100.0;         /* log 0 = -inf -> -100, as torch.nn.BCELoss */
    double l = bp_log(x);
    return l < -100.0 ? -100.0 : l;
}

double loss_eval(int loss, int act, int B, int K, const bp_real *z, const bp_real *a, const bp_real *T,
                 const int32_t *labels, bp_real *rows_out, bp_real *grad, int *fused)
{
    double total = 0.0;
    *fused = 0;
    switch (loss) {
    case BP_HALF_SSE:
        for (int b = 0; b < B; b++) {
            double r = 0.0;
            for (int k = 0; k < K; k++) {
                bp_real e = a[(size_t)b * K + k] - TGT(b, k);
                r += 0.5 * (double)e * e;                       /* 1/2 (y - t)^2 */
                grad[(size_t)b * K + k] = e / (bp_real)B;         /* dL/dy = (y - t) / B */
            }
            rows_out[b] = (bp_real)r;
            total += r;
        }
        return total / B;
    case BP_SSE:
    case BP_MSE: {
        bp_real scale = loss == BP_SSE ? 2.0f / (bp_real)B : 2.0f / ((bp_real)B * (bp_real)K);
        for (int b = 0; b < B; b++) {
            double r = 0.0;
            for (int k = 0; k < K; k++) {
                bp_real e = a[(size_t)b * K + k] - TGT(b, k);
                r += (double)e * e;                             /* (y - t)^2 */
                grad[(size_t)b * K + k] = scale * e;            /* dL/dy = 2 (y - t) / (B K) */
            }
            rows_out[b] = (bp_real)(loss == BP_SSE ? r : r / K);
            total += r;
        }
        return loss == BP_SSE ? total / B : total / ((double)B * K);
    }
    case BP_CROSS_ENTROPY:
        if (act == BP_SOFTMAX) {
            *fused = 1;
            for (int b = 0; b < B; b++) {
                const bp_real *zb = z + (size_t)b * K;
                bp_real m = zb[0];
                for (int k = 1; k < K; k++) m = zb[k] > m ? zb[k] : m;
                double s = 0.0;
                for (int k = 0; k < K; k++) s += k_expf(zb[k] - m);
                double lse = m + bp_log(s);                     /* log sum_k e^{z_k} */
                double r = 0.0;
                for (int k = 0; k < K; k++) {
                    bp_real t = TGT(b, k);
                    if (t != 0.0f) r -= t * (zb[k] - lse);      /* -t log y, log y = z - lse */
                    grad[(size_t)b * K + k] = (a[(size_t)b * K + k] - t) / (bp_real)B;  /* delta = (y - t) / B */
                }
                rows_out[b] = (bp_real)r;
                total += r;
            }
        } else {
            for (int b = 0; b < B; b++) {
                double r = 0.0;
                for (int k = 0; k < K; k++) {
                    bp_real t = TGT(b, k), y = a[(size_t)b * K + k];
                    if (t != 0.0f) r -= t * clamped_log(y);
                    grad[(size_t)b * K + k] = -t / ((y > (bp_real)1e-12 ? y : (bp_real)1e-12) * (bp_real)B);  /* dL/dy = -t / (y B) */
                }
                rows_out[b] = (bp_real)r;
                total += r;
            }
        }
        return total / B;
    case BP_BCE: {
        bp_real scale = 1.0f / ((bp_real)B * (bp_real)K);
        *fused = act == BP_SIGMOID;
        for (int b = 0; b < B; b++) {
            double r = 0.0;
            for (int k = 0; k < K; k++) {
                bp_real t = TGT(b, k), y = a[(size_t)b * K + k];
                r -= t * clamped_log(y) + (1.0 - t) * clamped_log(1.0 - (double)y);
                if (*fused)
                    grad[(size_t)b * K + k] = (y - t) * scale;  /* delta = (y - t) / (B K) */
                else {                                          /* dL/dy = (y - t) / (y (1 - y) B K) */
                    bp_real d = (1.0f - y) * y;
                    grad[(size_t)b * K + k] = (y - t) / (d > (bp_real)1e-12 ? d : (bp_real)1e-12) * scale;
                }
            }
            rows_out[b] = (bp_real)(r / K);
            total += r;
        }
        return total / ((double)B * K);
    }
    default:
        return 0.0;
    }
}
