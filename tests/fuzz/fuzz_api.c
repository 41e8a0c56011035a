/* fuzz_api.c - libFuzzer harness of the core's public C API (bp.h), native, under ASan + UBSan.
 *
 * The fuzzer's bytes are read as a little program: a network (sizes, activations, loss, alphas,
 * dropout, batch norm, all from the bytes, so most are invalid), then up to 64 calls chosen by the
 * bytes: init, explicit weights, optimizer settings, forward/backward/update with any floats
 * (NaN, infinities, huge values) and any int32 labels, predict, gradcheck with any parameter index,
 * views with any kind and layer, datasets of any size whose labels are rewritten between calls,
 * evaluate with a confusion matrix, the vector optimizer, the toy functions and the exercises' mistakes.
 *
 * The harness keeps the one contract C cannot check: arrays are as long as the counts it passes.
 * Everything else is the core's to refuse. What it proves (besides no sanitizer finding):
 *   - every failing call returns a BP_E* code and leaves the same code in its error record, with a
 *     message, and a field for BP_EINVAL;
 *   - a successful evaluate's confusion matrix counts every sample exactly once.
 *
 * make fuzz-smoke runs it for a bounded time (make test), make fuzz for longer. */
#include "bp.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct { const uint8_t *p; size_t n; } rd;

static uint32_t u8(rd *r) { if (!r->n) return 0; r->n--; return *r->p++; }
static uint32_t u32(rd *r) { uint32_t v = 0; for (int i = 0; i < 4; i++) v |= u8(r) << (8 * i); return v; }
static int32_t i32(rd *r) { return (int32_t)u32(r); }

/* A float from the bytes: mostly ordinary values, sometimes NaN, infinities, huge or tiny ones. */
static float f32(rd *r)
{
    uint32_t k = u8(r);
    switch (k % 16) {
    case 0: return NAN;
    case 1: return INFINITY;
    case 2: return -INFINITY;
    case 3: return 3.0e38f;
    case 4: { uint32_t b = u32(r); float f; memcpy(&f, &b, 4); return f; }   /* any bit pattern */
    default: return ((int)u8(r) - 128) / 32.0f;
    }
}

/* A count: usually small and valid, sometimes 0, negative or huge. */
static int32_t count(rd *r, int32_t small)
{
    uint32_t k = u8(r);
    if (k < 200) return 1 + (int32_t)(k % (uint32_t)small);
    if (k < 230) return (int32_t)(k % 3) - 1;
    return i32(r);
}

static void fill_f(rd *r, float *x, size_t n) { for (size_t i = 0; i < n; i++) x[i] = f32(r); }

/* A failing call must say why, as data. */
static void expect_err(int32_t rc, const bp_error *e)
{
    if (rc >= 0) return;
    if (!e) return;                                      /* NULL handle: nothing to fill */
    if (e->code != rc || !e->message[0]) __builtin_trap();
    if (rc == BP_EINVAL && !e->field[0]) __builtin_trap();
}

/* A batch from the bytes: Bb rows of inputs, targets and labels (labels mostly classes, sometimes any int). */
typedef struct { float *X, *T; int32_t *lab; } batch;
static batch make_batch(rd *r, int Bb, int in, int K)
{
    batch b = {malloc((size_t)Bb * in * sizeof(float)), malloc((size_t)Bb * K * sizeof(float)), malloc((size_t)Bb * sizeof(int32_t))};
    fill_f(r, b.X, (size_t)Bb * in); fill_f(r, b.T, (size_t)Bb * K);
    for (int i = 0; i < Bb; i++) b.lab[i] = u8(r) < 230 ? (int32_t)(u8(r) % (uint32_t)K) : i32(r);
    return b;
}
static void free_batch(batch b) { free(b.X); free(b.T); free(b.lab); }

