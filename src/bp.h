/* bp.h - Backprop Lab's training core: dense networks, their backward pass, optimizers.
 *
 * Notation (the course's): layer l has W (out x in) and b (out);
 *   z = W a_prev + b,  a = f(z).   In batch form, rows are samples: Z = A_prev W^T + b.
 *   delta = dL/dz,  dL/dW = delta^T A_prev,  dL/db = sum over rows of delta,
 *   dL/da_prev = delta W.
 * Loss over a batch of B rows and K outputs is always a MEAN (see losses.c for each one).
 *
 * Every function that can fail returns 0 (BP_OK) or a negative BP_E* code and leaves a bp_error:
 * the code, the argument it is about, its value, and a message a person can read (bp_net_last_error,
 * bp_vopt_last_error, or the bp_error passed to a create function). Nothing aborts; nothing keeps
 * global state. Names of every enum and the defaults are exported (bp_enum_name, bp_optim_default)
 * so that the JS tables are built from the core, not copied.
 */
#ifndef BP_H
#define BP_H

#include <stdint.h>
#include <stddef.h>

#define BP_MAX_LAYERS 16     /* weight layers */
#define BP_MAX_WIDTH  4096   /* neurons in one layer */
#define BP_ERR_LEN    256

/* The scalar of every value the core computes and stores: float in the training builds, double with
 * -DBP_F64 (the panels' build, bp-f64.wasm: every number a student sees equals a float64 calculation).
 * Comments below say "floats" for either. */
#ifdef BP_F64
typedef double bp_real;
#else
typedef float bp_real;
#endif
int32_t bp_real_size(void);                                  /* sizeof(bp_real): 4, or 8 in the f64 build */

enum bp_status {
    BP_OK = 0,
    BP_EINVAL = -1,      /* an argument is out of range */
    BP_ENOMEM = -2,      /* out of memory */
    BP_ENOGRAD = -3,     /* backward through an activation that has no gradient (step) */
    BP_EDIVERGED = -4,   /* the loss became NaN or infinite */
    BP_ESTATE = -5       /* called in the wrong order (e.g. backward before forward) */
};

enum bp_act { BP_IDENTITY, BP_STEP, BP_SIGMOID, BP_TANH, BP_RELU, BP_LEAKY_RELU, BP_ELU, BP_SOFTMAX, BP_ACT_COUNT };
enum bp_loss { BP_HALF_SSE, BP_MSE, BP_CROSS_ENTROPY, BP_BCE, BP_SSE, BP_LOSS_COUNT };
enum bp_init {
    BP_INIT_ZEROS, BP_INIT_SMALL /* N(0,1) * 0.01 */, BP_INIT_XAVIER_UNIFORM, BP_INIT_XAVIER_NORMAL,
    BP_INIT_HE_NORMAL, BP_INIT_HE_UNIFORM, BP_INIT_PYTORCH /* nn.Linear default */, BP_INIT_COUNT
};
enum bp_opt {
    BP_OPT_SGD,        /* torch.optim.SGD: optional momentum (v = mu v + g; theta -= lr v), nesterov */
    BP_OPT_MOMENTUM,   /* the course's form: v = gamma v + lr g; theta -= v */
    BP_OPT_NESTEROV,   /* torch SGD with nesterov=True */
    BP_OPT_ADAGRAD, BP_OPT_RMSPROP, BP_OPT_ADAM, BP_OPT_AMSGRAD, BP_OPT_ADAMW, BP_OPT_COUNT
};

/* ---- names, counts and defaults (api.c): JS builds its tables from these ---- */
enum bp_enum {
    BP_ENUM_ENUM,        /* the names of these kinds: "enum", "status", "activation", "loss", ... */
    BP_ENUM_STATUS,      /* name of status -i: "OK", "EINVAL", "ENOMEM", "ENOGRAD", "DIVERGED", "ESTATE" */
    BP_ENUM_ACT, BP_ENUM_LOSS, BP_ENUM_INIT, BP_ENUM_OPT,
    BP_ENUM_OPT_FIELD,   /* the settings of bp_optim after kind, in order: "lr", "momentum", ... */
    BP_ENUM_VIEW,        /* trace views, enum bp_view */
    BP_ENUM_PARAM,       /* which part of a layer bp_net_param_offset gives: "W", "b", "gamma", "beta" */
    BP_ENUM_VOPT_STATE,  /* bp_vopt_state: "m", "v", "vmax", "m_hat", "v_hat", "step" */
    BP_ENUM_SURFACE,     /* bp_surface kinds */
    BP_ENUM_MISTAKE,     /* bp_mistake_step's mistakes, enum bp_mistake */
    BP_ENUM_COUNT
};
int32_t bp_enum_count(int32_t kind);                         /* entries of an enum (0: unknown kind) */
const char *bp_enum_name(int32_t kind, int32_t i);           /* name of entry i, NULL out of range */
double bp_act_alpha_default(int32_t act);                    /* leaky_relu 0.01, elu 1 (torch's); NaN: no alpha */

