/* resume.c - what a saved model needs beyond its parameters to continue training bit for bit: the
 * optimizer's step count and beta^t products, the RNG (shuffling, dropout), and the epoch's order and
 * position. The moment blocks (m, v, vmax) are read and written in place through bp_net_moments. */
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A failure with the argument's name: the core's error as data (field, no index or value) where
 * internal.h has it (VAL defined), else the message alone. One line to drop once both are merged. */
#ifdef VAL
#define FAIL(net, code, field, ...) net_fail(net, code, field, 0, NOVAL, __VA_ARGS__)
#else
#define FAIL(net, code, field, ...) net_fail(net, code, __VA_ARGS__)
#endif

/* out[9]: t, beta1^t, beta2^t, the RNG's four state words, has_spare, spare (all exact in a double). */
int32_t bp_net_resume_get(const bp_net *net, double *out)
{
    if (!net || !out) return BP_EINVAL;
    out[0] = (double)net->ost.t; out[1] = net->ost.b1t; out[2] = net->ost.b2t;
    for (int i = 0; i < 4; i++) out[3 + i] = (double)net->rng.s[i];
    out[7] = net->rng.has_spare; out[8] = net->rng.spare;
    return BP_OK;
}

static int word(double x) { return x >= 0 && x <= 4294967295.0 && x == floor(x); }

/* Sets what bp_net_resume_get gave; checks every value (a step count, products in (0, 1], 32-bit words
 * not all zero, a finite spare normal). */
int32_t bp_net_resume_set(bp_net *net, const double *in)
{
    if (!net || !in) return BP_EINVAL;
    if (!(in[0] >= 0 && in[0] <= 2147483647.0 && in[0] == floor(in[0])))
        return FAIL(net, BP_EINVAL, "step", "resume: step count %g is not a whole number >= 0", in[0]);
    for (int i = 1; i <= 2; i++)
        if (!(in[i] > 0 && in[i] <= 1)) return FAIL(net, BP_EINVAL, "beta_t", "resume: beta%d^t = %g is not in (0, 1]", i, in[i]);
    if (!word(in[3]) || !word(in[4]) || !word(in[5]) || !word(in[6]) || !(in[3] || in[4] || in[5] || in[6]))
        return FAIL(net, BP_EINVAL, "rng", "resume: the RNG state must be four 32-bit words, not all zero");
    if (!(in[7] == 0 || in[7] == 1) || !isfinite(in[8]))
        return FAIL(net, BP_EINVAL, "rng", "resume: the RNG's spare normal must be a flag 0/1 and a finite number");
    net->ost.t = (int64_t)in[0]; net->ost.b1t = in[1]; net->ost.b2t = in[2];
    for (int i = 0; i < 4; i++) net->rng.s[i] = (uint32_t)in[3 + i];
    net->rng.has_spare = (int)in[7]; net->rng.spare = in[8];
    return BP_OK;
}

/* The optimizer's state blocks, nparams floats each: 0 m (momentum buffer, Adam's m), 1 v, 2 vmax. */
bp_real *bp_net_moments(bp_net *net, int32_t which)
{
    if (!net || which < 0 || which > 2) return NULL;
    return which == 0 ? net->m : which == 1 ? net->v : net->vmax;
}

/* The current epoch's order (bp_net_epoch_length entries, NULL before the first epoch) and position. */
int32_t *bp_net_epoch_order(bp_net *net) { return net ? net->perm : NULL; }
int32_t bp_net_epoch_length(const bp_net *net) { return net && net->perm ? net->perm_n : 0; }
int32_t bp_net_epoch_cursor(const bp_net *net) { return net && net->perm ? net->cursor : 0; }

/* Restores an epoch in progress: order must be a permutation of 0..n-1, 0 <= cursor <= n. */
int32_t bp_net_epoch_restore(bp_net *net, int32_t n, const int32_t *order, int32_t cursor)
{
    if (!net) return BP_EINVAL;
    if (n < 1 || !order || cursor < 0 || cursor > n)
        return FAIL(net, BP_EINVAL, "epoch", "resume: epoch of %d samples at position %d is not allowed", n, cursor);
    uint8_t *seen = calloc((size_t)n, 1);
    int32_t *p = malloc((size_t)n * sizeof(int32_t));
    if (!seen || !p) { free(seen); free(p); return FAIL(net, BP_ENOMEM, "epoch", "out of memory for the epoch's order"); }
    for (int i = 0; i < n; i++) {
        if (order[i] < 0 || order[i] >= n || seen[order[i]]) {
            free(seen); free(p);
            return FAIL(net, BP_EINVAL, "epoch", "resume: the epoch's order is not a permutation of 0..%d (entry %d)", n - 1, i);
        }
        seen[order[i]] = 1;
        p[i] = order[i];
    }
    free(seen);
    free(net->perm);
    net->perm = p; net->perm_n = n; net->cursor = cursor;
    return BP_OK;
}