static void fuzz_data(rd *r, bp_net *net)
{
    bp_error err;
    int in = bp_net_size(net, 0), K = bp_net_size(net, bp_net_layers(net));
    int32_t n = count(r, 40), labels = (int32_t)(u8(r) & 1), bytes = (int32_t)(u8(r) & 1);
    int32_t dim = u8(r) & 1 ? in : count(r, 8), k = u8(r) & 1 ? K : count(r, 8);
    if (n > 64 && dim > 0 && k > 0) n = 64;              /* large valid sizes only cost time */
    bp_data *d = (bytes ? bp_data_create_u8 : bp_data_create)(n, dim, k, labels, &err);
    if (!d) { expect_err(err.code, &err); if (err.code >= 0) __builtin_trap(); return; }
    if (bytes) {
        uint8_t *px = bp_data_bytes(d);
        for (size_t i = 0; i < (size_t)n * dim; i++) px[i] = (uint8_t)u8(r);
        if (u8(r) < 16) bp_data_lut(d)[u8(r)] = f32(r);
    } else fill_f(r, bp_data_x(d), (size_t)n * dim);
    if (labels) for (int i = 0; i < n; i++) bp_data_labels(d)[i] = u8(r) < 240 ? (int32_t)(u8(r) % (uint32_t)k) : i32(r);
    else fill_f(r, bp_data_targets(d), (size_t)n * k);
    int32_t rc = bp_epoch_begin(net, d, (int32_t)(u8(r) & 1));
    expect_err(rc, bp_net_last_error(net));
    if (labels && u8(r) < 64) bp_data_labels(d)[u8(r) % (uint32_t)n] = i32(r);   /* rewritten after the check */
    int32_t maxb = count(r, 4);
    float *losses = maxb > 0 && maxb < 64 ? calloc((size_t)maxb, sizeof(float)) : NULL;
    rc = bp_train_batches(net, d, count(r, 16), losses ? maxb : 0, losses);
    expect_err(rc, bp_net_last_error(net));
    free(losses);
    if (labels && u8(r) < 64) bp_data_labels(d)[u8(r) % (uint32_t)n] = i32(r);
    int32_t *conf = calloc((size_t)k * k, sizeof(int32_t));
    float *probs = calloc((size_t)n * k, sizeof(float));
    double loss; int32_t correct;
    rc = bp_evaluate(net, d, &loss, &correct, conf, probs);
    expect_err(rc, bp_net_last_error(net));
    if (rc == BP_OK) {
        long sum = 0;
        for (int i = 0; i < k * k; i++) sum += conf[i];
        if (sum != n || correct < 0 || correct > n) __builtin_trap();
    }
    int32_t st = u8(r) < 200 ? (int32_t)(u8(r) % (uint32_t)n) : i32(r), cnt = u8(r) < 200 ? 1 + (int32_t)(u8(r) % (uint32_t)n) : i32(r);
    if (st >= 0 && st < n && cnt > n - st && u8(r) < 200) cnt = n - st;  /* mostly in range; probs holds n rows */
    double sum = 0;
    expect_err(bp_evaluate_part(net, d, st, cnt, &sum, &correct, conf, probs), bp_net_last_error(net));
    free(conf); free(probs);
    bp_data_free(d);
}

/* The exercises' mistakes (mistakes.c): a step of a small network under any mistake number, with any
 * activations and loss, sizes 1..4 or out of range; Adam's steps and the losses under a mistake. */
static void fuzz_mistakes(rd *r, int32_t Bt, int32_t kk, const float *y, const float *t)
{
    int32_t nl = u8(r) < 240 ? 1 + (int32_t)(u8(r) % 3) : (u8(r) % 2 ? 0 : 5), sizes[6], acts[5];
    for (int l = 0; l < 6; l++) sizes[l] = u8(r) < 240 ? 1 + (int32_t)(u8(r) % 4) : (u8(r) % 2 ? 0 : 65 + (int32_t)u8(r));
    for (int l = 0; l < 5; l++) acts[l] = u8(r) < 240 ? (int32_t)(u8(r) % BP_ACT_COUNT) : i32(r);
    float params[5 * 20], X[4 * 4], T[4 * 4], out[1024];
    fill_f(r, params, 100); fill_f(r, X, 16); fill_f(r, T, 16);
    int32_t m = u8(r) < 240 ? (int32_t)(u8(r) % BP_M_COUNT) : i32(r), loss = u8(r) < 240 ? (int32_t)(u8(r) % BP_LOSS_COUNT) : i32(r);
    (void)bp_mistake_step(m, nl, sizes, acts, loss, params, (int32_t)(u8(r) % 2), X, T, Bt, f32(r), out);
    (void)bp_mistake_adam((int32_t)(u8(r) % 2), kk, Bt, y, t, f32(r), f32(r), f32(r), f32(r), out);
    double mean;
    (void)bp_mistake_loss(m, loss, Bt, kk, y, t, out, &mean);
}

