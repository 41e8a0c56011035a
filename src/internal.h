/* internal.h - structures and functions shared by the core's files; not part of the public API. */
#ifndef BP_INTERNAL_H
#define BP_INTERNAL_H

#include "bp.h"
#include <stdarg.h>

/* sqrt and |x| of a bp_real: the float functions in the float build, the double ones with BP_F64 */
#ifdef BP_F64
#  define R_SQRT(x) sqrt(x)
#  define R_FABS(x) fabs(x)
#else
#  define R_SQRT(x) sqrtf(x)
#  define R_FABS(x) fabsf(x)
#endif

/* ---- RNG (rng.c): xoshiro128** seeded by splitmix32; same bits on every platform ---- */
typedef struct { uint32_t s[4]; int has_spare; double spare; } bp_rng;
void rng_seed(bp_rng *r, uint32_t seed);
uint32_t rng_u32(bp_rng *r);
uint32_t rng_below(bp_rng *r, uint32_t n);     /* uniform in [0, n), unbiased */
bp_real rng_uniform(bp_rng *r);                  /* [0, 1) with 24 random bits */
double rng_normal(bp_rng *r);                  /* N(0, 1), Marsaglia's polar method */
double bp_log(double x);                       /* ln x from + - * / only: identical everywhere */

/* ---- kernels (kernels.c): row-major matrices, SIMD with a scalar twin each ---- */
/* C (M x N) = A (M x K) B^T (B is N x K) + bias (N, may be NULL). Forward: Z = A_prev W^T + b. */
void k_gemm_nt(int M, int N, int K, const bp_real *A, const bp_real *B, const bp_real *bias, bp_real *C);
/* C (M x N) = A (M x K) B (K x N). Backward to the input: dA_prev = delta W. */
void k_gemm_nn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C);
/* C (M x N) = A^T B with A (K x M), B (K x N). Weight gradient: dW = delta^T A_prev. */
void k_gemm_tn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C);
void k_colsum(int M, int N, const bp_real *A, bp_real *out);   /* out[j] = sum_i A[i][j]: db */
void k_gemm_nt_ref(int M, int N, int K, const bp_real *A, const bp_real *B, const bp_real *bias, bp_real *C);
void k_gemm_nn_ref(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C);
void k_gemm_tn_ref(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C);
void k_colsum_ref(int M, int N, const bp_real *A, bp_real *out);
bp_real k_expf(bp_real x);                          /* exp, Cephes polynomial: same bits as the SIMD one */
bp_real k_expm1f(bp_real x);
bp_real k_tanhf(bp_real x);
void k_exp_vec(int n, const bp_real *x, bp_real *y);           /* SIMD y = exp(x) */
void k_exp_vec_ref(int n, const bp_real *x, bp_real *y);
const char *k_kernel_kind(void);                /* "wasm-simd128", "simde", or "scalar" */

/* ---- activations and dense layers (layers.c) ---- */
/* a = f(z) over n values (rows of `cols` for softmax). */
int act_forward(int act, bp_real alpha, int rows, int cols, const bp_real *z, bp_real *a);
/* delta = dL/da * f'(z), from z and a = f(z). Returns BP_ENOGRAD for step. */
int act_backward(int act, bp_real alpha, int rows, int cols, const bp_real *z, const bp_real *a,
                 const bp_real *da, bp_real *delta);
bp_real act_default_alpha(int act);
/* z (B x O) = inp (B x I) W^T + b: the course's z = W a + b for each row. */
void dense_forward(bp_real *z, const bp_real *inp, const bp_real *W, const bp_real *b, int B, int I, int O);
/* dW = delta^T inp, db = column sums of delta (b NULL: none), dinp = delta W (NULL: skipped). */
void dense_backward(bp_real *dinp, bp_real *dW, bp_real *db, const bp_real *delta, const bp_real *inp, const bp_real *W,
                    int B, int I, int O);
void bn_forward(int train, int B, int n, const bp_real *z, const bp_real *gamma, const bp_real *beta, bp_real eps, bp_real mom,
                bp_real *zhat, bp_real *h, bp_real *invstd, bp_real *run_mean, bp_real *run_var);
void bn_backward(int B, int n, const bp_real *zhat, const bp_real *invstd, const bp_real *gamma, bp_real *d,
                 bp_real *dgamma, bp_real *dbeta);
void dropout_apply(int n, const bp_real *mask, const bp_real *in, bp_real *out);

/* ---- losses (losses.c) ---- */
/* Loss of a batch of B rows, K outputs (a mean, see losses.c), its per-row values into rows_out (B),
 * and the gradient into grad: delta = dL/dz of the last layer when the loss fuses with the output
 * activation (softmax + cross-entropy, sigmoid + bce; *fused = 1), else dL/da (*fused = 0).
 * Targets: T (B x K) or labels (B class indices, one-hot). z and a are the last layer's. */