/* ---- errors as data ---- */
typedef struct {
    int32_t code;            /* BP_OK or a BP_E* code */
    int32_t iteration;       /* BP_EDIVERGED: the step (1-based) whose loss or gradient was not finite */
    int32_t index;           /* 1-based layer, row, sample or parameter the error is about (0: none) */
    int32_t has_value;       /* 1 when value holds the offending number */
    double value;            /* the offending number (the loss for BP_EDIVERGED) */
    char field[32];          /* the argument: "lr", "sizes", "activations", "batch", ... ("" none) */
    char message[BP_ERR_LEN]; /* for people, in English: names the argument, value and what is allowed */
} bp_error;
int32_t bp_error_size(void);                                 /* sizeof(bp_error), for callers that allocate */
int32_t bp_error_code(const bp_error *e);
int32_t bp_error_iteration(const bp_error *e);
int32_t bp_error_index(const bp_error *e);
int32_t bp_error_has_value(const bp_error *e);
double bp_error_value(const bp_error *e);
const char *bp_error_field(const bp_error *e);
const char *bp_error_message(const bp_error *e);

/* ---- optimizer settings: one struct for the network's and the vector optimizer's ---- */
enum bp_opt_field { BP_F_LR, BP_F_MOMENTUM, BP_F_BETA1, BP_F_BETA2, BP_F_EPS, BP_F_ALPHA, BP_F_WEIGHT_DECAY,
                    BP_F_NESTEROV, BP_F_AMSGRAD, BP_F_COUNT };
typedef struct {             /* kind, then the BP_ENUM_OPT_FIELD settings in that order (bp_optim_offset) */
    int32_t kind;            /* enum bp_opt */
    bp_real lr, momentum, beta1, beta2, eps, alpha, weight_decay;
    int32_t nesterov, amsgrad; /* 0 or 1 */
} bp_optim;
void bp_optim_defaults(bp_optim *o, int32_t kind);           /* every setting at its default for kind */
double bp_optim_default(int32_t kind, int32_t field);        /* the default (torch.optim's; the course's for
                                                              * momentum) exactly as a double; NaN out of range */
int32_t bp_optim_has(int32_t kind, int32_t field);           /* 1: a setting of the optimizer's own formula */
int32_t bp_optim_is_flag(int32_t field);                     /* 1: an int32 0/1 setting (else a float) */
int32_t bp_optim_offset(int32_t field);                      /* byte offset of a setting in bp_optim (-1: none) */

typedef struct bp_net bp_net;
typedef struct bp_data bp_data;

/* ---- network lifecycle (net.c) ---- */
/* Creates a network of n_layers dense layers; sizes has n_layers+1 entries (input first).
 * acts[l] per layer, alphas[l] its parameter (NULL: defaults), bias[l] 0 for a layer without b
 * (NULL: all have b), dropout[l] the probability of dropping an output in training (NULL: none),
 * batchnorm[l] 1 for batch normalisation between z and the activation (NULL: none); dropout and
 * batch norm only on hidden layers. Returns NULL and fills err (may be NULL) on bad arguments. */
bp_net *bp_net_create(int32_t n_layers, const int32_t *sizes, const int32_t *acts, const bp_real *alphas,
                      const int32_t *bias, const bp_real *dropout, const int32_t *batchnorm, int32_t loss,
                      bp_error *err);
