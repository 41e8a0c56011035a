/* net.c - a network of dense layers: creation, initialisation, and one training step in stages.
 *
 * Size letters: B rows in the batch, L weight layers, layer l maps in_l -> out_l.
 * Per layer the workspace holds (B rows each):
 *   Z[l]  (B x out)  z = W a_prev + b          A[l] (B x out)  a = f(z)
 *   D[l]  (B x out)  delta = dL/dz
 * The parameter block is W0 (out x in), b0 (out), W1, b1, ... each padded to 4 floats; the
 * gradient block and the optimizer's m, v, vmax blocks have the same layout, so the optimizer is
 * one loop (optim.c) and JS sees all weights as one Float32Array.
 */
#include "internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int pad4(int n) { return (n + 3) & ~3; }

bp_net *bp_net_create(int32_t n_layers, const int32_t *sizes, const int32_t *acts, const bp_real *alphas,
                      const int32_t *bias, const bp_real *dropout, const int32_t *batchnorm, int32_t loss,
                      bp_error *err)
{
    if (n_layers < 1 || n_layers > BP_MAX_LAYERS) {
        put_err(err, BP_EINVAL, "layers", 0, VAL(n_layers), "layers: %d weight layers is not allowed (1..%d)", n_layers, BP_MAX_LAYERS);
        return NULL;
    }
    if (!sizes || !acts) { put_err(err, BP_EINVAL, sizes ? "activations" : "sizes", 0, NOVAL, "sizes and activations are required"); return NULL; }
    for (int i = 0; i <= n_layers; i++)
        if (sizes[i] < 1 || sizes[i] > BP_MAX_WIDTH) {
            put_err(err, BP_EINVAL, "sizes", i + 1, VAL(sizes[i]), "layer size %d: %d neurons is not allowed (1..%d)", i, sizes[i], BP_MAX_WIDTH);
            return NULL;
        }
    for (int l = 0; l < n_layers; l++) {
        if (acts[l] < 0 || acts[l] >= BP_ACT_COUNT) {
            put_err(err, BP_EINVAL, "activations", l + 1, VAL(acts[l]), "activation of layer %d: unknown code %d", l + 1, acts[l]);
            return NULL;
        }
        if (acts[l] == BP_SOFTMAX && l != n_layers - 1) {
            put_err(err, BP_EINVAL, "activations", l + 1, VAL(acts[l]), "activation of layer %d: softmax is only allowed on the output layer", l + 1);
            return NULL;
        }
        if (alphas && !isfinite(alphas[l])) {
            put_err(err, BP_EINVAL, "alphas", l + 1, VAL(alphas[l]), "alpha of layer %d: %g is not a finite number", l + 1, (double)alphas[l]);
            return NULL;
        }
        if (dropout && (!(dropout[l] >= 0.0f) || !(dropout[l] < 1.0f))) {
            put_err(err, BP_EINVAL, "dropout", l + 1, VAL(dropout[l]), "dropout of layer %d: %g is not allowed; it must be in [0, 1)", l + 1, (double)dropout[l]);
            return NULL;
        }
        if (l == n_layers - 1 && ((dropout && dropout[l] > 0.0f) || (batchnorm && batchnorm[l]))) {
            put_err(err, BP_EINVAL, dropout && dropout[l] > 0.0f ? "dropout" : "batchnorm", l + 1, NOVAL, "layer %d: dropout and batch normalisation are for hidden layers, not the output layer", l + 1);
            return NULL;
        }
        if (alphas && acts[l] == BP_ELU && !(alphas[l] > 0)) {
            put_err(err, BP_EINVAL, "alphas", l + 1, VAL(alphas[l]), "alpha of layer %d: ELU needs alpha > 0 (got %g)", l + 1, (double)alphas[l]);
            return NULL;
        }
    }
    if (loss < 0 || loss >= BP_LOSS_COUNT) { put_err(err, BP_EINVAL, "loss", 0, VAL(loss), "loss: unknown code %d", loss); return NULL; }
    int out_act = acts[n_layers - 1];
    if (loss == BP_CROSS_ENTROPY && out_act != BP_SOFTMAX && out_act != BP_SIGMOID) {
        put_err(err, BP_EINVAL, "loss", 0, VAL(loss), "loss: cross-entropy needs probabilities, so the output layer must be softmax "
                "(or sigmoid), not %s", bp_act_name(out_act));
        return NULL;
    }
    if (loss == BP_BCE && out_act != BP_SIGMOID) {
        put_err(err, BP_EINVAL, "loss", 0, VAL(loss), "loss: binary cross-entropy needs outputs in (0, 1), so the output layer must be "
                "sigmoid, not %s", bp_act_name(out_act));
        return NULL;
    }

    bp_net *net = calloc(1, sizeof *net);
    if (!net) { put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory"); return NULL; }
    net->nl = n_layers;
    net->loss = loss;
    int off = 0;
    for (int l = 0; l < n_layers; l++) {
        bp_layer *L = &net->L[l];
        L->in = sizes[l]; L->out = sizes[l + 1]; L->act = acts[l];
        L->alpha = alphas ? alphas[l] : act_default_alpha(acts[l]);
        L->has_bias = bias ? bias[l] != 0 : 1;
        L->dropout = dropout ? dropout[l] : 0.0f;
        L->bn = batchnorm ? batchnorm[l] != 0 : 0;
        L->w_off = off;
        off += pad4(L->in * L->out);
        L->b_off = L->has_bias ? off : -1;
        if (L->has_bias) off += pad4(L->out);
        L->g_off = L->be_off = L->rm_off = -1;
        if (L->bn) {
            L->g_off = off; off += pad4(L->out);
            L->be_off = off; off += pad4(L->out);
        }
    }
    net->nparams = off;
    net->block = calloc((size_t)off * 5, sizeof(bp_real));
    if (!net->block) { free(net); put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory for %d parameters", off); return NULL; }
    net->params = net->block;
    net->grads = net->block + off;
    net->m = net->block + 2 * (size_t)off;
    net->v = net->block + 3 * (size_t)off;
    net->vmax = net->block + 4 * (size_t)off;
    int ns = 0;
    for (int l = 0; l < n_layers; l++)
        if (net->L[l].bn) { net->L[l].rm_off = ns; ns += 2 * net->L[l].out; }
    net->nstats = ns;
    net->stats = calloc((size_t)(ns ? ns : 1), sizeof(bp_real));
    if (!net->stats) { bp_net_free(net); put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory"); return NULL; }
    net->train_mode = 1;
    bp_optim_defaults(&net->opt, BP_OPT_SGD);
    net->ost.b1t = net->ost.b2t = 1.0;
    rng_seed(&net->rng, 0);
    if (net_reserve(net, 64) != BP_OK) { if (err) *err = net->err; bp_net_free(net); return NULL; }
    return net;
}

void bp_net_free(bp_net *net)
{
    if (!net) return;
    free(net->block);
    free(net->tblock);
    free(net->ws);
    free(net->perm);
    free(net->stats);
    free(net);
}

const char *bp_net_error(const bp_net *net) { return net ? net->err.message : "no network (NULL handle)"; }
const bp_error *bp_net_last_error(const bp_net *net) { return net ? &net->err : NULL; }
int32_t bp_net_layers(const bp_net *net) { return net ? net->nl : 0; }
int32_t bp_net_size(const bp_net *net, int32_t i)
{
    if (!net || i < 0 || i > net->nl) return 0;
    return i == 0 ? net->L[0].in : net->L[i - 1].out;
}
int32_t bp_net_nparams(const bp_net *net) { return net ? net->nparams : 0; }
bp_real *bp_net_params(bp_net *net) { return net ? net->params : NULL; }
bp_real *bp_net_grads(bp_net *net) { return net ? net->grads : NULL; }
int32_t bp_net_param_offset(const bp_net *net, int32_t layer, int32_t which)
{
    if (!net || layer < 0 || layer >= net->nl) return -1;
    switch (which) {
    case 0: return net->L[layer].w_off;
    case 1: return net->L[layer].b_off;
    case 2: return net->L[layer].g_off;
    case 3: return net->L[layer].be_off;
    default: return -1;
    }
}

/* Workspace for `rows` rows: one allocation, grown (never per step) when a larger batch comes. */
int net_reserve(bp_net *net, int rows)
{
    if (rows <= net->cap) return BP_OK;
    int maxw = net->L[0].in;
    size_t per_row = pad4(net->L[0].in);                       /* X */
    size_t fixed = 0;
    for (int l = 0; l < net->nl; l++) {
        int extra = 3 + (net->L[l].bn ? 2 : 0) + (net->L[l].dropout > 0.0f ? 2 : 0);
        per_row += extra * (size_t)pad4(net->L[l].out);        /* Z, A, D (+ zhat, h) (+ mask, output) */
        if (net->L[l].bn) fixed += pad4(net->L[l].out);        /* 1/std */
        if (net->L[l].out > maxw) maxw = net->L[l].out;
    }
    int K = net->L[net->nl - 1].out;
    per_row += pad4(maxw) + pad4(net->L[0].in) + pad4(K) + 2;  /* dA scratch, dX, T, loss row, label */
    if (((double)per_row * rows + fixed) * sizeof(bp_real) > 2e9)  /* also keeps size_t from wrapping in 32-bit WASM */
        return net_fail(net, BP_ENOMEM, "batch", 0, VAL(rows), "a batch of %d rows needs %.0f MB of workspace for this network, "
                        "more than the core can address (2 GB); use a smaller batch", rows, ((double)per_row * rows + fixed) * 4 / 1e6);
    bp_real *ws = malloc((per_row * (size_t)rows + fixed) * sizeof(bp_real));
    if (!ws) return net_fail(net, BP_ENOMEM, "batch", 0, VAL(rows), "out of memory for a batch of %d rows", rows);
    free(net->ws);
    net->ws = ws;
    net->cap = rows;
    bp_real *p = ws;
    net->X = p; p += (size_t)pad4(net->L[0].in) * rows;
    for (int l = 0; l < net->nl; l++) {
        size_t n = (size_t)pad4(net->L[l].out) * rows;
        net->Z[l] = p; p += n;
        net->A[l] = p; p += n;
        net->D[l] = p; p += n;
        net->ZH[l] = net->H[l] = net->IS[l] = net->M[l] = net->O[l] = NULL;
        if (net->L[l].bn) { net->ZH[l] = p; p += n; net->H[l] = p; p += n; net->IS[l] = p; p += pad4(net->L[l].out); }
        if (net->L[l].dropout > 0.0f) {
            net->M[l] = p; p += n; net->O[l] = p; p += n;
            for (size_t i = 0; i < n; i++) net->M[l][i] = 1.0f;
        }
    }
    net->dA = p; p += (size_t)pad4(maxw) * rows;
    net->dX = p; p += (size_t)pad4(net->L[0].in) * rows;
    net->T = p; p += (size_t)pad4(K) * rows;
    net->lrows = p; p += rows;
    net->lab = (int32_t *)p;
    net->stage = 0;
    return BP_OK;
}

/* ---------------------------------------------------------------- initialisation */

int32_t bp_net_init(bp_net *net, int32_t init, uint32_t seed)
{
    if (!net) return BP_EINVAL;
    if (init < 0 || init >= BP_INIT_COUNT)
        return net_fail(net, BP_EINVAL, "init", 0, VAL(init), "initialiser: unknown code %d (allowed 0..%d)", init, BP_INIT_COUNT - 1);
    rng_seed(&net->rng, seed);
    for (int l = 0; l < net->nl; l++) {
        bp_layer *L = &net->L[l];
        bp_real *W = net->params + L->w_off, *b = L->has_bias ? net->params + L->b_off : NULL;
        int n = L->in * L->out;
        double fan_in = L->in, fan_out = L->out;
        for (int i = 0; i < n; i++) {
            double w = 0.0;
            switch (init) {
            case BP_INIT_ZEROS: w = 0.0; break;                                           /* symmetric: all neurons stay equal */
            case BP_INIT_SMALL: w = 0.01 * rng_normal(&net->rng); break;                  /* N(0,1) * 0.01 */
            case BP_INIT_XAVIER_UNIFORM: {                                                /* U(-a, a), a = sqrt(6 / (in + out)) */
                double a = sqrt(6.0 / (fan_in + fan_out));
                w = (2.0 * rng_uniform(&net->rng) - 1.0) * a; break; }
            case BP_INIT_XAVIER_NORMAL: w = sqrt(2.0 / (fan_in + fan_out)) * rng_normal(&net->rng); break; /* N(0, 2/(in+out)) */
            case BP_INIT_HE_NORMAL: w = sqrt(2.0 / fan_in) * rng_normal(&net->rng); break;                /* N(0, 2/in) */
            case BP_INIT_HE_UNIFORM: {                                                    /* U(-a, a), a = sqrt(6 / in) */
                double a = sqrt(6.0 / fan_in);
                w = (2.0 * rng_uniform(&net->rng) - 1.0) * a; break; }
            case BP_INIT_PYTORCH: {                                                       /* nn.Linear: U(-1/sqrt(in), 1/sqrt(in)) */
                double a = 1.0 / sqrt(fan_in);
                w = (2.0 * rng_uniform(&net->rng) - 1.0) * a; break; }
            }
            W[i] = (bp_real)w;
        }
        if (b)
            for (int j = 0; j < L->out; j++)
                b[j] = init == BP_INIT_PYTORCH ? (bp_real)((2.0 * rng_uniform(&net->rng) - 1.0) / sqrt(fan_in)) : 0.0f;
    }
    for (int l = 0; l < net->nl; l++) {
        bp_layer *L = &net->L[l];
        if (!L->bn) continue;
        for (int j = 0; j < L->out; j++) {
            net->params[L->g_off + j] = 1.0f;                  /* gamma = 1, beta = 0 */
            net->params[L->be_off + j] = 0.0f;
            net->stats[L->rm_off + j] = 0.0f;                  /* running mean 0, running var 1 */
            net->stats[L->rm_off + L->out + j] = 1.0f;
        }
    }
    bp_net_reset_optim(net);
    net->stage = 0;
    return BP_OK;
}

int32_t bp_net_set_layer(bp_net *net, int32_t layer, const bp_real *W, const bp_real *b)
{
    if (!net) return BP_EINVAL;
    if (layer < 0 || layer >= net->nl)
        return net_fail(net, BP_EINVAL, "layer", 0, VAL(layer), "layer index %d does not exist (0..%d: the network has %d weight layers)",
                        layer, net->nl - 1, net->nl);
    bp_layer *L = &net->L[layer];
    int n = L->in * L->out;
    if (W) {
        for (int i = 0; i < n; i++)
            if (!isfinite(W[i]))
                return net_fail(net, BP_EINVAL, "W", layer + 1, VAL(W[i]), "weight W%d[%d][%d] is not a finite number", layer + 1, i / L->in + 1, i % L->in + 1);
        memcpy(net->params + L->w_off, W, (size_t)n * sizeof(bp_real));
    }
    if (b) {
        if (!L->has_bias) return net_fail(net, BP_EINVAL, "b", layer + 1, NOVAL, "layer %d has no bias", layer + 1);
        for (int j = 0; j < L->out; j++)
            if (!isfinite(b[j])) return net_fail(net, BP_EINVAL, "b", layer + 1, VAL(b[j]), "bias b%d[%d] is not a finite number", layer + 1, j + 1);
        memcpy(net->params + L->b_off, b, (size_t)L->out * sizeof(bp_real));
    }
    net->stage = 0;
    return BP_OK;
}

void bp_net_seed(bp_net *net, uint32_t seed) { if (net) rng_seed(&net->rng, seed); }

/* Dropout masks stay as they are (e.g. set by a test through the mask view) instead of being drawn. */
void bp_net_fix_masks(bp_net *net, int32_t on) { if (net) net->fixed_masks = on != 0; }

int net_has_bn(const bp_net *net)
{
    for (int l = 0; l < net->nl; l++) if (net->L[l].bn) return 1;
    return 0;
}

/* ---------------------------------------------------------------- optimizer settings */

int32_t bp_net_set_optim(bp_net *net, const bp_optim *opt)
{
    if (!net) return BP_EINVAL;
    int rc = optim_check(opt, &net->err);
    if (rc) return rc;
    net->opt = optim_normal(opt);
    bp_net_reset_optim(net);
    return BP_OK;
}

void bp_net_reset_optim(bp_net *net)
{
    if (!net) return;
    memset(net->m, 0, (size_t)net->nparams * 3 * sizeof(bp_real));   /* m, v, vmax */
    net->ost.t = 0;
    net->ost.b1t = net->ost.b2t = 1.0;
}

int32_t bp_net_step_count(const bp_net *net) { return net ? (int32_t)net->ost.t : 0; }

/* ---------------------------------------------------------------- forward / backward / update */

static int check_batch(bp_net *net, int B)
{
    if (B < 1) return net_fail(net, BP_EINVAL, "batch", 0, VAL(B), "batch size: %d is not allowed; it must be at least 1", B);
    if (B > 1 << 20) return net_fail(net, BP_EINVAL, "batch", 0, VAL(B), "batch size: %d is too large (at most 1048576)", B);
    return net_reserve(net, B);
}

/* Forward over the B rows already in net->X, layer by layer:
 *   z = W a_prev + b,  [h = BN(z)],  a = f(h or z),  [out = a * mask in training],
 * train = 0 for evaluation: batch norm with its running statistics, no dropout. */
void net_forward_ws(bp_net *net, int B, int train)
{
    const bp_real *in = net->X;
    for (int l = 0; l < net->nl; l++) {
        bp_layer *L = &net->L[l];
        const bp_real *W = net->params + L->w_off, *b = L->has_bias ? net->params + L->b_off : NULL;
        dense_forward(net->Z[l], in, W, b, B, L->in, L->out);          /* z = W a_prev + b */
        const bp_real *pre = net->Z[l];
        if (L->bn) {                                                    /* H = gamma zhat + beta */
            bp_real *rm = net->stats + L->rm_off;
            bn_forward(train, B, L->out, net->Z[l], net->params + L->g_off, net->params + L->be_off, (bp_real)1e-5, (bp_real)0.1,
                       net->ZH[l], net->H[l], net->IS[l], rm, rm + L->out);
            pre = net->H[l];
        }
        act_forward(L->act, L->alpha, B, L->out, pre, net->A[l]);      /* A = f(Z) */
        in = net->A[l];
        if (L->dropout > 0.0f && train) {                               /* out = A * mask */
            size_t n = (size_t)B * L->out;
            if (!net->fixed_masks) {
                bp_real keep = 1.0f / (1.0f - L->dropout);
                for (size_t i = 0; i < n; i++) net->M[l][i] = rng_uniform(&net->rng) < L->dropout ? 0.0f : keep;
            }
            dropout_apply((int)n, net->M[l], net->A[l], net->O[l]);
            in = net->O[l];
        }
    }
    net->rows = B;
    net->train_mode = train;
    net->stage = 1;
}

/* Every input value finite: a NaN or an infinity (e.g. 1e39 written as float32) would spread into
 * every parameter at the first update. */
static int check_input(bp_net *net, const bp_real *X, int B)
{
    int in = net->L[0].in;
    for (size_t i = 0; i < (size_t)B * in; i++)
        if (!isfinite(X[i]))
            return net_fail(net, BP_EINVAL, "input", (int)(i / in) + 1, VAL(X[i]), "input value %d of row %d is not a finite number "
                            "(NaN, infinite, or beyond float32's range of about 3.4e38)", (int)(i % in) + 1, (int)(i / in) + 1);
    return BP_OK;
}

int32_t bp_forward(bp_net *net, const bp_real *X, int32_t B)
{
    if (!net) return BP_EINVAL;
    net->stage = 0;                 /* a refused forward pass leaves none: backward cannot use the last one's rows */
    if (!X) return net_fail(net, BP_EINVAL, "input", 0, NOVAL, "input: no data");
    int rc = check_batch(net, B);
    if (rc) return rc;
    if ((rc = check_input(net, X, B))) return rc;
    memcpy(net->X, X, (size_t)B * net->L[0].in * sizeof(bp_real));
    for (int l = 0; l < net->nl; l++)
        if (net->L[l].bn && B < 2)
            return net_fail(net, BP_EINVAL, "batch", l + 1, VAL(B), "batch size: batch normalisation (layer %d) needs at least 2 rows in training, got %d", l + 1, B);
    net_forward_ws(net, B, 1);
    return BP_OK;
}

/* The loss of the last forward against the targets in net->T / net->lab; leaves delta of the
 * output layer in D[L-1] (the loss may fuse with the output activation, see losses.c). */
int net_loss_ws(bp_net *net, double *loss)
{
    int B = net->rows, top = net->nl - 1;
    bp_layer *L = &net->L[top];
    int fused;
    bp_real *g = net->D[top];
    *loss = loss_eval(net->loss, L->act, B, L->out, net->Z[top], net->A[top], net->have_T ? net->T : NULL,
                      net->have_lab ? net->lab : NULL, net->lrows, g, &fused);
    if (!fused) {                                                      /* delta = dL/da * f'(z) */
        memcpy(net->dA, g, (size_t)B * L->out * sizeof(bp_real));
        if (act_backward(L->act, L->alpha, B, L->out, net->Z[top], net->A[top], net->dA, g) == BP_ENOGRAD)
            return net_fail(net, BP_ENOGRAD, "activations", top + 1, NOVAL, "layer %d uses the step activation, which has no gradient "
                            "(its derivative is 0 everywhere and undefined at 0): backpropagation cannot train it; "
                            "use sigmoid for a trainable perceptron", top + 1);
    }
    return BP_OK;
}

/* Backward from delta of the output layer down to layer 1:
 *   dL/dW = delta^T A_prev,   dL/db = sum over rows of delta,
 *   delta_prev = (delta W) * f'(z_prev)        (delta1 = W2^T delta2 * f'(z1) for one sample) */
static int backward_ws(bp_net *net)
{
    int B = net->rows;
    for (int l = net->nl - 1; l >= 0; l--) {
        bp_layer *L = &net->L[l];
        const bp_real *in = l ? (net->L[l - 1].dropout > 0.0f && net->train_mode ? net->O[l - 1] : net->A[l - 1]) : net->X;
        /* dW = delta^T A_prev, db = sum_rows delta, dA_prev = delta W; training needs no gradient for the
         * input, the panels show it (dx) */
        bp_real *dinp = l ? net->dA : net->tracing ? net->dX : NULL;
        dense_backward(dinp, net->grads + L->w_off, L->has_bias ? net->grads + L->b_off : NULL, net->D[l], in,
                       net->params + L->w_off, B, L->in, L->out);
        if (l == 0) break;
        bp_layer *P = &net->L[l - 1];
        if (P->dropout > 0.0f && net->train_mode)                                      /* through out = a * mask */
            dropout_apply(B * P->out, net->M[l - 1], net->dA, net->dA);
        const bp_real *pre = P->bn ? net->H[l - 1] : net->Z[l - 1];
        if (act_backward(P->act, P->alpha, B, P->out, pre, net->A[l - 1], net->dA, net->D[l - 1]) == BP_ENOGRAD)
            return net_fail(net, BP_ENOGRAD, "activations", l, NOVAL, "layer %d uses the step activation, which has no gradient "
                            "(its derivative is 0 everywhere and undefined at 0): backpropagation cannot pass "
                            "through it; use sigmoid instead", l);
        if (P->bn)                                                                     /* dL/dh -> dL/dz */
            bn_backward(B, P->out, net->ZH[l - 1], net->IS[l - 1], net->params + P->g_off, net->D[l - 1],
                        net->grads + P->g_off, net->grads + P->be_off);
    }
    net->stage = 2;
    return BP_OK;
}

static int set_targets(bp_net *net, const bp_real *T, const int32_t *labels, int B)
{
    int K = net->L[net->nl - 1].out;
    if (!T && !labels) return net_fail(net, BP_EINVAL, "target", 0, NOVAL, "targets: give target vectors or class labels");
    net->have_T = T != NULL;
    net->have_lab = !T;
    if (T) {
        for (int i = 0; i < B * K; i++)
            if (!isfinite(T[i])) return net_fail(net, BP_EINVAL, "target", i / K + 1, VAL(T[i]), "target %d of row %d is not a finite number", i % K + 1, i / K + 1);
        memcpy(net->T, T, (size_t)B * K * sizeof(bp_real));
    } else {
        for (int b = 0; b < B; b++)
            if (labels[b] < 0 || labels[b] >= K)
                return net_fail(net, BP_EINVAL, "labels", b + 1, VAL(labels[b]), "label of row %d: %d is not a class (0..%d)", b + 1, labels[b], K - 1);
        memcpy(net->lab, labels, (size_t)B * sizeof(int32_t));
    }
    return BP_OK;
}

static int diverged(bp_net *net)
{
    int it = (int)net->ost.t + 1;                                      /* the step whose loss is not finite */
    net_fail(net, BP_EDIVERGED, "loss", 0, VAL(net->loss_value), "the loss became %s at iteration %d: the run diverged. "
             "The learning rate (%g) is probably too high; try a lower one",
             net->loss_value != net->loss_value ? "NaN" : "infinite", it, (double)net->opt.lr);
    net->err.iteration = it;
    return BP_EDIVERGED;
}

int32_t bp_backward(bp_net *net, const bp_real *T, const int32_t *labels, int32_t B)
{
    if (!net) return BP_EINVAL;
    if (net->stage < 1) return net_fail(net, BP_ESTATE, "", 0, NOVAL, "backward needs a forward pass first");
    if (B != net->rows) return net_fail(net, BP_EINVAL, "target", 0, VAL(B), "targets: %d rows given, the forward pass had %d", B, net->rows);
    int rc = set_targets(net, T, labels, B);
    if (rc) return rc;
    double loss;
    if ((rc = net_loss_ws(net, &loss))) return rc;
    net->loss_value = (bp_real)loss;
    if (!isfinite(loss)) return diverged(net);
    return backward_ws(net);
}

/* Biases not updated (Mazur's example): b back to its value before the step, its step and optimizer
 * state 0. Returns the squared step length of what did change. */
static double keep_biases(bp_net *net, const bp_real *before)
{
    for (int l = 0; l < net->nl; l++) {
        const bp_layer *L = &net->L[l];
        if (!L->has_bias) continue;
        for (int j = L->b_off; j < L->b_off + L->out; j++) {
            net->params[j] = before[j];
            net->m[j] = net->v[j] = net->vmax[j] = 0;
            if (net->tracing) net->stepv[j] = net->mhat[j] = net->vhat[j] = 0;
        }
    }
    double sq = 0;
    for (int i = 0; i < net->nparams; i++) { double d = (double)net->params[i] - before[i]; sq += d * d; }
    return sq;
}

void bp_net_set_update_biases(bp_net *net, int32_t on) { if (net) net->frozen_bias = on == 0; }

int32_t bp_update(bp_net *net)
{
    if (!net) return BP_EINVAL;
    if (net->stage < 2) return net_fail(net, BP_ESTATE, "", 0, NOVAL, "update needs a backward pass first");
    if (net->tracing) memcpy(net->prev, net->params, (size_t)net->nparams * sizeof(bp_real));
    double sq;
    bp_real *before = net->tracing ? net->prev : NULL;
    if (net->frozen_bias && !before && !(before = malloc((size_t)net->nparams * sizeof(bp_real)))) return BP_ENOMEM;
    if (net->frozen_bias && !net->tracing) memcpy(before, net->params, (size_t)net->nparams * sizeof(bp_real));
    optim_step(&net->opt, &net->ost, net->nparams, net->params, net->grads, net->m, net->v, net->vmax,
               net->tracing ? net->mhat : NULL, net->tracing ? net->vhat : NULL, net->tracing ? net->stepv : NULL, &sq);
    if (net->frozen_bias) {
        sq = keep_biases(net, before);
        if (!net->tracing) free(before);
    }
    net->snorm = sqrt(sq);
    net->stage = 3;
    return BP_OK;
}

int32_t bp_step(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B)
{
    int rc = bp_forward(net, X, B);
    if (!rc) rc = bp_backward(net, T, labels, B);
    if (!rc) rc = bp_update(net);
    return rc;
}

/* One step on rows already gathered into net->X and net->T / net->lab (the training loop's path). */
int net_step_ws(bp_net *net, int B)
{
    net_forward_ws(net, B, 1);
    double loss;
    int rc = net_loss_ws(net, &loss);
    if (rc) return rc;
    net->loss_value = (bp_real)loss;
    if (!isfinite(loss)) return diverged(net);
    if ((rc = backward_ws(net))) return rc;
    return bp_update(net);
}

bp_real bp_net_loss(const bp_net *net) { return net ? net->loss_value : NAN; }
double bp_net_grad_norm(const bp_net *net)      /* ||g||, computed when asked: not on the hot path */
{
    if (!net || net->stage < 2) return NAN;
    double s = 0.0;
    for (int i = 0; i < net->nparams; i++) s += (double)net->grads[i] * net->grads[i];
    return sqrt(s);
}
double bp_net_step_norm(const bp_net *net) { return net ? net->snorm : NAN; }

/* Forward pass over n rows in chunks; out gets the last layer's a (n x outputs). */
int32_t bp_predict(bp_net *net, const bp_real *X, int32_t n, bp_real *out)
{
    if (!net) return BP_EINVAL;
    if (!X || !out) return net_fail(net, BP_EINVAL, "input", 0, NOVAL, "predict: no input or output buffer");
    if (n < 1) return net_fail(net, BP_EINVAL, "n", 0, VAL(n), "predict: %d rows is not allowed (at least 1)", n);
    int in = net->L[0].in, K = net->L[net->nl - 1].out, chunk = net->cap > 256 ? net->cap : 256;
    int rc = check_input(net, X, n);
    if (rc) return rc;
    if ((rc = net_reserve(net, chunk < n ? chunk : n))) return rc;
    chunk = net->cap;
    for (int s = 0; s < n; s += chunk) {
        int B = n - s < chunk ? n - s : chunk;
        memcpy(net->X, X + (size_t)s * in, (size_t)B * in * sizeof(bp_real));
        net_forward_ws(net, B, 0);
        memcpy(out + (size_t)s * K, net->A[net->nl - 1], (size_t)B * K * sizeof(bp_real));
    }
    return BP_OK;
}

/* ---------------------------------------------------------------- numerical gradient */

static double loss_at(bp_net *net, int B)
{
    net_forward_ws(net, B, 1);
    double loss;
    net_loss_ws(net, &loss);
    return loss;
}

int32_t bp_gradcheck(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B,
                     int32_t p, bp_real d, double *numeric, double *analytic)
{
    double out[6];
    if (net && (!numeric || !analytic)) return net_fail(net, BP_EINVAL, "out", 0, NOVAL, "gradient check: no output buffer");
    int rc = bp_gradcheck_full(net, X, T, labels, B, p, d, out);
    if (rc) return rc;
    *numeric = out[2];
    *analytic = out[3];
    return BP_OK;
}

int32_t bp_gradcheck_full(bp_net *net, const bp_real *X, const bp_real *T, const int32_t *labels, int32_t B,
                          int32_t p, bp_real d, double *out)
{
    if (!net) return BP_EINVAL;
    if (!out) return net_fail(net, BP_EINVAL, "out", 0, NOVAL, "gradient check: no output buffer");
    if (p < 0 || p >= net->nparams)
        return net_fail(net, BP_EINVAL, "p", 0, VAL(p), "parameter index %d does not exist (0..%d)", p, net->nparams - 1);
    if (!isfinite(d) || !(d > 0.0f))
        return net_fail(net, BP_EINVAL, "d", 0, VAL(d), "step d: %g is not allowed; it must be a finite number > 0", (double)d);
    int rc = bp_forward(net, X, B);
    if (rc) return rc;
    if ((rc = set_targets(net, T, labels, B))) return rc;
    /* the same dropout masks and running statistics for all three passes */
    bp_real *stats = net->nstats ? malloc((size_t)net->nstats * sizeof(bp_real)) : NULL;
    if (stats) memcpy(stats, net->stats, (size_t)net->nstats * sizeof(bp_real));
    int fixed = net->fixed_masks;
    net->fixed_masks = 1;
    bp_real w = net->params[p];
    net->params[p] = w + d;
    double lp = loss_at(net, B);                                  /* L(w + d) */
    net->params[p] = w - d;
    double lm = loss_at(net, B);                                  /* L(w - d) */
    net->params[p] = w;
    double numeric = (lp - lm) / (2.0 * d);                       /* (L(w+d) - L(w-d)) / 2d */
    net_forward_ws(net, B, 1);
    net->fixed_masks = fixed;
    if (stats) { memcpy(net->stats, stats, (size_t)net->nstats * sizeof(bp_real)); free(stats); }
    double loss;
    if ((rc = net_loss_ws(net, &loss))) return rc;
    net->loss_value = (bp_real)loss;
    if ((rc = backward_ws(net))) return rc;
    double analytic = net->grads[p], diff = fabs(numeric - analytic);
    double den = fabs(numeric) > fabs(analytic) ? fabs(numeric) : fabs(analytic);
    out[0] = lp; out[1] = lm; out[2] = numeric; out[3] = analytic;
    out[4] = diff;
    out[5] = diff != diff ? NAN : den > 0.0 ? diff / den : 0.0;   /* |num - bp| / max(|num|, |bp|); NaN stays NaN */
    return BP_OK;
}
