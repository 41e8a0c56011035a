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
 * Adam's moments below 1e-30 in magnitude are set to 0. Parameters whose gradient is always 0 (MNIST's
 * border pixels) see m decay by beta1 each step into subnormal floats, whose arithmetic is many times
 * slower on x86, and WebAssembly cannot flush them; the change to a step is below lr 1e-30 / eps.
 */
#include "internal.h"
#include "simd.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

static int bad(float x) { return !(x == x) || x == INFINITY || x == -INFINITY; }

int optim_check(int kind, float lr, float momentum, float beta1, float beta2, float eps, float alpha,
                float wd, int nesterov, int amsgrad, char *err, int err_len)
{
    if (kind < 0 || kind >= BP_OPT_COUNT) {
        put_err(err, err_len, "optimizer: unknown kind %d (allowed 0..%d)", kind, BP_OPT_COUNT - 1);
        return BP_EINVAL;
    }
    if (bad(lr) || !(lr > 0.0f)) {
        put_err(err, err_len, "learning rate: %g is not allowed; it must be a finite number greater than 0", (double)lr);
        return BP_EINVAL;
    }
    if (bad(momentum) || momentum < 0.0f || momentum >= 1.0f) {
        put_err(err, err_len, "momentum: %g is not allowed; it must be in [0, 1)", (double)momentum);
        return BP_EINVAL;
    }
    if (bad(beta1) || beta1 < 0.0f || beta1 >= 1.0f) {
        put_err(err, err_len, "beta1: %g is not allowed; it must be in [0, 1)", (double)beta1);
        return BP_EINVAL;
    }
    if (bad(beta2) || beta2 < 0.0f || beta2 >= 1.0f) {
        put_err(err, err_len, "beta2: %g is not allowed; it must be in [0, 1)", (double)beta2);
        return BP_EINVAL;
    }
    if (bad(eps) || !(eps > 0.0f)) {
        put_err(err, err_len, "eps: %g is not allowed; it must be a finite number greater than 0", (double)eps);
        return BP_EINVAL;
    }
    if (bad(alpha) || alpha < 0.0f || alpha >= 1.0f) {
        put_err(err, err_len, "alpha (RMSprop smoothing): %g is not allowed; it must be in [0, 1)", (double)alpha);
        return BP_EINVAL;
    }
    if (bad(wd) || wd < 0.0f) {
        put_err(err, err_len, "weight decay: %g is not allowed; it must be a finite number >= 0", (double)wd);
        return BP_EINVAL;
    }
    if ((nesterov != 0 && nesterov != 1) || (amsgrad != 0 && amsgrad != 1)) {
        put_err(err, err_len, "nesterov and amsgrad must be 0 or 1 (got %d, %d)", nesterov, amsgrad);
        return BP_EINVAL;
    }
    if ((kind == BP_OPT_NESTEROV || (kind == BP_OPT_SGD && nesterov)) && !(momentum > 0.0f)) {
        put_err(err, err_len, "Nesterov momentum needs momentum > 0 (got %g)", (double)momentum);
        return BP_EINVAL;
    }
    return BP_OK;
}

void optim_fill(bp_optcfg *c, int kind, float lr, float momentum, float beta1, float beta2, float eps,
                float alpha, float wd, int nesterov, int amsgrad)
{
    c->kind = kind; c->lr = lr; c->momentum = momentum; c->beta1 = beta1; c->beta2 = beta2;
    c->eps = eps; c->alpha = alpha; c->wd = wd; c->nesterov = nesterov; c->amsgrad = amsgrad;
    if (kind == BP_OPT_NESTEROV) { c->kind = BP_OPT_SGD; c->nesterov = 1; }
    if (kind == BP_OPT_AMSGRAD) { c->kind = BP_OPT_ADAM; c->amsgrad = 1; }
}

#define TINY 1e-30f

#if !defined(BP_SCALAR)
/* Adam's update four parameters at a time; the same operations in the same order as the scalar loop,
 * so the results are bit-identical. ADAMW, AMS, WD are compile-time 0/1 after inlining. */