double loss_eval(int loss, int act, int B, int K, const bp_real *z, const bp_real *a, const bp_real *T,
                 const int32_t *labels, bp_real *rows_out, bp_real *grad, int *fused);

/* ---- optimizer step on flat blocks (optim.c) ---- */
typedef struct {
    int64_t t; double b1t, b2t;    /* step count, beta1^t, beta2^t */
} bp_optstate;
/* m, v, vmax: state blocks; tr_mhat, tr_vhat, tr_step: trace outputs (NULL when not tracing);
 * *step_sq gets ||theta_t - theta_t-1||^2 (for the step-length stopping criterion). */
void optim_step(const bp_optim *c, bp_optstate *s, int n, bp_real *p, const bp_real *g, bp_real *m, bp_real *v,
                bp_real *vmax, bp_real *tr_mhat, bp_real *tr_vhat, bp_real *tr_step, double *step_sq);
/* Checks every setting (BP_EINVAL naming the first bad one into err); then the form the step loop
 * runs: nesterov as SGD with the flag, amsgrad as Adam with the flag. */
int optim_check(const bp_optim *o, bp_error *err);
bp_optim optim_normal(const bp_optim *o);

/* ---- the network ---- */
typedef struct {
    int in, out, act, has_bias;
    bp_real alpha;
    bp_real dropout;             /* probability of dropping an output in training (0: none) */
    int bn;                    /* batch normalisation between z and the activation */
    int w_off, b_off;          /* offsets in the parameter block (b_off -1 without bias) */
    int g_off, be_off;         /* gamma, beta of batch normalisation (-1 without) */
    int rm_off;                /* running mean (and running var at rm_off + out) in the stats block */
} bp_layer;

struct bp_net {
    int nl;
    bp_layer L[BP_MAX_LAYERS];
    int loss;
    int nparams;               /* floats used, padded to a multiple of 4 */
    bp_real *block;              /* one allocation: params | grads | m | v | vmax */
    bp_real *params, *grads, *m, *v, *vmax;
    /* trace buffers (one allocation, only when tracing): prev params, m_hat, v_hat, step */
    bp_real *tblock, *prev, *mhat, *vhat, *stepv;
    int tracing;
    /* workspace for `cap` rows: input copy, Z, A, delta per layer, dA scratch, targets */
    int cap, rows;             /* capacity and rows of the last forward */
    bp_real *ws;
    bp_real *X, *Z[BP_MAX_LAYERS], *A[BP_MAX_LAYERS], *D[BP_MAX_LAYERS], *dA, *dX, *T, *lrows;
    bp_real *ZH[BP_MAX_LAYERS], *H[BP_MAX_LAYERS], *IS[BP_MAX_LAYERS];   /* batch norm: zhat, h, 1/std */
    bp_real *M[BP_MAX_LAYERS], *O[BP_MAX_LAYERS];                          /* dropout: mask, output */
    bp_real *stats;              /* running means and variances of the batch-norm layers */
    int nstats, fixed_masks, train_mode;
    int frozen_bias;           /* 1: the update leaves every b as it is (bp_net_set_update_biases) */
    int32_t *lab;
    int have_T, have_lab;
    int stage;                 /* 0 nothing, 1 forwarded, 2 backwarded */
    bp_optim opt;              /* as optim_normal gives it */
    bp_optstate ost;
    bp_real loss_value;
    double snorm;
    bp_rng rng;
    int32_t *perm; int perm_n, cursor;
    bp_error err;
};

struct bp_data {
    int32_t n, dim, k;
    bp_real *x;                  /* n x dim floats, or NULL when the samples are bytes: */
    uint8_t *px;               /* n x dim bytes (MNIST pixels), turned into floats through lut */
    bp_real lut[256];
    int32_t *labels;
    bp_real *targets;
};

/* Fills an error (err may be NULL) and returns code: the argument `field`, the 1-based index it is
 * about (0: none), its value if any (VAL(x) or NOVAL), and the message. */
#define VAL(x) 1, (double)(x)
#define NOVAL 0, 0.0
int put_err(bp_error *err, int code, const char *field, int index, int has_value, double value, const char *fmt, ...);
#define net_fail(net, ...) put_err(&(net)->err, __VA_ARGS__)
int net_reserve(bp_net *net, int rows);
int net_step_ws(bp_net *net, int B);
int net_has_bn(const bp_net *net);           /* one step on rows gathered into net->X, net->T/lab */
void net_forward_ws(bp_net *net, int B, int train);
int net_loss_ws(bp_net *net, double *loss);

#endif
