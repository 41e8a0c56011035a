/* optim.c - optimizers as one flat loop over the parameter block, g = dL/dtheta.
 * Each follows torch.optim (1.13, single-tensor path) operation for operation, so that 100-step
 * trajectories agree to float precision; the course's forms are noted where they differ.
 *   SGD        g += wd theta;  v = mu v + g (v_1 = g);  g = g + mu v (nesterov) or v;  theta -= lr g
 *   Momentum   (the course)  v = gamma v + lr g;  theta -= v
 *              (= SGD momentum with v scaled by lr; the lecture notes' h_k = alpha h + eta grad^2
 *              squares the gradient by mistake: that is AdaGrad's accumulator, not momentum)
 *   AdaGrad    G += g^2;  theta -= lr g / (sqrt(G) + eps)     (the notes put eps inside the root)
 *   RMSprop    E = alpha E + (1 - alpha) g^2;  theta -= lr g / (sqrt(E) + eps)   [with momentum:
 *              v = mu v + g / (sqrt(E) + eps); theta -= lr v]   (the course puts eps inside the root)
 *   Adam       m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2;
 *              m_hat = m / (1 - b1^t);  v_hat = v / (1 - b2^t);  theta -= lr m_hat / (sqrt(v_hat) + eps)
 *              AMSGrad uses vmax = max(vmax, v) in place of v.  L2 weight decay: g += wd theta.
 *   AdamW      theta *= 1 - lr wd, then Adam without L2.
 * Adam's denominator is sqrt(v) * (1 / sqrt(1 - b2^t)) + eps where torch divides sqrt(v) by
 * sqrt(1 - b2^t): one division per parameter fewer (division and square root share one slow unit
 * and bound the whole loop), and at most an ulp apart.
 * Every 16th step, Adam's moments below 1e-30 in magnitude are set to 0. Parameters whose gradient is
 * mostly 0 (MNIST's near-border pixels) see m decay by beta1 each step into subnormal floats, whose
 * arithmetic is many times slower on x86, and WebAssembly cannot flush them; the change to a step is
 * below lr 1e-30 / eps.
 */
#include "internal.h"
#include "simd.h"
#include <math.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>

/* Each optimizer's defaults: torch.optim's, and the course's for 'momentum' (lr 0.01, gamma 0.9).
 * `own` marks the settings of the optimizer's own formula; the others keep the values every optimizer
 * shares (weight decay is an L2 term any optimizer may add, 0 by default; AdamW's decoupled decay is
 * its own). Doubles, so that JS reads 0.001 and not the float nearest to it. */