void bp_net_free(bp_net *net);
const char *bp_net_error(const bp_net *net);                 /* message of the last failure */
const bp_error *bp_net_last_error(const bp_net *net);        /* the last failure as data */
int32_t bp_net_layers(const bp_net *net);                    /* number of weight layers */
int32_t bp_net_size(const bp_net *net, int32_t i);           /* width of activation i (0 = input) */
int32_t bp_net_nparams(const bp_net *net);                   /* floats in the parameter block */
bp_real *bp_net_params(bp_net *net);                           /* the parameter block (W0,b0,W1,b1...) */
bp_real *bp_net_grads(bp_net *net);                            /* gradients, same layout */
int32_t bp_net_param_offset(const bp_net *net, int32_t layer, int32_t which /*0 W, 1 b, 2 gamma, 3 beta*/);
int32_t bp_net_init(bp_net *net, int32_t init, uint32_t seed); /* fills W and b; seeds the RNG */
int32_t bp_net_set_layer(bp_net *net, int32_t layer, const bp_real *W, const bp_real *b); /* explicit weights */
void bp_net_seed(bp_net *net, uint32_t seed);                /* reseeds the shuffling and dropout RNG */
void bp_net_fix_masks(bp_net *net, int32_t on);              /* keep dropout masks as set (tests) */
void bp_net_set_update_biases(bp_net *net, int32_t on);      /* 0: updates leave b as it is (Mazur's example) */

/* ---- optimizer (optim.c) ---- */
/* Sets the optimizer and every setting; resets its state. Unused ones are ignored but still must be
 * finite. */
int32_t bp_net_set_optim(bp_net *net, const bp_optim *opt);
void bp_net_reset_optim(bp_net *net);                        /* zero moments, step count 0 */
int32_t bp_net_step_count(const bp_net *net);                /* optimizer steps done (t) */

/* ---- one training step, stage by stage (net.c) ----
 * X: B x in rows. Targets: either T (B x out floats) or labels (B class indices; one-hot). */
int32_t bp_forward(bp_net *net, const bp_real *X, int32_t B);
int32_t bp_backward(bp_net *net, const bp_real *T, const int32_t *labels, int32_t B); /* loss, deltas, grads */
int32_t bp_update(bp_net *net);                              /* one optimizer step with the grads */
int32_t bp_step(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B);
bp_real bp_net_loss(const bp_net *net);                        /* loss of the last backward */
double bp_net_grad_norm(const bp_net *net);                  /* ||g|| of the last backward */
double bp_net_step_norm(const bp_net *net);                  /* ||theta_t - theta_t-1|| of the last update */
int32_t bp_predict(bp_net *net, const bp_real *X, int32_t n, bp_real *out); /* out: n x outputs */

/* ---- numerical gradient (net.c) ---- */
/* Central difference (L(p+d) - L(p-d)) / 2d for parameter index p of the block, on the batch.
 * Writes the numerical value and the analytic one (backprop). Leaves the parameters as they were. */
int32_t bp_gradcheck(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B,
                     int32_t p, bp_real d, double *numeric, double *analytic);
/* The same with every number of the check: out[0] L(w+d), out[1] L(w-d), out[2] the numerical
 * gradient, out[3] the analytic one, out[4] |numeric - analytic|, out[5] the relative error
 * |numeric - analytic| / max(|numeric|, |analytic|) (0 when both are 0, NaN when either is NaN). */
int32_t bp_gradcheck_full(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B,
                          int32_t p, bp_real d, double *out);

/* ---- datasets and mini-batch training (data.c) ---- */
/* n samples of dim floats; with_labels: class labels in [0,k) (else k float targets per sample). */
bp_data *bp_data_create(int32_t n, int32_t dim, int32_t k, int32_t with_labels, bp_error *err);
/* The same with samples stored as bytes, turned into floats through a 256-entry table (bp_data_lut,
 * identity by default) as each batch is gathered: a quarter of the memory for MNIST pixels. */
bp_data *bp_data_create_u8(int32_t n, int32_t dim, int32_t k, int32_t with_labels, bp_error *err);
uint8_t *bp_data_bytes(bp_data *d);                          /* n x dim bytes, or NULL for float data */
bp_real *bp_data_lut(bp_data *d);                              /* 256 floats: x = lut[byte] */
void bp_data_free(bp_data *d);
bp_real *bp_data_x(bp_data *d);                                /* n x dim, filled by the caller (NULL for bytes) */
int32_t *bp_data_labels(bp_data *d);                         /* n, or NULL */
bp_real *bp_data_targets(bp_data *d);                          /* n x k, or NULL */
int32_t bp_data_count(const bp_data *d);
/* Starts an epoch: checks the data against the net, shuffles (if shuffle) with the net's RNG. */
int32_t bp_epoch_begin(bp_net *net, bp_data *d, int32_t shuffle);
/* Runs up to max_batches mini-batches of the epoch; losses[i] gets each batch's loss (may be NULL).
 * Returns the number run (0 when the epoch is over) or a negative error. */
