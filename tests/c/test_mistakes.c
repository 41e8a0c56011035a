/* test_mistakes.c - the classic mistakes of mistakes.c on Mazur's 2-2-2 example ("A Step by Step
 * Backpropagation Example", 2015: x = (0.05, 0.1), t = (0.01, 0.99), sigmoid layers, half SSE,
 * lr 0.5, biases not updated) and on the practical work's chain (x 0.5, w 0.4, v 0.6, y 1, lr 0.1).
 * The true values are Mazur's published ones (E_total 0.298371109, dE/dw5 0.082167041, dE/dw1
 * 0.000438568); each mistake's reference is the same hand formula with the mistake made, evaluated in
 * Python's float64 from those numbers (the formula is in the comment beside each check).
 * Built by `make test-c` for the double build (the panels' precision). */
#include "internal.h"
#include <math.h>
#include <stdio.h>

static int passed, failed;
#define NEAR(got, want, tol) do { double g_ = (got), w_ = (want); if (fabs(g_ - w_) <= (tol) * (1 + fabs(w_))) passed++; else { \
    failed++; printf("FAIL %s:%d: %s = %.12g, want %.12g\n", __FILE__, __LINE__, #got, g_, w_); } } while (0)

/* offsets in out: layer 0 then layer 1, each z a delta (B O), dW (O I), db (O), W (O I), b (O) */
enum { L0 = 0, L0_LEN = 3 * 2 + 2 * (4 + 2), L1 = L0_LEN, Z = 0, A = 2, D = 4, DW = 6, DB = 10, WN = 12, BN = 16, LOSS = 2 * L0_LEN };

static bp_real out[64];
static void mazur(int m)
{
    static const int32_t sizes[] = {2, 2, 2}, acts[] = {BP_SIGMOID, BP_SIGMOID};
    static const bp_real p[] = {0.15, 0.2, 0.25, 0.3, 0.35, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.6};
    static const bp_real x[] = {0.05, 0.1}, t[] = {0.01, 0.99};
    int rc = bp_mistake_step(m, 2, sizes, acts, BP_HALF_SSE, p, 0, x, t, 1, 0.5, out);
    NEAR(rc, BP_OK, 0);
}

static void test_mazur_mistakes(void)
{
    const double tol = 1e-8;
    mazur(BP_M_NONE);
    NEAR(out[LOSS], 0.298371109, tol);                     /* Mazur: E_total */
    NEAR(out[L1 + DW], 0.082167041, tol);                  /* Mazur: dE/dw5 */
    NEAR(out[L1 + WN], 0.35891648, tol);                   /* Mazur: w5+ */
    NEAR(out[L0 + DW], 0.000438568, 1e-6);                 /* Mazur: dE/dw1 */
    NEAR(out[L0 + WN], 0.149780716, tol);                  /* Mazur: w1+ */
    NEAR(out[L1 + BN], 0.6, 0);                            /* biases not updated */
    mazur(BP_M_NO_ACT_DERIV);
    NEAR(out[L1 + DW], 0.4398296489618467, tol);           /* (o1 - t1) h1 */
    NEAR(out[L0 + D], 0.03635030639314466, tol);           /* the same slip in the hidden layer, from the true deltas above: sum_k delta_k v_1k */
    mazur(BP_M_DERIV_OF_A);
    NEAR(out[L1 + D], 0.16146066852674198, tol);           /* (o1 - t1) s(o1)(1 - s(o1)) */
    mazur(BP_M_DERIV_IS_ACT);
    NEAR(out[L1 + D], 0.5570358170478331, tol);            /* (o1 - t1) o1 */
    mazur(BP_M_SIGN_FLIP);
    NEAR(out[L1 + DW], -0.082167041, tol);                 /* (t - o) for (o - t) */
    mazur(BP_M_NO_HALF);
    NEAR(out[LOSS], 2 * 0.298371109, tol);                 /* sum (o - t)^2 */
    NEAR(out[L1 + DW], 2 * 0.082167041, tol);              /* 2 (o - t) o (1 - o) h */
    mazur(BP_M_W_NOT_WT);
    NEAR(out[L0 + D], 0.009231011262826983, tol);          /* (delta1 w5... by rows: sum_k delta_k W2[j][k]) h1 (1 - h1) */
    NEAR(out[L0 + D + 1], 0.011620485315094626, tol);
    mazur(BP_M_UPDATED_W);
    NEAR(out[L0 + D], 0.007294457551881869, tol);          /* sum_k delta_k W2+[k][j] h (1 - h) */
    mazur(BP_M_BIAS_AXIS);
    NEAR(out[L1 + DB], 0.10040032511200071, tol);          /* delta_o1 + delta_o2 */
    NEAR(out[L1 + DB + 1], 0.10040032511200071, tol);
    mazur(BP_M_NO_MEAN);                                   /* one row: 1/B is 1, the true values */
    NEAR(out[L1 + DW], 0.082167041, tol);
}

static void test_chain_mistakes(void)
{
    static const int32_t sizes[] = {1, 1, 1}, acts[] = {BP_SIGMOID, BP_IDENTITY};
    static const bp_real p[] = {0.4, 0, 0.6, 0}, x[] = {0.5}, t[] = {1};
    const double tol = 1e-12;
    enum { C1 = 3 + 2 * 2, LS = 2 * C1 };
    NEAR(bp_mistake_step(BP_M_NONE, 2, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out), BP_OK, 0);
    NEAR(out[LS], 0.2245167380406245, tol);                /* 1/2 (s(0.2) 0.6 - 1)^2 */
    NEAR(out[C1 + 2], -0.6700996016125133, tol);           /* delta_o = o - y */
    NEAR(out[2], -0.09951645406002721, tol);               /* delta_h = delta_o v h (1 - h) */
    bp_mistake_step(BP_M_DERIV_ON_LINEAR, 2, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[C1 + 2], -0.1630482105938159, tol);           /* (o - y) s(o)(1 - s(o)) on the linear output */
    bp_mistake_step(BP_M_DERIV_IS_ACT, 2, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[C1 + 2], -0.6700996016125133, tol);           /* a linear output has no derivative to replace: o - y */
    bp_mistake_step(BP_M_UPDATED_W, 2, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[2], -0.10562748653937727, tol);               /* delta_o (v - lr dv) h (1 - h) */
    NEAR(bp_mistake_step(BP_M_COUNT, 2, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out), BP_EINVAL, 0);
}

/* The graph panel's example: u = W x, z = u + b, L = 1/2 |z - t|^2 with x (1, 2), W ((0.5, -0.3), (0.8, 0.2)),
 * b (0.2, -0.1), t (1, 0): by hand z = (0.1, 1.1), delta = z - t = (-0.9, 1.1), dL/dx = W^T delta = (0.43, 0.49);
 * with W for W^T: W delta = (-0.78, -0.5). Offsets: one layer (18 values), the loss, the new output (2), dL/dx. */
static void test_graph_dx(void)
{
    static const int32_t sizes[] = {2, 2}, acts[] = {BP_IDENTITY};
    static const bp_real p[] = {0.5, -0.3, 0.8, 0.2, 0.2, -0.1}, x[] = {1, 2}, t[] = {1, 0};
    bp_mistake_step(BP_M_NONE, 1, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[4], -0.9, 1e-12); NEAR(out[21], 0.43, 1e-12); NEAR(out[22], 0.49, 1e-12);
    bp_mistake_step(BP_M_W_NOT_WT, 1, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[21], -0.78, 1e-12); NEAR(out[22], -0.5, 1e-12);
    bp_mistake_step(BP_M_SIGN_FLIP, 1, sizes, acts, BP_HALF_SSE, p, 1, x, t, 1, 0.1, out);
    NEAR(out[21], -0.43, 1e-12);                           /* the flipped delta carried into dL/dx */
}

static void test_softmax_diag(void)
{
    /* one softmax layer, z = W x with W = I, x = (1, 2, 0.5), t = class 2: a = softmax(z) */
    static const int32_t sizes[] = {3, 3}, acts[] = {BP_SOFTMAX};
    static const bp_real p[] = {1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, x[] = {1, 2, 0.5}, t[] = {0, 1, 0};
    bp_mistake_step(BP_M_SOFTMAX_DIAG, 1, sizes, acts, BP_CROSS_ENTROPY, p, 1, x, t, 1, 0.1, out);
    double e = exp(1) + exp(2) + exp(0.5), a1 = exp(2) / e;
    NEAR(out[6], 0, 0);                                    /* -t_k (1 - a_k) = 0 off the target */
    NEAR(out[7], -(1 - a1), 1e-14);                        /* = a_c - 1 at the target, as the true one */
    bp_mistake_step(BP_M_NONE, 1, sizes, acts, BP_CROSS_ENTROPY, p, 1, x, t, 1, 0.1, out);
    NEAR(out[6], exp(1) / e, 1e-14);                       /* the true delta a_k - t_k */
}

static void test_adam(void)
{
    /* two steps from theta 1 with g = 0.5 both times; the second from the true theta after the first */
    const bp_real g[] = {0.5, 0.5};
    bp_real prev[2] = {1, 0}, o[4];
    bp_mistake_adam(1, 1, 1, prev, g, 0.1, 0.9, 0.999, 1e-8, o);
    NEAR(o[0], 1 - 0.1 * 0.5 / (0.5 + 1e-8), 1e-12);      /* m_hat = g, v_hat = g^2: a step of lr */
    prev[1] = o[0];
    bp_mistake_adam(0, 1, 2, prev, g, 0.1, 0.9, 0.999, 1e-8, o);
    NEAR(o[0], 1 - 0.1 * 0.05 / (sqrt(0.001 * 0.25) + 1e-8), 1e-12);  /* m = 0.1 g, v = 0.001 g^2: 3.16 lr */
    NEAR(o[1], -0.1 * 0.05 / (sqrt(0.001 * 0.25) + 1e-8), 1e-12);     /* the step */
    NEAR(o[2], prev[1] - 0.1 * 0.095 / (sqrt(0.0019990 * 0.25) + 1e-8), 1e-9);  /* m = 0.19 g, v = 0.001999 g^2 */
}

/* The slides' model 1 (rows (0.3, 0.3, 0.4), (0.3, 0.4, 0.3), (0.1, 0.2, 0.7) against classes 3, 2, 1):
 * by hand, sum_k (y - t)^2 per row = 0.54, 0.54, 1.34; half of it is the true half_sse. */
static void test_losses(void)
{
    static const bp_real y[] = {0.3, 0.3, 0.4, 0.3, 0.4, 0.3, 0.1, 0.2, 0.7}, t[] = {0, 0, 1, 0, 1, 0, 1, 0, 0};
    bp_real rows[3];
    double mean;
    bp_mistake_loss(BP_M_NONE, BP_HALF_SSE, 3, 3, y, t, rows, &mean);
    NEAR(rows[0], 0.27, 1e-12); NEAR(mean, (0.27 + 0.27 + 0.67) / 3, 1e-12);
    bp_mistake_loss(BP_M_NO_HALF, BP_HALF_SSE, 3, 3, y, t, rows, &mean);
    NEAR(rows[2], 1.34, 1e-12); NEAR(mean, (0.54 + 0.54 + 1.34) / 3, 1e-12);
    bp_mistake_loss(BP_M_NO_MEAN, BP_HALF_SSE, 3, 3, y, t, rows, &mean);
    NEAR(mean, 0.27 + 0.27 + 0.67, 1e-12);                 /* the sum, not the mean */
    NEAR(bp_mistake_loss(BP_M_COUNT, BP_HALF_SSE, 3, 3, y, t, rows, &mean), BP_EINVAL, 0);
}

int main(void)
{
    test_losses();
    test_graph_dx();
    test_mazur_mistakes();
    test_chain_mistakes();
    test_softmax_diag();
    test_adam();
    printf("%d passed, %d failed\n", passed, failed);
    return failed != 0;
}