#define F(x) (1u << BP_F_##x)
static const struct { double v[BP_F_COUNT]; unsigned own; } DEFAULTS[BP_OPT_COUNT] = {
    /*                  lr     momentum beta1 beta2  eps    alpha  weight_decay nesterov amsgrad */
    [BP_OPT_SGD]      = {{0.01,  0,   0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(MOMENTUM)},
    [BP_OPT_MOMENTUM] = {{0.01,  0.9, 0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(MOMENTUM)},
    [BP_OPT_NESTEROV] = {{0.01,  0.9, 0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(MOMENTUM)},
    [BP_OPT_ADAGRAD]  = {{0.01,  0,   0.9, 0.999, 1e-10, 0.99, 0,    0, 0}, F(LR) | F(EPS)},
    [BP_OPT_RMSPROP]  = {{0.01,  0,   0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(ALPHA) | F(EPS) | F(MOMENTUM)},
    [BP_OPT_ADAM]     = {{0.001, 0,   0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(BETA1) | F(BETA2) | F(EPS)},
    [BP_OPT_AMSGRAD]  = {{0.001, 0,   0.9, 0.999, 1e-8,  0.99, 0,    0, 0}, F(LR) | F(BETA1) | F(BETA2) | F(EPS)},
    [BP_OPT_ADAMW]    = {{0.001, 0,   0.9, 0.999, 1e-8,  0.99, 0.01, 0, 0},
                         F(LR) | F(BETA1) | F(BETA2) | F(EPS) | F(WEIGHT_DECAY)},
};
#undef F

double bp_optim_default(int32_t kind, int32_t field)
{
    return kind >= 0 && kind < BP_OPT_COUNT && field >= 0 && field < BP_F_COUNT ? DEFAULTS[kind].v[field] : NAN;
}

int32_t bp_optim_has(int32_t kind, int32_t field)
{
    return kind >= 0 && kind < BP_OPT_COUNT && field >= 0 && field < BP_F_COUNT && (DEFAULTS[kind].own >> field & 1u);
}

int32_t bp_optim_is_flag(int32_t field) { return field == BP_F_NESTEROV || field == BP_F_AMSGRAD; }

void bp_optim_defaults(bp_optim *o, int32_t kind)
{
    if (!o) return;
    if (kind < 0 || kind >= BP_OPT_COUNT) kind = BP_OPT_SGD;
    const double *d = DEFAULTS[kind].v;
    *o = (bp_optim){ .kind = kind, .lr = (bp_real)d[BP_F_LR], .momentum = (bp_real)d[BP_F_MOMENTUM],
        .beta1 = (bp_real)d[BP_F_BETA1], .beta2 = (bp_real)d[BP_F_BETA2], .eps = (bp_real)d[BP_F_EPS],
        .alpha = (bp_real)d[BP_F_ALPHA], .weight_decay = (bp_real)d[BP_F_WEIGHT_DECAY],
        .nesterov = (int32_t)d[BP_F_NESTEROV], .amsgrad = (int32_t)d[BP_F_AMSGRAD] };
}

/* JS writes the struct at these offsets: kind, then the settings in BP_ENUM_OPT_FIELD order. In the
 * float build every slot is 4 bytes; in the f64 build the settings are 8 (after 4 bytes of padding). */
#ifndef BP_F64
_Static_assert(sizeof(bp_optim) == 4 * (1 + BP_F_COUNT) && offsetof(bp_optim, lr) == 4 * (1 + BP_F_LR)
               && offsetof(bp_optim, weight_decay) == 4 * (1 + BP_F_WEIGHT_DECAY)
               && offsetof(bp_optim, amsgrad) == 4 * (1 + BP_F_AMSGRAD), "bp_optim layout");
#endif
static const size_t OPT_OFFSET[BP_F_COUNT] = {
    offsetof(bp_optim, lr), offsetof(bp_optim, momentum), offsetof(bp_optim, beta1), offsetof(bp_optim, beta2),
    offsetof(bp_optim, eps), offsetof(bp_optim, alpha), offsetof(bp_optim, weight_decay),
    offsetof(bp_optim, nesterov), offsetof(bp_optim, amsgrad) };
int32_t bp_optim_offset(int32_t field) { return field >= 0 && field < BP_F_COUNT ? (int32_t)OPT_OFFSET[field] : -1; }
int32_t bp_real_size(void) { return (int32_t)sizeof(bp_real); }

/* The allowed range of each float setting: lo <= x (lo < x if open_lo) and x < hi, finite. */
static const struct { int field; size_t off; const char *what; bp_real lo; int open_lo; bp_real hi; } RANGE[] = {
    {BP_F_LR, offsetof(bp_optim, lr), "learning rate", 0.0f, 1, INFINITY},
    {BP_F_MOMENTUM, offsetof(bp_optim, momentum), "momentum", 0.0f, 0, 1.0f},
    {BP_F_BETA1, offsetof(bp_optim, beta1), "beta1", 0.0f, 0, 1.0f},
    {BP_F_BETA2, offsetof(bp_optim, beta2), "beta2", 0.0f, 0, 1.0f},
    {BP_F_EPS, offsetof(bp_optim, eps), "eps", 0.0f, 1, INFINITY},
    {BP_F_ALPHA, offsetof(bp_optim, alpha), "alpha (RMSprop smoothing)", 0.0f, 0, 1.0f},
    {BP_F_WEIGHT_DECAY, offsetof(bp_optim, weight_decay), "weight decay", 0.0f, 0, INFINITY},
};

int optim_check(const bp_optim *o, bp_error *err)
{
    if (!o) return put_err(err, BP_EINVAL, "optimizer", 0, NOVAL, "optimizer: no settings given");
    if (o->kind < 0 || o->kind >= BP_OPT_COUNT)
        return put_err(err, BP_EINVAL, "kind", 0, VAL(o->kind), "optimizer: unknown kind %d (allowed 0..%d)",
                       o->kind, BP_OPT_COUNT - 1);
    for (size_t i = 0; i < sizeof RANGE / sizeof RANGE[0]; i++) {
        bp_real x = *(const bp_real *)((const char *)o + RANGE[i].off);
        if (isfinite(x) && (RANGE[i].open_lo ? x > RANGE[i].lo : x >= RANGE[i].lo) && x < RANGE[i].hi) continue;
        const char *allowed = RANGE[i].hi == 1.0f ? "in [0, 1)"
                            : RANGE[i].open_lo ? "a finite number greater than 0" : "a finite number >= 0";
        return put_err(err, BP_EINVAL, bp_enum_name(BP_ENUM_OPT_FIELD, RANGE[i].field), 0, VAL(x),
                       "%s: %g is not allowed; it must be %s", RANGE[i].what, (double)x, allowed);
    }
    if (o->nesterov != 0 && o->nesterov != 1)
        return put_err(err, BP_EINVAL, "nesterov", 0, VAL(o->nesterov),
                       "nesterov and amsgrad must be 0 or 1 (got %d, %d)", o->nesterov, o->amsgrad);
    if (o->amsgrad != 0 && o->amsgrad != 1)
        return put_err(err, BP_EINVAL, "amsgrad", 0, VAL(o->amsgrad),
                       "nesterov and amsgrad must be 0 or 1 (got %d, %d)", o->nesterov, o->amsgrad);
    if ((o->kind == BP_OPT_NESTEROV || (o->kind == BP_OPT_SGD && o->nesterov)) && !(o->momentum > 0.0f))
        return put_err(err, BP_EINVAL, "momentum", 0, VAL(o->momentum),
                       "Nesterov momentum needs momentum > 0 (got %g)", (double)o->momentum);
    return BP_OK;
}

bp_optim optim_normal(const bp_optim *o)
{
    bp_optim c = *o;
    if (c.kind == BP_OPT_NESTEROV) { c.kind = BP_OPT_SGD; c.nesterov = 1; }
    if (c.kind == BP_OPT_AMSGRAD) { c.kind = BP_OPT_ADAM; c.amsgrad = 1; }
    return c;
}

#define TINY 1e-30f
#define FLUSH_EVERY 16

/* x = 0 where |x| < 1e-30 (see the top of the file). Every 16th step is enough: from 1e-30 a moment
 * needs 175 steps of decay by beta1 = 0.9 to become subnormal (16 steps for beta1 = 0.32; with smaller
 * betas a few steps may be slow, never wrong), and the test in the update loop itself cost a quarter
 * of Adam's time. */
#ifndef BP_F64
static void flush_tiny(int n, bp_real *x)
{
    int i = 0;
#if !defined(BP_SCALAR)
    const v128_t tiny = wasm_f32x4_splat(TINY);
    for (; i + 4 <= n; i += 4) {
        v128_t X = wasm_v128_load(x + i);
        wasm_v128_store(x + i, wasm_v128_andnot(X, wasm_f32x4_lt(wasm_f32x4_abs(X), tiny)));
    }
#endif
    for (; i < n; i++) x[i] = R_FABS(x[i]) < TINY ? 0.0f : x[i];
}
#endif

/* The squared step length ||theta_t - theta_t-1||^2 is summed in 8 float lanes, lane i % 8, and the
 * lanes combined in one fixed order: the SIMD loops (two f32x4 accumulators) and the scalar loop
 * below give the same bits, and no loop waits on one long chain of dependent additions. */
static double combine8(const bp_real a[8])
{
    bp_real s[4];
    for (int j = 0; j < 4; j++) s[j] = a[j] + a[j + 4];
    return (double)s[0] + s[1] + (double)s[2] + s[3];
}

#if !defined(BP_SCALAR)
#define INLINE static inline __attribute__((always_inline))
typedef struct {
    v128_t nlr, lr, mu, wd, eps, a, oma, b1, omb1, b2, omb2, nss, ibc2s, decay;
} vconsts;

/* Parameters i..i+3: the scalar loop's operations in the same order (bit-identical results);
 * returns theta_t - theta_t-1. K and the flags are compile-time constants after inlining. */
INLINE v128_t upd4(const int K, const int WD, const int MU, const int NEST, const int AMS, const vconsts *c,
                   int i, bp_real *restrict p, const bp_real *restrict g, bp_real *restrict m, bp_real *restrict v,
                   bp_real *restrict vmax)
{
    v128_t G = wasm_v128_load(g + i), P = wasm_v128_load(p + i), P0 = P, NP, M, V;
    switch (K) {
    case BP_OPT_SGD:
        if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(c->wd, P));
        if (MU) {
            M = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), c->mu), G);
            wasm_v128_store(m + i, M);
            G = NEST ? wasm_f32x4_add(G, wasm_f32x4_mul(c->mu, M)) : M;
        }
        NP = wasm_f32x4_add(P, wasm_f32x4_mul(c->nlr, G));
        break;
    case BP_OPT_MOMENTUM:
        if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(c->wd, P));
        M = wasm_f32x4_add(wasm_f32x4_mul(c->mu, wasm_v128_load(m + i)), wasm_f32x4_mul(c->lr, G));
        wasm_v128_store(m + i, M);
        NP = wasm_f32x4_sub(P, M);
        break;
    case BP_OPT_ADAGRAD:
        if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(c->wd, P));
        V = wasm_f32x4_add(wasm_v128_load(v + i), wasm_f32x4_mul(G, G));
        wasm_v128_store(v + i, V);
        NP = wasm_f32x4_add(P, wasm_f32x4_mul(c->nlr, wasm_f32x4_div(G, wasm_f32x4_add(wasm_f32x4_sqrt(V), c->eps))));
        break;
    case BP_OPT_RMSPROP: {
        if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(c->wd, P));
        V = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), c->a), wasm_f32x4_mul(c->oma, wasm_f32x4_mul(G, G)));
        wasm_v128_store(v + i, V);
        v128_t avg = wasm_f32x4_add(wasm_f32x4_sqrt(V), c->eps);
        if (MU) {
            M = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), c->mu), wasm_f32x4_div(G, avg));
            wasm_v128_store(m + i, M);
            NP = wasm_f32x4_add(P, wasm_f32x4_mul(c->nlr, M));
        } else {
            NP = wasm_f32x4_add(P, wasm_f32x4_mul(c->nlr, wasm_f32x4_div(G, avg)));
        }
        break;
    }
    default: {                                        /* BP_OPT_ADAM, and ADAMW */
        if (K == BP_OPT_ADAMW) { if (WD) P = wasm_f32x4_mul(P, c->decay); }
        else if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(c->wd, P));
        M = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), c->b1), wasm_f32x4_mul(c->omb1, G));
        V = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), c->b2), wasm_f32x4_mul(c->omb2, wasm_f32x4_mul(G, G)));
        wasm_v128_store(m + i, M);
        wasm_v128_store(v + i, V);
        if (AMS) { V = wasm_f32x4_pmax(V, wasm_v128_load(vmax + i)); wasm_v128_store(vmax + i, V); }
        v128_t denom = wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_sqrt(V), c->ibc2s), c->eps);
        NP = wasm_f32x4_add(P, wasm_f32x4_mul(c->nss, wasm_f32x4_div(M, denom)));
        break;
    }
    }
    wasm_v128_store(p + i, NP);
    return wasm_f32x4_sub(NP, P0);
}

