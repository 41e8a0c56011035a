/* internal.h - structures and functions shared by the core's files; not part of the public API. */
#ifndef BP_INTERNAL_H
#define BP_INTERNAL_H

#include "bp.h"
#include <stdarg.h>

/* ---- RNG (rng.c): xoshiro128** seeded by splitmix32; same bits on every platform ---- */
typedef struct { uint32_t s[4]; int has_spare; double spare; } bp_rng;
void rng_seed(bp_rng *r, uint32_t seed);
uint32_t rng_u32(bp_rng *r);
uint32_t rng_below(bp_rng *r, uint32_t n);     /* uniform in [0, n), unbiased */
float rng_uniform(bp_rng *r);                  /* [0, 1) with 24 random bits */
double rng_normal(bp_rng *r);                  /* N(0, 1), Marsaglia's polar method */
double bp_log(double x);                       /* ln x from + - * / only: identical everywhere */

/* ---- kernels (kernels.c): row-major matrices, SIMD with a scalar twin each ---- */
/* C (M x N) = A (M x K) B^T (B is N x K) + bias (N, may be NULL). Forward: Z = A_prev W^T + b. */
void k_gemm_nt(int M, int N, int K, const float *A, const float *B, const float *bias, float *C);
/* C (M x N) = A (M x K) B (K x N). Backward to the input: dA_prev = delta W. */
void k_gemm_nn(int M, int N, int K, const float *A, const float *B, float *C);
/* C (M x N) = A^T B with A (K x M), B (K x N). Weight gradient: dW = delta^T A_prev. */
void k_gemm_tn(int M, int N, int K, const float *A, const float *B, float *C);
void k_colsum(int M, int N, const float *A, float *out);   /* out[j] = sum_i A[i][j]: db */
void k_gemm_nt_ref(int M, int N, int K, const float *A, const float *B, const float *bias, float *C);
void k_gemm_nn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void k_gemm_tn_ref(int M, int N, int K, const float *A, const float *B, float *C);
void k_colsum_ref(int M, int N, const float *A, float *out);
float k_expf(float x);                          /* exp, Cephes polynomial: same bits as the SIMD one */
float k_expm1f(float x);
float k_tanhf(float x);
void k_exp_vec(int n, const float *x, float *y);           /* SIMD y = exp(x) */
void k_exp_vec_ref(int n, const float *x, float *y);
const char *k_kernel_kind(void);                /* "wasm-simd128", "simde", or "scalar" */

/* ---- activations and dense layers (layers.c) ---- */
/* a = f(z) over n values (rows of `cols` for softmax). */
int act_forward(int act, float alpha, int rows, int cols, const float *z, float *a);
/* delta = dL/da * f'(z), from z and a = f(z). Returns BP_ENOGRAD for step. */
int act_backward(int act, float alpha, int rows, int cols, const float *z, const float *a,
                 const float *da, float *delta);
float act_default_alpha(int act);
/* z (B x O) = inp (B x I) W^T + b: the course's z = W a + b for each row. */
void dense_forward(float *z, const float *inp, const float *W, const float *b, int B, int I, int O);
/* dW = delta^T inp, db = column sums of delta (b NULL: none), dinp = delta W (NULL: skipped). */
void dense_backward(float *dinp, float *dW, float *db, const float *delta, const float *inp, const float *W,
                    int B, int I, int O);
void bn_forward(int train, int B, int n, const float *z, const float *gamma, const float *beta, float eps, float mom,
                float *zhat, float *h, float *invstd, float *run_mean, float *run_var);
void bn_backward(int B, int n, const float *zhat, const float *invstd, const float *gamma, float *d,
                 float *dgamma, float *dbeta);
void dropout_apply(int n, const float *mask, const float *in, float *out);

/* ---- losses (losses.c) ---- */
/* Loss of a batch of B rows, K outputs (a mean, see losses.c), its per-row values into rows_out (B),
 * and the gradient into grad: delta = dL/dz of the last layer when the loss fuses with the output
 * activation (softmax + cross-entropy, sigmoid + bce; *fused = 1), else dL/da (*fused = 0).
 * Targets: T (B x K) or labels (B class indices, one-hot). z and a are the last layer's. */
double loss_eval(int loss, int act, int B, int K, const float *z, const float *a, const float *T,
                 const int32_t *labels, float *rows_out, float *grad, int *fused);

/* ---- optimizer step on flat blocks (optim.c) ---- */
typedef struct {
    int64_t t; double b1t, b2t;    /* step count, beta1^t, beta2^t */
} bp_optstate;
/* m, v, vmax: state blocks; tr_mhat, tr_vhat, tr_step: trace outputs (NULL when not tracing);
 * *step_sq gets ||theta_t - theta_t-1||^2 (for the step-length stopping criterion). */
void optim_step(const bp_optim *c, bp_optstate *s, int n, float *p, const float *g, float *m, float *v,
                float *vmax, float *tr_mhat, float *tr_vhat, float *tr_step, double *step_sq);
/* Checks every setting (BP_EINVAL naming the first bad one into err); then the form the step loop
 * runs: nesterov as SGD with the flag, amsgrad as Adam with the flag. */
int optim_check(const bp_optim *o, bp_error *err);
bp_optim optim_normal(const bp_optim *o);

/* ---- the network ---- */
typedef struct {
    int in, out, act, has_bias;
    float alpha;
    float dropout;             /* probability of dropping an output in training (0: none) */
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
    float *block;              /* one allocation: params | grads | m | v | vmax */
    float *params, *grads, *m, *v, *vmax;
    /* trace buffers (one allocation, only when tracing): prev params, m_hat, v_hat, step */
    float *tblock, *prev, *mhat, *vhat, *stepv;
    int tracing;
    /* workspace for `cap` rows: input copy, Z, A, delta per layer, dA scratch, targets */
    int cap, rows;             /* capacity and rows of the last forward */
    float *ws;
    float *X, *Z[BP_MAX_LAYERS], *A[BP_MAX_LAYERS], *D[BP_MAX_LAYERS], *dA, *dX, *T, *lrows;
    float *ZH[BP_MAX_LAYERS], *H[BP_MAX_LAYERS], *IS[BP_MAX_LAYERS];   /* batch norm: zhat, h, 1/std */
    float *M[BP_MAX_LAYERS], *O[BP_MAX_LAYERS];                          /* dropout: mask, output */
    float *stats;              /* running means and variances of the batch-norm layers */
    int nstats, fixed_masks, train_mode;
    int32_t *lab;
    int have_T, have_lab;
    int stage;                 /* 0 nothing, 1 forwarded, 2 backwarded */
    bp_optim opt;              /* as optim_normal gives it */
    bp_optstate ost;
    float loss_value;
    double snorm;
    bp_rng rng;
    int32_t *perm; int perm_n, cursor;
    bp_error err;
};

struct bp_data {
    int32_t n, dim, k;
    float *x;                  /* n x dim floats, or NULL when the samples are bytes: */
    uint8_t *px;               /* n x dim bytes (MNIST pixels), turned into floats through lut */
    float lut[256];
    int32_t *labels;
    float *targets;
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
