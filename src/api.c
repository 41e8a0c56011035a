/* api.c - errors as data, and the names of every enum the API takes (JS builds its tables from them). */
#include "internal.h"
#include <stdio.h>
#include <string.h>

int put_err(bp_error *err, int code, const char *field, int index, int has_value, double value, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    err->iteration = 0;
    err->index = index;
    err->has_value = has_value;
    err->value = has_value ? value : 0.0;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}

int32_t bp_error_size(void) { return (int32_t)sizeof(bp_error); }
int32_t bp_error_code(const bp_error *e) { return e ? e->code : BP_EINVAL; }
int32_t bp_error_iteration(const bp_error *e) { return e ? e->iteration : 0; }
int32_t bp_error_index(const bp_error *e) { return e ? e->index : 0; }
int32_t bp_error_has_value(const bp_error *e) { return e ? e->has_value : 0; }
double bp_error_value(const bp_error *e) { return e ? e->value : 0.0; }
const char *bp_error_field(const bp_error *e) { return e ? e->field : ""; }
const char *bp_error_message(const bp_error *e) { return e ? e->message : "no error record (NULL)"; }

/* Each list in the order of its enum in bp.h; a new entry goes in both places. */
static const char *ENUM[] = {"enum", "status", "activation", "loss", "init", "optimizer", "optimizer_setting", "view",
    "param", "vector_optimizer_state", "surface", "mistake"};
static const char *STATUS[] = {"OK", "EINVAL", "ENOMEM", "ENOGRAD", "DIVERGED", "ESTATE"};
static const char *ACT[] = {"identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softmax"};
static const char *LOSS[] = {"half_sse", "mse", "cross_entropy", "bce", "sse"};
static const char *INIT[] = {"zeros", "small", "xavier_uniform", "xavier_normal", "he_normal", "he_uniform", "pytorch"};
static const char *OPT[] = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad", "adamw"};
static const char *OPT_FIELD[] = {"lr", "momentum", "beta1", "beta2", "eps", "alpha", "weight_decay", "nesterov", "amsgrad"};
static const char *VIEW[] = {"input", "z", "a", "delta", "loss_rows", "target", "W", "b", "dW", "db", "W_prev", "b_prev",
    "m_W", "m_b", "v_W", "v_b", "vmax_W", "vmax_b", "mhat_W", "mhat_b", "vhat_W", "vhat_b", "step_W", "step_b", "dinput",
    "zhat", "h", "gamma", "beta", "dgamma", "dbeta", "running_mean", "running_var", "mask"};
static const char *PARAM[] = {"W", "b", "gamma", "beta"};
static const char *VOPT_STATE[] = {"m", "v", "vmax", "m_hat", "v_hat", "step"};
static const char *SURFACE[] = {"quadratic", "rosenbrock", "saddle", "bowl"};
static const char *MISTAKE[] = {"none", "no_act_deriv", "deriv_on_linear", "deriv_of_a", "deriv_is_act", "sign_flip", "no_half",
    "no_two", "no_mean", "w_not_wt", "updated_w", "bias_axis", "softmax_diag", "adam_no_bias"};

#define N(a) (int32_t)(sizeof a / sizeof a[0])
_Static_assert(N(ENUM) == BP_ENUM_COUNT && N(STATUS) == 1 - BP_ESTATE && N(ACT) == BP_ACT_COUNT && N(LOSS) == BP_LOSS_COUNT
               && N(INIT) == BP_INIT_COUNT && N(OPT) == BP_OPT_COUNT && N(OPT_FIELD) == BP_F_COUNT
               && N(VIEW) == BP_V_COUNT && N(MISTAKE) == BP_M_COUNT, "a name list and its enum differ in length");

static const struct { const char **names; int32_t n; } ENUMS[BP_ENUM_COUNT] = {
    [BP_ENUM_ENUM] = {ENUM, N(ENUM)}, [BP_ENUM_STATUS] = {STATUS, N(STATUS)}, [BP_ENUM_ACT] = {ACT, N(ACT)}, [BP_ENUM_LOSS] = {LOSS, N(LOSS)},
    [BP_ENUM_INIT] = {INIT, N(INIT)}, [BP_ENUM_OPT] = {OPT, N(OPT)}, [BP_ENUM_OPT_FIELD] = {OPT_FIELD, N(OPT_FIELD)},
    [BP_ENUM_VIEW] = {VIEW, N(VIEW)}, [BP_ENUM_PARAM] = {PARAM, N(PARAM)},
    [BP_ENUM_VOPT_STATE] = {VOPT_STATE, N(VOPT_STATE)}, [BP_ENUM_SURFACE] = {SURFACE, N(SURFACE)},
    [BP_ENUM_MISTAKE] = {MISTAKE, N(MISTAKE)},
};

int32_t bp_enum_count(int32_t kind) { return kind >= 0 && kind < BP_ENUM_COUNT ? ENUMS[kind].n : 0; }
const char *bp_enum_name(int32_t kind, int32_t i)
{
    return i >= 0 && i < bp_enum_count(kind) ? ENUMS[kind].names[i] : NULL;
}

const char *bp_act_name(int32_t a) { return a >= 0 && a < BP_ACT_COUNT ? ACT[a] : "?"; }
const char *bp_loss_name(int32_t l) { return l >= 0 && l < BP_LOSS_COUNT ? LOSS[l] : "?"; }
const char *bp_opt_name(int32_t k) { return k >= 0 && k < BP_OPT_COUNT ? OPT[k] : "?"; }
const char *bp_version(void) { return "0.2.0"; }
const char *bp_kernels(void) { return k_kernel_kind(); }