/* The whole block, 8 parameters per turn (n is a multiple of 4). */
INLINE double loop4(const int K, const int WD, const int MU, const int NEST, const int AMS, const vconsts *c,
                    int n, bp_real *restrict p, const bp_real *restrict g, bp_real *restrict m, bp_real *restrict v,
                    bp_real *restrict vmax)
{
    v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        v128_t d0 = upd4(K, WD, MU, NEST, AMS, c, i, p, g, m, v, vmax);
        v128_t d1 = upd4(K, WD, MU, NEST, AMS, c, i + 4, p, g, m, v, vmax);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(d0, d0));
        s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(d1, d1));
    }
    if (i < n) {
        v128_t d0 = upd4(K, WD, MU, NEST, AMS, c, i, p, g, m, v, vmax);
        s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(d0, d0));
    }
    bp_real a[8];
    wasm_v128_store(a, s0);
    wasm_v128_store(a + 4, s1);
    return combine8(a);
}

static double step_simd(const bp_optim *c, double bc1, double bc2, int n, bp_real *p, const bp_real *g,
                        bp_real *m, bp_real *v, bp_real *vmax)
{
    const bp_real b1 = c->beta1, b2 = c->beta2;
    vconsts k = {
        .nlr = wasm_f32x4_splat(-c->lr), .lr = wasm_f32x4_splat(c->lr), .mu = wasm_f32x4_splat(c->momentum),
        .wd = wasm_f32x4_splat(c->weight_decay), .eps = wasm_f32x4_splat(c->eps), .a = wasm_f32x4_splat(c->alpha),
        .oma = wasm_f32x4_splat((bp_real)(1.0 - (double)c->alpha)), .b1 = wasm_f32x4_splat(b1),
        .omb1 = wasm_f32x4_splat((bp_real)(1.0 - (double)b1)), .b2 = wasm_f32x4_splat(b2),
        .omb2 = wasm_f32x4_splat((bp_real)(1.0 - (double)b2)), .nss = wasm_f32x4_splat(-(bp_real)(c->lr / bc1)),
        .ibc2s = wasm_f32x4_splat((bp_real)(1.0 / sqrt(bc2))), .decay = wasm_f32x4_splat((bp_real)(1.0 - (double)c->lr * (double)c->weight_decay)),
    };
    const int wd = c->weight_decay != 0.0f, mu = c->momentum != 0.0f, rmu = c->momentum > 0.0f;
#define L(K, W, M, N, A) return loop4(K, W, M, N, A, &k, n, p, g, m, v, vmax)
    switch (c->kind) {
    case BP_OPT_SGD:
        if (!mu) { if (wd) L(BP_OPT_SGD, 1, 0, 0, 0); L(BP_OPT_SGD, 0, 0, 0, 0); }
        if (c->nesterov) { if (wd) L(BP_OPT_SGD, 1, 1, 1, 0); L(BP_OPT_SGD, 0, 1, 1, 0); }
        if (wd) L(BP_OPT_SGD, 1, 1, 0, 0);
        L(BP_OPT_SGD, 0, 1, 0, 0);
    case BP_OPT_MOMENTUM:
        if (wd) L(BP_OPT_MOMENTUM, 1, 0, 0, 0);
        L(BP_OPT_MOMENTUM, 0, 0, 0, 0);
    case BP_OPT_ADAGRAD:
        if (wd) L(BP_OPT_ADAGRAD, 1, 0, 0, 0);
        L(BP_OPT_ADAGRAD, 0, 0, 0, 0);
    case BP_OPT_RMSPROP:
        if (rmu) { if (wd) L(BP_OPT_RMSPROP, 1, 1, 0, 0); L(BP_OPT_RMSPROP, 0, 1, 0, 0); }
        if (wd) L(BP_OPT_RMSPROP, 1, 0, 0, 0);
        L(BP_OPT_RMSPROP, 0, 0, 0, 0);
    case BP_OPT_ADAMW:
        if (c->amsgrad) { if (wd) L(BP_OPT_ADAMW, 1, 0, 0, 1); L(BP_OPT_ADAMW, 0, 0, 0, 1); }
        if (wd) L(BP_OPT_ADAMW, 1, 0, 0, 0);
        L(BP_OPT_ADAMW, 0, 0, 0, 0);
    default:
        if (c->amsgrad) { if (wd) L(BP_OPT_ADAM, 1, 0, 0, 1); L(BP_OPT_ADAM, 0, 0, 0, 1); }
        if (wd) L(BP_OPT_ADAM, 1, 0, 0, 0);
        L(BP_OPT_ADAM, 0, 0, 0, 0);
    }
#undef L
}
#endif