int32_t bp_train_batches(bp_net *net, bp_data *d, int32_t batch, int32_t max_batches, bp_real *losses);
int32_t bp_epoch_remaining(const bp_net *net);               /* samples left in the epoch */
/* Loss and accuracy over a dataset; confusion (k x k, row = true class) and probs (n x k) optional. */
int32_t bp_evaluate(bp_net *net, bp_data *d, double *loss, int32_t *correct, int32_t *confusion, bp_real *probs);
/* The same over samples start..start+count-1, ADDED to *loss_sum (the sum, not the mean), *correct and
 * confusion; probs (count x k) optional. bp_evaluate is this over all samples; a long evaluation runs
 * in parts so the caller can show progress and answer in between. */
int32_t bp_evaluate_part(bp_net *net, bp_data *d, int32_t start, int32_t count, double *loss_sum, int32_t *correct,
                         int32_t *confusion, bp_real *probs);

/* ---- trace: every intermediate value of the last step, for the panels (trace.c) ---- */
enum bp_view {
    BP_V_INPUT, BP_V_Z, BP_V_A, BP_V_DELTA, BP_V_LOSS_ROWS, BP_V_TARGET,
    BP_V_W, BP_V_B, BP_V_DW, BP_V_DB, BP_V_W_PREV, BP_V_B_PREV,
    BP_V_M_W, BP_V_M_B, BP_V_V_W, BP_V_V_B, BP_V_VMAX_W, BP_V_VMAX_B,
    BP_V_MHAT_W, BP_V_MHAT_B, BP_V_VHAT_W, BP_V_VHAT_B, BP_V_STEP_W, BP_V_STEP_B,
    BP_V_DINPUT,         /* dL/dx of the input (computed only while tracing) */
    BP_V_ZHAT, BP_V_H,   /* batch norm: zhat = (z - mu) / sqrt(var + eps), h = gamma zhat + beta */
    BP_V_GAMMA, BP_V_BETA, BP_V_DGAMMA, BP_V_DBETA, BP_V_RUN_MEAN, BP_V_RUN_VAR,
    BP_V_MASK,           /* dropout mask of the last training forward (0 or 1/(1-p)) */
    BP_V_COUNT
};
int32_t bp_net_set_trace(bp_net *net, int32_t on);           /* keep pre-update params, m_hat, v_hat, steps */
/* Pointer to a buffer of the last step for a layer, its shape in rows/cols; NULL if it doesn't exist
 * (e.g. b of a layer without bias, trace buffers with tracing off). */
bp_real *bp_view(bp_net *net, int32_t what, int32_t layer, int32_t *rows, int32_t *cols);
int32_t bp_view_rows(bp_net *net, int32_t what, int32_t layer);
int32_t bp_view_cols(bp_net *net, int32_t what, int32_t layer);
bp_real *bp_view_ptr(bp_net *net, int32_t what, int32_t layer);

/* ---- optimizer on a plain vector (optim.c): 2-D loss surfaces use the same update code ---- */
typedef struct bp_vopt bp_vopt;
bp_vopt *bp_vopt_create(int32_t n, bp_error *err);
void bp_vopt_free(bp_vopt *o);
int32_t bp_vopt_set(bp_vopt *o, const bp_optim *opt);
bp_real *bp_vopt_params(bp_vopt *o);                           /* n parameters, set by the caller */
bp_real *bp_vopt_grads(bp_vopt *o);                            /* n gradients, set by the caller */
bp_real *bp_vopt_state(bp_vopt *o, int32_t which);             /* 0 m, 1 v, 2 vmax, 3 m_hat, 4 v_hat, 5 step */
int32_t bp_vopt_step(bp_vopt *o);
const char *bp_vopt_error(const bp_vopt *o);
const bp_error *bp_vopt_last_error(const bp_vopt *o);