static inline __attribute__((always_inline)) double
adam_simd(const int ADAMW, const int AMS, const int WD, int n, float *restrict p, const float *restrict g,
          float *restrict m, float *restrict v, float *restrict vmax, float b1, float omb1, float b2, float omb2,
          float step_size, float bc2s, float eps, float wd, float decay)
{
    const v128_t vb1 = wasm_f32x4_splat(b1), vomb1 = wasm_f32x4_splat(omb1), vb2 = wasm_f32x4_splat(b2),
                 vomb2 = wasm_f32x4_splat(omb2), vss = wasm_f32x4_splat(-step_size), vbc2s = wasm_f32x4_splat(bc2s),
                 veps = wasm_f32x4_splat(eps), vwd = wasm_f32x4_splat(wd), vdecay = wasm_f32x4_splat(decay),
                 tiny = wasm_f32x4_splat(TINY);
    v128_t sq = wasm_f32x4_splat(0.0f);                /* sum of (theta_t - theta_t-1)^2, lane-wise */
    for (int i = 0; i < n; i += 4) {                   /* n is a multiple of 4: the block is padded */
        v128_t G = wasm_v128_load(g + i), P = wasm_v128_load(p + i), P0 = P;
        if (ADAMW) { if (WD) P = wasm_f32x4_mul(P, vdecay); }
        else if (WD) G = wasm_f32x4_add(G, wasm_f32x4_mul(vwd, P));
        v128_t M = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), vb1), wasm_f32x4_mul(vomb1, G));
        v128_t V = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), vb2), wasm_f32x4_mul(vomb2, wasm_f32x4_mul(G, G)));
        M = wasm_v128_andnot(M, wasm_f32x4_lt(wasm_f32x4_abs(M), tiny));
        V = wasm_v128_andnot(V, wasm_f32x4_lt(wasm_f32x4_abs(V), tiny));
        wasm_v128_store(m + i, M);
        wasm_v128_store(v + i, V);
        v128_t VV = V;
        if (AMS) { VV = wasm_f32x4_pmax(V, wasm_v128_load(vmax + i)); wasm_v128_store(vmax + i, VV); }
        v128_t denom = wasm_f32x4_add(wasm_f32x4_div(wasm_f32x4_sqrt(VV), vbc2s), veps);
        v128_t NP = wasm_f32x4_add(P, wasm_f32x4_mul(vss, wasm_f32x4_div(M, denom)));
        wasm_v128_store(p + i, NP);
        v128_t d = wasm_f32x4_sub(NP, P0);
        sq = wasm_f32x4_add(sq, wasm_f32x4_mul(d, d));
    }
    return (double)wasm_f32x4_extract_lane(sq, 0) + wasm_f32x4_extract_lane(sq, 1) +
           (double)wasm_f32x4_extract_lane(sq, 2) + wasm_f32x4_extract_lane(sq, 3);
}
#endif