/* The scalar loop: the reference the SIMD loops follow, the scalar build's loop, and the traced loop
 * (TR = 1 also writes m_hat, v_hat and the step for the panels). */
static inline __attribute__((always_inline)) void
step_loop(const int TR, const bp_optim *c, double bc1, double bc2, int n, bp_real *restrict p,
          const bp_real *restrict g_in, bp_real *restrict m, bp_real *restrict v, bp_real *restrict vmax,
          bp_real *restrict mhat, bp_real *restrict vhat, bp_real *restrict stp, double *step_sq)
{
    const bp_real lr = c->lr, mu = c->momentum, wd = c->weight_decay;
    bp_real acc[8] = {0};
#define STEP(np, p0) do { bp_real d_ = (np) - (p0); if (TR) stp[i] = d_; acc[i & 7] += d_ * d_; } while (0)
    switch (c->kind) {
    case BP_OPT_SGD:
        for (int i = 0; i < n; i++) {
            bp_real g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            if (mu != 0.0f) {
                m[i] = m[i] * mu + g;                       /* v = mu v + g  (v_1 = g since v_0 = 0) */
                g = c->nesterov ? g + mu * m[i] : m[i];
            }
            bp_real np = p[i] + (-lr) * g;                    /* theta -= lr g */
            STEP(np, p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_MOMENTUM:
        for (int i = 0; i < n; i++) {
            bp_real g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            m[i] = mu * m[i] + lr * g;                      /* v = gamma v + eta g */
            bp_real np = p[i] - m[i];                         /* theta -= v */
            STEP(np, p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_ADAGRAD:
        for (int i = 0; i < n; i++) {
            bp_real g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            v[i] = v[i] + g * g;                            /* G += g^2 */
            bp_real np = p[i] + (-lr) * (g / (R_SQRT(v[i]) + c->eps));
            STEP(np, p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_RMSPROP: {
        const bp_real a = c->alpha, oma = (bp_real)(1.0 - (double)c->alpha);
        for (int i = 0; i < n; i++) {
            bp_real g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            v[i] = v[i] * a + oma * (g * g);                /* E = alpha E + (1 - alpha) g^2 */
            bp_real avg = R_SQRT(v[i]) + c->eps;
            bp_real np;
            if (mu > 0.0f) {
                m[i] = m[i] * mu + g / avg;
                np = p[i] + (-lr) * m[i];
            } else {
                np = p[i] + (-lr) * (g / avg);
            }
            STEP(np, p[i]);
            p[i] = np;
        }
        break;
    }
    case BP_OPT_ADAM:
    case BP_OPT_ADAMW: {
        const bp_real b1 = c->beta1, b2 = c->beta2;
        const bp_real omb1 = (bp_real)(1.0 - (double)b1), omb2 = (bp_real)(1.0 - (double)b2);
        const bp_real step_size = (bp_real)(lr / bc1);          /* lr / (1 - b1^t) */
        const bp_real ibc2s = (bp_real)(1.0 / sqrt(bc2));       /* 1 / sqrt(1 - b2^t) */
        const bp_real decay = (bp_real)(1.0 - (double)lr * (double)wd);
        const int adamw = c->kind == BP_OPT_ADAMW, ams = c->amsgrad;
        for (int i = 0; i < n; i++) {
            bp_real g = g_in[i];
            bp_real p0 = p[i];
            if (adamw) { if (wd != 0.0f) p[i] = p[i] * decay; }  /* theta *= 1 - lr wd */
            else if (wd != 0.0f) g = g + wd * p[i];          /* L2: g += wd theta */
            bp_real mi = m[i] * b1 + omb1 * g;                 /* m = b1 m + (1 - b1) g */
            bp_real vi = v[i] * b2 + omb2 * (g * g);           /* v = b2 v + (1 - b2) g^2 */
            m[i] = mi;
            v[i] = vi;
            bp_real vv = v[i];
            if (ams) { vmax[i] = vmax[i] > vv ? vmax[i] : vv; vv = vmax[i]; }
            bp_real denom = R_SQRT(vv) * ibc2s + c->eps;        /* sqrt(v_hat) + eps, as torch groups it */
            bp_real np = p[i] + (-step_size) * (m[i] / denom);
            if (TR) {
                mhat[i] = (bp_real)(m[i] / bc1);
                vhat[i] = (bp_real)(vv / bc2);
            }
            STEP(np, p0);
            p[i] = np;
        }
        break;
    }
    default:
        break;
    }
#undef STEP
    *step_sq = combine8(acc);
}

void optim_step(const bp_optim *c, bp_optstate *s, int n, bp_real *p, const bp_real *g, bp_real *m, bp_real *v,
                bp_real *vmax, bp_real *tr_mhat, bp_real *tr_vhat, bp_real *tr_step, double *step_sq)
{
    s->t += 1;
    s->b1t *= c->beta1;                                      /* beta^t by products: same bits everywhere */
    s->b2t *= c->beta2;
    double bc1 = 1.0 - s->b1t, bc2 = 1.0 - s->b2t;
    if (tr_step) step_loop(1, c, bc1, bc2, n, p, g, m, v, vmax, tr_mhat, tr_vhat, tr_step, step_sq);
#if !defined(BP_SCALAR)
    else if ((n & 3) == 0) *step_sq = step_simd(c, bc1, bc2, n, p, g, m, v, vmax);
#endif
    else step_loop(0, c, bc1, bc2, n, p, g, m, v, vmax, NULL, NULL, NULL, step_sq);
#ifndef BP_F64                                              /* doubles reach subnormals only below 1e-308 */
    if ((c->kind == BP_OPT_ADAM || c->kind == BP_OPT_ADAMW) && s->t % FLUSH_EVERY == 0) {
        flush_tiny(n, m);
        flush_tiny(n, v);
    }
#endif
}

/* ---- the same update on a plain vector (2-D loss surfaces) ---- */
struct bp_vopt {
    int n;
    bp_real *block;   /* params | grads | m | v | vmax | m_hat | v_hat | step */
    bp_optim c;                     /* as optim_normal gives it */
    bp_optstate s;
    bp_error err;
};

bp_vopt *bp_vopt_create(int32_t n, bp_error *err)
{
    if (n < 1 || n > (1 << 24)) {
        put_err(err, BP_EINVAL, "n", 0, VAL(n), "vector size: %d is not allowed (1..16777216)", n);
        return NULL;
    }
    bp_vopt *o = calloc(1, sizeof *o);
    if (o) o->block = calloc((size_t)n * 8, sizeof(bp_real));
    if (!o || !o->block) { free(o); put_err(err, BP_ENOMEM, "", 0, NOVAL, "out of memory"); return NULL; }
    o->n = n;
    bp_optim_defaults(&o->c, BP_OPT_SGD);
    o->s.b1t = o->s.b2t = 1.0;
    return o;
}

void bp_vopt_free(bp_vopt *o) { if (o) { free(o->block); free(o); } }
bp_real *bp_vopt_params(bp_vopt *o) { return o ? o->block : NULL; }
bp_real *bp_vopt_grads(bp_vopt *o) { return o ? o->block + o->n : NULL; }
bp_real *bp_vopt_state(bp_vopt *o, int32_t which)
{
    return (o && which >= 0 && which < 6) ? o->block + (size_t)o->n * (2 + which) : NULL;
}
const char *bp_vopt_error(const bp_vopt *o) { return o ? o->err.message : "no optimizer"; }
const bp_error *bp_vopt_last_error(const bp_vopt *o) { return o ? &o->err : NULL; }

int32_t bp_vopt_set(bp_vopt *o, const bp_optim *opt)
{
    if (!o) return BP_EINVAL;
    int rc = optim_check(opt, &o->err);
    if (rc) return rc;
    o->c = optim_normal(opt);
    memset(o->block + (size_t)o->n * 2, 0, (size_t)o->n * 6 * sizeof(bp_real));
    o->s.t = 0; o->s.b1t = o->s.b2t = 1.0;
    return BP_OK;
}

int32_t bp_vopt_step(bp_vopt *o)
{
    if (!o) return BP_EINVAL;
    bp_real *b = o->block;
    int n = o->n;
    for (int i = 0; i < n; i++)
        if (!isfinite(b[n + i])) {
            put_err(&o->err, BP_EDIVERGED, "gradient", i + 1, VAL(b[n + i]),
                    "gradient %d is not finite (%g): the run diverged", i, (double)b[n + i]);
            o->err.iteration = (int32_t)o->s.t + 1;
            return BP_EDIVERGED;
        }
    double sq;
    optim_step(&o->c, &o->s, n, b, b + n, b + 2 * n, b + 3 * n, b + 4 * n, b + 5 * n, b + 6 * n, b + 7 * n, &sq);
    return BP_OK;
}
