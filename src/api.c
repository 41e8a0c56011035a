/* api.c - error messages and names shared by the public API. */
#include "internal.h"
#include <stdio.h>

void put_err(char *err, int err_len, const char *fmt, ...)
{
    if (!err || err_len <= 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, (size_t)err_len, fmt, ap);
    va_end(ap);
}

int net_fail(bp_net *net, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(net->err, sizeof net->err, fmt, ap);
    va_end(ap);
    return code;
}

static const char *ACT[] = {"identity", "step", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softmax"};
static const char *LOSS[] = {"half_sse", "mse", "cross_entropy", "bce", "sse"};
static const char *OPT[] = {"sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "amsgrad", "adamw"};

const char *bp_act_name(int32_t a) { return a >= 0 && a < BP_ACT_COUNT ? ACT[a] : "?"; }
const char *bp_loss_name(int32_t l) { return l >= 0 && l < BP_LOSS_COUNT ? LOSS[l] : "?"; }
const char *bp_opt_name(int32_t k) { return k >= 0 && k < BP_OPT_COUNT ? OPT[k] : "?"; }
const char *bp_version(void) { return "0.1.0"; }
const char *bp_kernels(void) { return k_kernel_kind(); }