/* TR is a compile-time 0/1 after inlining: the traced loop and the fast loop are the same code. */
static inline __attribute__((always_inline)) void
step_loop(const int TR, const bp_optcfg *c, double bc1, double bc2, int n, float *restrict p,
          const float *restrict g_in, float *restrict m, float *restrict v, float *restrict vmax,
          float *restrict mhat, float *restrict vhat, float *restrict stp, double *step_sq)
{
    const float lr = c->lr, mu = c->momentum, wd = c->wd;
    double sq = 0.0;
    switch (c->kind) {
    case BP_OPT_SGD:
        for (int i = 0; i < n; i++) {
            float g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            if (mu != 0.0f) {
                m[i] = m[i] * mu + g;                       /* v = mu v + g  (v_1 = g since v_0 = 0) */
                g = c->nesterov ? g + mu * m[i] : m[i];
            }
            float s = -lr * g;
            float np = p[i] + s;
            if (TR) { stp[i] = np - p[i]; }
            sq += (double)(np - p[i]) * (np - p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_MOMENTUM:
        for (int i = 0; i < n; i++) {
            float g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            m[i] = mu * m[i] + lr * g;                      /* v = gamma v + eta g */
            float np = p[i] - m[i];                         /* theta -= v */
            if (TR) { stp[i] = np - p[i]; }
            sq += (double)(np - p[i]) * (np - p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_ADAGRAD:
        for (int i = 0; i < n; i++) {
            float g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            v[i] = v[i] + g * g;                            /* G += g^2 */
            float np = p[i] + (-lr) * (g / (sqrtf(v[i]) + c->eps));
            if (TR) { stp[i] = np - p[i]; }
            sq += (double)(np - p[i]) * (np - p[i]);
            p[i] = np;
        }
        break;
    case BP_OPT_RMSPROP: {
        const float a = c->alpha, oma = (float)(1.0 - (double)c->alpha);
        for (int i = 0; i < n; i++) {
            float g = g_in[i];
            if (wd != 0.0f) g = g + wd * p[i];
            v[i] = v[i] * a + oma * (g * g);                /* E = alpha E + (1 - alpha) g^2 */
            float avg = sqrtf(v[i]) + c->eps;
            float np;
            if (mu > 0.0f) {
                m[i] = m[i] * mu + g / avg;
                np = p[i] + (-lr) * m[i];
            } else {
                np = p[i] + (-lr) * (g / avg);
            }
            if (TR) { stp[i] = np - p[i]; }
            sq += (double)(np - p[i]) * (np - p[i]);
            p[i] = np;
        }
        break;
    }
    case BP_OPT_ADAM:
    case BP_OPT_ADAMW: {
        const float b1 = c->beta1, b2 = c->beta2;
        const float omb1 = (float)(1.0 - (double)b1), omb2 = (float)(1.0 - (double)b2);
        const float step_size = (float)(lr / bc1);          /* lr / (1 - b1^t) */
        const float bc2s = (float)sqrt(bc2);                /* sqrt(1 - b2^t) */
        const float decay = (float)(1.0 - (double)lr * (double)wd);
        const int adamw = c->kind == BP_OPT_ADAMW, ams = c->amsgrad;
#if !defined(BP_SCALAR)
        if (!TR) {
            const int w = wd != 0.0f;
#define ADAM(A, S, W) sq = adam_simd(A, S, W, n, p, g_in, m, v, vmax, b1, omb1, b2, omb2, step_size, bc2s, c->eps, wd, decay)
            switch (adamw * 4 + ams * 2 + w) {
            case 0: ADAM(0, 0, 0); break; case 1: ADAM(0, 0, 1); break;
            case 2: ADAM(0, 1, 0); break; case 3: ADAM(0, 1, 1); break;
            case 4: ADAM(1, 0, 0); break; case 5: ADAM(1, 0, 1); break;
            case 6: ADAM(1, 1, 0); break; default: ADAM(1, 1, 1); break;
            }
#undef ADAM
            break;
        }
#endif
        for (int i = 0; i < n; i++) {
            float g = g_in[i];
            float p0 = p[i];
            if (adamw) { if (wd != 0.0f) p[i] = p[i] * decay; }  /* theta *= 1 - lr wd */
            else if (wd != 0.0f) g = g + wd * p[i];          /* L2: g += wd theta */
            float mi = m[i] * b1 + omb1 * g;                 /* m = b1 m + (1 - b1) g */
            float vi = v[i] * b2 + omb2 * (g * g);           /* v = b2 v + (1 - b2) g^2 */
            m[i] = fabsf(mi) < TINY ? 0.0f : mi;
            v[i] = fabsf(vi) < TINY ? 0.0f : vi;
            float vv = v[i];
            if (ams) { vmax[i] = vmax[i] > vv ? vmax[i] : vv; vv = vmax[i]; }
            float denom = sqrtf(vv) / bc2s + c->eps;         /* sqrt(v_hat) + eps, as torch groups it */
            float np = p[i] + (-step_size) * (m[i] / denom);
            if (TR) {
                mhat[i] = (float)(m[i] / bc1);
                vhat[i] = (float)(vv / bc2);
                stp[i] = np - p0;
            }
            sq += (double)(np - p0) * (np - p0);
            p[i] = np;
        }
        break;
    }
    default:
        break;
    }
    *step_sq = sq;
}

void optim_step(const bp_optcfg *c, bp_optstate *s, int n, float *p, const float *g, float *m, float *v,
                float *vmax, float *tr_mhat, float *tr_vhat, float *tr_step, double *step_sq)
{
    s->t += 1;
    s->b1t *= c->beta1;                                      /* beta^t by products: same bits everywhere */
    s->b2t *= c->beta2;
    double bc1 = 1.0 - s->b1t, bc2 = 1.0 - s->b2t;
    if (tr_step) step_loop(1, c, bc1, bc2, n, p, g, m, v, vmax, tr_mhat, tr_vhat, tr_step, step_sq);
    else step_loop(0, c, bc1, bc2, n, p, g, m, v, vmax, NULL, NULL, NULL, step_sq);
}

/* ---- the same update on a plain vector (2-D loss surfaces) ---- */
struct bp_vopt {
    int n;
    float *block;   /* params | grads | m | v | vmax | m_hat | v_hat | step */
    bp_optcfg c;
    bp_optstate s;
    char err[BP_ERR_LEN];
};

bp_vopt *bp_vopt_create(int32_t n, char *err, int32_t err_len)
{
    if (n < 1 || n > (1 << 24)) { put_err(err, err_len, "vector size: %d is not allowed (1..16777216)", n); return NULL; }
    bp_vopt *o = calloc(1, sizeof *o);
    if (o) o->block = calloc((size_t)n * 8, sizeof(float));
    if (!o || !o->block) { free(o); put_err(err, err_len, "out of memory"); return NULL; }
    o->n = n;
    optim_fill(&o->c, BP_OPT_SGD, 0.01f, 0, 0.9f, 0.999f, 1e-8f, 0.99f, 0, 0, 0);
    o->s.b1t = o->s.b2t = 1.0;
    return o;
}

void bp_vopt_free(bp_vopt *o) { if (o) { free(o->block); free(o); } }
float *bp_vopt_params(bp_vopt *o) { return o ? o->block : NULL; }
float *bp_vopt_grads(bp_vopt *o) { return o ? o->block + o->n : NULL; }
float *bp_vopt_state(bp_vopt *o, int32_t which)
{
    return (o && which >= 0 && which < 6) ? o->block + (size_t)o->n * (2 + which) : NULL;
}
const char *bp_vopt_error(const bp_vopt *o) { return o ? o->err : "no optimizer"; }

int32_t bp_vopt_set(bp_vopt *o, int32_t kind, float lr, float momentum, float beta1, float beta2,
                    float eps, float alpha, float weight_decay, int32_t nesterov, int32_t amsgrad)
{
    if (!o) return BP_EINVAL;
    int rc = optim_check(kind, lr, momentum, beta1, beta2, eps, alpha, weight_decay, nesterov, amsgrad,
                         o->err, BP_ERR_LEN);
    if (rc) return rc;
    optim_fill(&o->c, kind, lr, momentum, beta1, beta2, eps, alpha, weight_decay, nesterov, amsgrad);
    memset(o->block + (size_t)o->n * 2, 0, (size_t)o->n * 6 * sizeof(float));
    o->s.t = 0; o->s.b1t = o->s.b2t = 1.0;
    return BP_OK;
}

int32_t bp_vopt_step(bp_vopt *o)
{
    if (!o) return BP_EINVAL;
    float *b = o->block;
    int n = o->n;
    for (int i = 0; i < n; i++)
        if (!isfinite(b[n + i])) {
            put_err(o->err, BP_ERR_LEN, "gradient %d is not finite (%g): the run diverged", i, (double)b[n + i]);
            return BP_EDIVERGED;
        }
    double sq;
    optim_step(&o->c, &o->s, n, b, b + n, b + 2 * n, b + 3 * n, b + 4 * n, b + 5 * n, b + 6 * n, b + 7 * n, &sq);
    return BP_OK;
}