static void fuzz_net(rd *r)
{
    bp_error err;
    int32_t nl = u8(r) < 240 ? 1 + (int32_t)(u8(r) % 3) : i32(r);
    int32_t sizes[BP_MAX_LAYERS + 1], acts[BP_MAX_LAYERS], bias[BP_MAX_LAYERS], bn[BP_MAX_LAYERS];
    float alphas[BP_MAX_LAYERS], drop[BP_MAX_LAYERS];
    int m = nl >= 1 && nl <= BP_MAX_LAYERS ? nl : 1;
    for (int i = 0; i <= m; i++) sizes[i] = count(r, 6);
    for (int l = 0; l < m; l++) {
        acts[l] = u8(r) < 250 ? (int32_t)(u8(r) % BP_ACT_COUNT) : i32(r);
        alphas[l] = u8(r) < 200 ? 0.5f : f32(r);
        bias[l] = (int32_t)(u8(r) & 1);
        drop[l] = u8(r) < 200 ? 0.0f : f32(r);
        bn[l] = u8(r) < 220 ? 0 : 1;
    }
    int32_t loss = u8(r) < 250 ? (int32_t)(u8(r) % BP_LOSS_COUNT) : i32(r);
    uint32_t opts = u8(r);
    bp_net *net = bp_net_create(nl, sizes, acts, opts & 1 ? alphas : NULL, opts & 2 ? bias : NULL,
                                opts & 4 ? drop : NULL, opts & 8 ? bn : NULL, loss, &err);
    if (!net) { if (err.code >= 0) __builtin_trap(); expect_err(err.code, &err); return; }
    const bp_error *e = bp_net_last_error(net);
    int in = bp_net_size(net, 0), K = bp_net_size(net, bp_net_layers(net)), L = bp_net_layers(net);
    for (int op = 0; op < 64 && r->n; op++) {
        int32_t rc = 0, B;
        switch (u8(r) % 12) {
        case 0: rc = bp_net_init(net, u8(r) < 240 ? (int32_t)(u8(r) % BP_INIT_COUNT) : i32(r), u32(r)); break;
        case 1: {
            int32_t l = u8(r) < 240 ? (int32_t)(u8(r) % (uint32_t)L) : i32(r);
            int ll = l >= 0 && l < L ? l : 0;
            size_t nw = (size_t)bp_net_size(net, ll) * bp_net_size(net, ll + 1), nb = (size_t)bp_net_size(net, ll + 1);
            float *W = malloc(nw * sizeof(float)), *b = malloc(nb * sizeof(float));
            fill_f(r, W, nw); fill_f(r, b, nb);
            rc = bp_net_set_layer(net, l, u8(r) & 1 ? W : NULL, u8(r) & 1 ? b : NULL);
            free(W); free(b);
            break; }
        case 2: {
            bp_optim o;
            bp_optim_defaults(&o, u8(r) < 240 ? (int32_t)(u8(r) % BP_OPT_COUNT) : i32(r));
            if (u8(r) < 128) o.kind = i32(r);
            float *f = &o.lr;
            for (int i = 0; i < 7; i++) if (u8(r) < 40) f[i] = f32(r);
            if (u8(r) < 40) o.nesterov = i32(r);
            if (u8(r) < 40) o.amsgrad = i32(r);
            rc = bp_net_set_optim(net, &o);
            break; }
        case 3: case 4: {                                 /* forward, backward (labels or targets), update */
            B = count(r, 8);
            int Bb = B > 0 && B <= 64 ? B : 1;
            batch b = make_batch(r, Bb, in, K);
            int use_lab = u8(r) & 1;
            if (B == Bb) {
                rc = bp_forward(net, b.X, B);
                expect_err(rc, e);
                rc = bp_backward(net, use_lab ? NULL : b.T, use_lab ? b.lab : NULL, u8(r) < 240 ? B : B + 1);
                expect_err(rc, e);
                rc = bp_update(net);
            } else rc = bp_forward(net, b.X, B < 1 || B > (1 << 20) ? B : Bb);   /* a count it cannot hold is refused */
            free_batch(b);
            break; }
        case 5: rc = bp_update(net); break;
        case 6: {
            B = count(r, 8);
            int Bb = B > 0 && B <= 64 ? B : 1;
            float *X = malloc((size_t)Bb * in * sizeof(float)), *out = malloc((size_t)Bb * K * sizeof(float));
            fill_f(r, X, (size_t)Bb * in);
            rc = bp_predict(net, X, B < 1 ? B : Bb, out);
            free(X); free(out);
            break; }
        case 7: {
            B = count(r, 4);
            int Bb = B > 0 && B <= 64 ? B : 1;
            batch b = make_batch(r, Bb, in, K);
            double out[6];
            int32_t p = u8(r) < 230 ? (int32_t)(u32(r) % (uint32_t)bp_net_nparams(net)) : i32(r);
            rc = bp_gradcheck_full(net, b.X, u8(r) & 1 ? b.T : NULL, u8(r) & 1 ? b.lab : NULL, B < 1 || B > (1 << 20) ? B : Bb, p, f32(r), out);
            free_batch(b);
            break; }
        case 8: {                                         /* views: any kind, any layer; read them whole */
            int32_t what = u8(r) < 240 ? (int32_t)(u8(r) % BP_V_COUNT) : i32(r), layer = u8(r) < 240 ? (int32_t)(u8(r) % 4) - 1 : i32(r);
            int32_t rows, cols;
            float *v = bp_view(net, what, layer, &rows, &cols);
            volatile float s = 0;
            if (v) for (size_t i = 0; i < (size_t)rows * cols; i++) s += v[i];
            (void)bp_net_param_offset(net, layer, what);
            rc = bp_net_set_trace(net, (int32_t)(u8(r) & 1));
            break; }
        case 9: fuzz_data(r, net); break;
        case 10: {
            int32_t n = u8(r) < 240 ? 1 + (int32_t)(u8(r) % 8) : i32(r);
            bp_vopt *o = bp_vopt_create(n, &err);
            if (!o) { expect_err(err.code, &err); break; }
            bp_optim c;
            bp_optim_defaults(&c, (int32_t)(u8(r) % BP_OPT_COUNT));
            c.lr = u8(r) < 200 ? 0.1f : f32(r);
            expect_err(bp_vopt_set(o, &c), bp_vopt_last_error(o));
            fill_f(r, bp_vopt_params(o), (size_t)n);
            for (int s = 0; s < 3; s++) { fill_f(r, bp_vopt_grads(o), (size_t)n); expect_err(bp_vopt_step(o), bp_vopt_last_error(o)); }
            bp_vopt_free(o);
            break; }
        case 11: {                                        /* toy functions and the name tables */
            int32_t Bt = 1 + (int32_t)(u8(r) % 4), Kt = u8(r) < 240 ? 1 + (int32_t)(u8(r) % 8) : i32(r);
            int kk = Kt > 0 && Kt <= 64 ? Kt : 1;
            float y[4 * 64], t[4 * 64], rows[4], jac[64 * 64], out[3];
            double mean;
            fill_f(r, y, (size_t)Bt * kk); fill_f(r, t, (size_t)Bt * kk);
            (void)bp_loss_values(u8(r) < 240 ? (int32_t)(u8(r) % BP_LOSS_COUNT) : i32(r), Bt, Kt == kk ? Kt : (Kt < 1 ? Kt : kk), y, t, rows, &mean);
            (void)bp_softmax_jacobian(Kt == kk ? Kt : (Kt < 1 ? Kt : 65), y, jac);
            (void)bp_surface(i32(r) % 6, f32(r), f32(r), out);
            int32_t kind = i32(r) % 14, i = i32(r) % 40;
            const char *nm = bp_enum_name(kind, i);
            if (nm) { volatile size_t len = strlen(nm); (void)len; }
            (void)bp_optim_default(i32(r) % 10, i32(r) % 12);
            (void)bp_act_alpha_default(i32(r));
            fuzz_mistakes(r, Bt, kk, y, t);
            break; }
        }
        expect_err(rc, e);
    }
    bp_net_free(net);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd r = {data, size};
    fuzz_net(&r);
    return 0;
}