/* ---- toy computations for the panels (toy.c) ---- */
/* Loss of given predictions y (B x K) against targets t, each row's into rows_out, the mean into *mean. */
int32_t bp_loss_values(int32_t loss, int32_t B, int32_t K, const bp_real *y, const bp_real *t, bp_real *rows_out, double *mean);
/* 2-D surface kind (0 quadratic x^2/2 + 5y^2, 1 Rosenbrock, 2 saddle, 3 bowl): out = f, df/dx, df/dy. */
int32_t bp_surface(int32_t kind, bp_real x, bp_real y, bp_real *out);
/* The softmax Jacobian at z (K values): out (K x K) J_ij = da_i/dz_j = a_i (1[i=j] - a_j), a = softmax(z). */
int32_t bp_softmax_jacobian(int32_t K, const bp_real *z, bp_real *out);

/* ---- classic hand-calculation mistakes (mistakes.c), for the exercises' diagnosis ---- */
enum bp_mistake { BP_M_NONE, BP_M_NO_ACT_DERIV, BP_M_DERIV_ON_LINEAR, BP_M_DERIV_OF_A, BP_M_DERIV_IS_ACT, BP_M_SIGN_FLIP,
                  BP_M_NO_HALF, BP_M_NO_TWO, BP_M_NO_MEAN, BP_M_W_NOT_WT, BP_M_UPDATED_W, BP_M_BIAS_AXIS, BP_M_SOFTMAX_DIAG,
                  BP_M_ADAM_NO_BIAS, BP_M_COUNT };
/* One SGD step of a dense network (nl layers, sizes[nl+1], acts[nl], params W0 (O x I), b0 (O), W1, b1 ...,
 * every layer with b) on B rows X against T, made with `mistake`. out, per layer: z, a, delta (B x O
 * each), dW (O x I), db (O), W_new (O x I), b_new (O; b itself when update_biases is 0); then the loss
 * (1), the last layer's output with the new parameters (B x K) and dL/dx (B x sizes[0]). At most 4
 * layers, 64 units, 16 rows. */
int32_t bp_mistake_step(int32_t mistake, int32_t nl, const int32_t *sizes, const int32_t *acts, int32_t loss,
                        const bp_real *params, int32_t update_biases, const bp_real *X, const bp_real *T, int32_t B,
                        bp_real lr, bp_real *out);
/* Adam on n values over `steps` steps, each from the given parameters before it (prev, steps x n) with
 * the given gradients (steps x n), with (corrected 1) or without (0) the bias correction; out: per step
 * the parameters after it (n), then the step (n). */
/* Losses of predictions y (B x K) against t (toy.c bp_loss_values) under mistake: no_half (half_sse
 * without its 1/2), no_mean (the sum of the rows for the mean); any other: the true losses. */
int32_t bp_mistake_loss(int32_t mistake, int32_t loss, int32_t B, int32_t K, const bp_real *y, const bp_real *t, bp_real *rows_out, double *mean);
int32_t bp_mistake_adam(int32_t corrected, int32_t n, int32_t steps, const bp_real *prev, const bp_real *g, bp_real lr,
                        bp_real b1, bp_real b2, bp_real eps, bp_real *out);

const char *bp_act_name(int32_t act);
const char *bp_loss_name(int32_t loss);
const char *bp_opt_name(int32_t kind);
const char *bp_version(void);
const char *bp_kernels(void);                                 /* "wasm-simd128", "simde" or "scalar" */

/* ---- resuming a saved run (resume.c): state beyond the parameters, for bit-exact continuation ---- */
int32_t bp_net_resume_get(const bp_net *net, double *out);    /* out[9]: t, beta1^t, beta2^t, rng s0..s3, has_spare, spare */
int32_t bp_net_resume_set(bp_net *net, const double *in);     /* sets them back, each checked */
bp_real *bp_net_moments(bp_net *net, int32_t which);           /* 0 m, 1 v, 2 vmax: nparams floats each */
int32_t *bp_net_epoch_order(bp_net *net);                    /* the epoch's sample order (NULL before one) */
int32_t bp_net_epoch_length(const bp_net *net);              /* entries in that order */
int32_t bp_net_epoch_cursor(const bp_net *net);              /* samples of the epoch done */
int32_t bp_net_epoch_restore(bp_net *net, int32_t n, const int32_t *order, int32_t cursor); /* a permutation */

#endif
