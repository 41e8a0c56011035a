/* kernels.c - the hot loops: the three matrix products of a dense layer, the column sum for db,
 * and exp. Each SIMD kernel has a plain scalar twin (*_ref) that the tests use as the reference
 * and that the scalar build (-DBP_SCALAR) runs instead.
 *
 * Size letters: M rows of the result, N its columns, K the summed dimension. Row-major throughout.
 * In a layer with B samples:  forward   Z  (B x out) = A_prev (B x in) W^T          -> gemm_nt
 *                             backward  dA (B x in)  = delta (B x out) W (out x in)   -> gemm_nn
 *                                       dW (out x in) = delta^T A_prev               -> gemm_tn
 * Every inner loop streams contiguous memory: no operand is read transposed.
 * Register blocks are 4 rows x 8 floats (8 accumulators): wasm engines on x86 have 16 vector
 * registers, and a larger block spills.
 */
#include "internal.h"
#include "simd.h"
#include <string.h>

const char *k_kernel_kind(void) { return BP_KERNEL_KIND; }

/* ------------------------------------------------------------------ scalar references */

void k_gemm_nt_ref(int M, int N, int K, const bp_real *A, const bp_real *B, const bp_real *bias, bp_real *C)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            bp_real s = 0.0f;
            for (int k = 0; k < K; k++) s += A[(size_t)i * K + k] * B[(size_t)j * K + k];
            C[(size_t)i * N + j] = s + (bias ? bias[j] : 0.0f);
        }
}

void k_gemm_nn_ref(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            bp_real s = 0.0f;
            for (int k = 0; k < K; k++) s += A[(size_t)i * K + k] * B[(size_t)k * N + j];
            C[(size_t)i * N + j] = s;
        }
}

void k_gemm_tn_ref(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C)
{
    for (int i = 0; i < M; i++)
        for (int j = 0; j < N; j++) {
            bp_real s = 0.0f;
            for (int k = 0; k < K; k++) s += A[(size_t)k * M + i] * B[(size_t)k * N + j];
            C[(size_t)i * N + j] = s;
        }
}

void k_colsum_ref(int M, int N, const bp_real *A, bp_real *out)
{
    for (int j = 0; j < N; j++) {
        bp_real s = 0.0f;
        for (int i = 0; i < M; i++) s += A[(size_t)i * N + j];
        out[j] = s;
    }
}

#ifndef BP_F64

/* exp(x) = 2^n e^r, r = x - n ln2 in [-ln2/2, ln2/2], e^r by Cephes' degree-6 polynomial.
 * Only + - * floor and exponent bits: the SIMD version gives the same bits. */
#define EXP_HI 88.3762626647949f
#define EXP_LO (-88.3762626647949f)
#define LOG2E 1.44269504088896341f
#define EXP_C1 0.693359375f
#define EXP_C2 (-2.12194440e-4f)
#define EXP_P0 1.9875691500e-4f
#define EXP_P1 1.3981999507e-3f
#define EXP_P2 8.3334519073e-3f
#define EXP_P3 4.1665795894e-2f
#define EXP_P4 1.6666665459e-1f
#define EXP_P5 5.0000001201e-1f

bp_real k_expf(bp_real x)
{
    x = (EXP_HI < x) ? EXP_HI : x;      /* same rule as f32x4.pmin / pmax: NaN passes through */
    x = (x < EXP_LO) ? EXP_LO : x;
    if (x != x) return x;
    bp_real fx = __builtin_floorf(x * LOG2E + 0.5f);
    x = x - fx * EXP_C1;
    x = x - fx * EXP_C2;
    bp_real z = x * x;
    bp_real y = EXP_P0;
    y = y * x + EXP_P1;
    y = y * x + EXP_P2;
    y = y * x + EXP_P3;
    y = y * x + EXP_P4;
    y = y * x + EXP_P5;
    y = y * z + x + 1.0f;
    int32_t n = (int32_t)fx + 127;
    uint32_t bits = (uint32_t)n << 23;
    bp_real p2;
    memcpy(&p2, &bits, 4);
    return y * p2;
}

/* e^x - 1 without cancellation near 0 (ELU): Taylor series for |x| < 0.35, exp otherwise. */
bp_real k_expm1f(bp_real x)
{
    bp_real ax = x < 0 ? -x : x;
    if (ax < 0.35f)
        return x * (1.0f + x * (0.5f + x * (1.0f / 6 + x * (1.0f / 24 + x * (1.0f / 120 + x * (1.0f / 720 + x * (1.0f / 5040)))))));
    return k_expf(x) - 1.0f;
}

/* tanh: Cephes' odd polynomial for |x| < 0.625, 1 - 2 / (e^{2|x|} + 1) beyond. */
bp_real k_tanhf(bp_real x)
{
    bp_real ax = x < 0 ? -x : x;
    if (ax < 0.625f) {
        bp_real z = x * x;
        bp_real p = ((((-5.70498872745e-3f * z + 2.06390887954e-2f) * z - 5.37397155531e-2f) * z
                    + 1.33314422036e-1f) * z - 3.33332819422e-1f) * z;
        return p * x + x;
    }
    bp_real t = 1.0f - 2.0f / (k_expf(2.0f * ax) + 1.0f);
    return x < 0 ? -t : t;
}

#else

/* The double build (BP_F64): Cephes' double-precision exp and tanh (a rational function on the
 * reduced range), e^x - 1 by Kahan's (u - 1) x / log u; only + - * / floor and exponent bits, with the
 * core's own log, so the f64 core also gives the same bits natively, in Node and in the browser. */
#define EXP_HI 709.0                     /* e^709 = 8.2e307: 2^n stays a normal double */
#define EXP_LO (-709.0895657128241)     /* -1023 ln 2: below it 2^n has a zero exponent, so e^x = 0 */
#define LOG2E 1.4426950408889634074
#define EXP_C1 6.93145751953125E-1
#define EXP_C2 1.42860682030941723212E-6

bp_real k_expf(bp_real x)
{
    x = (EXP_HI < x) ? EXP_HI : x;
    x = (x < EXP_LO) ? EXP_LO : x;
    if (x != x) return x;
    double fx = __builtin_floor(x * LOG2E + 0.5);
    x = x - fx * EXP_C1;
    x = x - fx * EXP_C2;
    double xx = x * x;
    double px = x * ((1.26177193074810590878E-4 * xx + 3.02994407707441961300E-2) * xx + 9.99999999999999999910E-1);
    double qx = ((3.00198505138664455042E-6 * xx + 2.52448340349684104192E-3) * xx + 2.27265548208155028766E-1) * xx
                + 2.00000000000000000009E0;
    double y = 1.0 + 2.0 * (px / (qx - px));
    uint64_t bits = (uint64_t)((int64_t)fx + 1023) << 52;
    double p2;
    memcpy(&p2, &bits, 8);
    return y * p2;
}

bp_real k_expm1f(bp_real x)
{
    double u = k_expf(x);
    if (u == 1.0) return x;              /* |x| below half an ulp of 1 */
    if (u - 1.0 == -1.0) return -1.0;
    return (u - 1.0) * x / bp_log(u);
}

bp_real k_tanhf(bp_real x)
{
    double ax = x < 0 ? -x : x;
    if (ax <= 0.625) {
        if (x == 0.0) return x;
        double z = x * x;
        double p = ((-9.64399179425052238628E-1 * z - 9.92877231001918586564E1) * z - 1.61468768441708447952E3);
        double q = ((z + 1.12811678491632931402E2) * z + 2.23548839060100448583E3) * z + 4.84406305325125486048E3;
        return x + x * z * (p / q);
    }
    double t = 1.0 - 2.0 / (k_expf(2.0 * ax) + 1.0);
    return x < 0 ? -t : t;
}

#endif

void k_exp_vec_ref(int n, const bp_real *x, bp_real *y)
{
    for (int i = 0; i < n; i++) y[i] = k_expf(x[i]);
}

#if defined(BP_SCALAR)

void k_gemm_nt(int M, int N, int K, const bp_real *A, const bp_real *B, const bp_real *bias, bp_real *C)
{ k_gemm_nt_ref(M, N, K, A, B, bias, C); }
void k_gemm_nn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C)
{ k_gemm_nn_ref(M, N, K, A, B, C); }
void k_gemm_tn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C)
{ k_gemm_tn_ref(M, N, K, A, B, C); }
void k_colsum(int M, int N, const bp_real *A, bp_real *out) { k_colsum_ref(M, N, A, out); }
void k_exp_vec(int n, const bp_real *x, bp_real *y) { k_exp_vec_ref(n, x, y); }

#else

#define INLINE static inline __attribute__((always_inline))

/* sum of the four lanes, as (l0 + l2) + (l1 + l3) */
INLINE bp_real hsum(v128_t a)
{
    v128_t h = wasm_f32x4_add(a, wasm_i32x4_shuffle(a, a, 2, 3, 0, 1));
    return wasm_f32x4_extract_lane(h, 0) + wasm_f32x4_extract_lane(h, 1);
}

/* --- C = A B^T + bias: dot products of rows of A with rows of B, R rows x NC columns at once --- */
INLINE void nt_block(const int R, const int NC, int K, const bp_real *A, int lda, const bp_real *B, int ldb,
                     const bp_real *bias, bp_real *C, int ldc)
{
    v128_t acc[4][2];
    for (int r = 0; r < R; r++)
        for (int c = 0; c < NC; c++) acc[r][c] = wasm_f32x4_splat(0.0f);
    int k = 0;
    for (; k + 4 <= K; k += 4) {
        v128_t b[2];
        for (int c = 0; c < NC; c++) b[c] = wasm_v128_load(B + (size_t)c * ldb + k);
        for (int r = 0; r < R; r++) {
            v128_t a = wasm_v128_load(A + (size_t)r * lda + k);
            for (int c = 0; c < NC; c++) acc[r][c] = wasm_f32x4_add(acc[r][c], wasm_f32x4_mul(a, b[c]));
        }
    }
    for (int r = 0; r < R; r++)
        for (int c = 0; c < NC; c++) {
            bp_real s = hsum(acc[r][c]);
            for (int kk = k; kk < K; kk++) s += A[(size_t)r * lda + kk] * B[(size_t)c * ldb + kk];
            C[(size_t)r * ldc + c] = s + (bias ? bias[c] : 0.0f);
        }
}

void k_gemm_nt(int M, int N, int K, const bp_real *A, const bp_real *B, const bp_real *bias, bp_real *C)
{
    int i = 0;
    for (; i + 4 <= M; i += 4) {
        int j = 0;
        for (; j + 2 <= N; j += 2)
            nt_block(4, 2, K, A + (size_t)i * K, K, B + (size_t)j * K, K, bias ? bias + j : NULL, C + (size_t)i * N + j, N);
        for (; j < N; j++)
            nt_block(4, 1, K, A + (size_t)i * K, K, B + (size_t)j * K, K, bias ? bias + j : NULL, C + (size_t)i * N + j, N);
    }
    for (; i < M; i++) {
        int j = 0;
        for (; j + 2 <= N; j += 2)
            nt_block(1, 2, K, A + (size_t)i * K, K, B + (size_t)j * K, K, bias ? bias + j : NULL, C + (size_t)i * N + j, N);
        for (; j < N; j++)
            nt_block(1, 1, K, A + (size_t)i * K, K, B + (size_t)j * K, K, bias ? bias + j : NULL, C + (size_t)i * N + j, N);
    }
}

/* --- C = op(A) B, B streamed by rows: each lane of an accumulator sums over k in order, so the
 * result is bit-identical to the scalar twin. A(r, k) is A[r * a_rs + k * a_ks]. --- */
INLINE void nn_block(const int R, const int NV, int K, const bp_real *A, int a_rs, int a_ks, const bp_real *B, int ldb,
                     bp_real *C, int ldc)
{
    v128_t acc[4][4];
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_splat(0.0f);
    for (int k = 0; k < K; k++) {
        v128_t b[4];
        for (int v = 0; v < NV; v++) b[v] = wasm_v128_load(B + (size_t)k * ldb + 4 * v);
        for (int r = 0; r < R; r++) {
            v128_t a = wasm_f32x4_splat(A[(size_t)r * a_rs + (size_t)k * a_ks]);
            for (int v = 0; v < NV; v++) acc[r][v] = wasm_f32x4_add(acc[r][v], wasm_f32x4_mul(a, b[v]));
        }
    }
    for (int r = 0; r < R; r++)
        for (int v = 0; v < NV; v++) wasm_v128_store(C + (size_t)r * ldc + 4 * v, acc[r][v]);
}

/* Rows [i0, M) of C, columns j..j+4 NV: blocks of R rows, then single rows. */
INLINE void xn_cols(const int R, const int NV, int M, int N, int K, const bp_real *A, int a_rs, int a_ks,
                    const bp_real *B, bp_real *C, int j)
{
    int i = 0;
    for (; i + R <= M; i += R) nn_block(R, NV, K, A + (size_t)i * a_rs, a_rs, a_ks, B + j, N, C + (size_t)i * N + j, N);
    for (; i < M; i++) nn_block(1, NV, K, A + (size_t)i * a_rs, a_rs, a_ks, B + j, N, C + (size_t)i * N + j, N);
}

/* Blocks of 2 rows x 16 columns (8 accumulators, 4 loads of B and 2 broadcasts of A per k): measured
 * 15% faster than 4 x 8 (4 broadcasts) on dW = delta^T A_prev; 12 accumulators spill. Column blocks
 * outside, so a block of B stays in L1 while all rows of A pass over it. */
static void gemm_xn(int M, int N, int K, const bp_real *A, int a_rs, int a_ks, const bp_real *B, bp_real *C)
{
    int j = 0;
    for (; j + 16 <= N; j += 16) xn_cols(2, 4, M, N, K, A, a_rs, a_ks, B, C, j);
    for (; j + 8 <= N; j += 8) xn_cols(4, 2, M, N, K, A, a_rs, a_ks, B, C, j);
    for (; j + 4 <= N; j += 4) xn_cols(4, 1, M, N, K, A, a_rs, a_ks, B, C, j);
    for (; j < N; j++)
        for (int i = 0; i < M; i++) {
            const bp_real *Ai = A + (size_t)i * a_rs;
            bp_real s = 0.0f;
            for (int k = 0; k < K; k++) s += Ai[(size_t)k * a_ks] * B[(size_t)k * N + j];
            C[(size_t)i * N + j] = s;
        }
}

void k_gemm_nn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C) { gemm_xn(M, N, K, A, K, 1, B, C); }
void k_gemm_tn(int M, int N, int K, const bp_real *A, const bp_real *B, bp_real *C) { gemm_xn(M, N, K, A, 1, M, B, C); }

void k_colsum(int M, int N, const bp_real *A, bp_real *out)
{
    int j = 0;
    for (; j + 4 <= N; j += 4) {
        v128_t s = wasm_f32x4_splat(0.0f);
        for (int i = 0; i < M; i++) s = wasm_f32x4_add(s, wasm_v128_load(A + (size_t)i * N + j));
        wasm_v128_store(out + j, s);
    }
    for (; j < N; j++) {
        bp_real s = 0.0f;
        for (int i = 0; i < M; i++) s += A[(size_t)i * N + j];
        out[j] = s;
    }
}

void k_exp_vec(int n, const bp_real *x, bp_real *y)
{
    const v128_t hi = wasm_f32x4_splat(EXP_HI), lo = wasm_f32x4_splat(EXP_LO);
    int i = 0;
    for (; i + 4 <= n; i += 4) {
        v128_t v = wasm_v128_load(x + i);
        v = wasm_f32x4_pmin(v, hi);           /* hi < v ? hi : v */
        v = wasm_f32x4_pmax(v, lo);           /* v < lo ? lo : v */
        v128_t fx = wasm_f32x4_floor(wasm_f32x4_add(wasm_f32x4_mul(v, wasm_f32x4_splat(LOG2E)), wasm_f32x4_splat(0.5f)));
        v = wasm_f32x4_sub(v, wasm_f32x4_mul(fx, wasm_f32x4_splat(EXP_C1)));
        v = wasm_f32x4_sub(v, wasm_f32x4_mul(fx, wasm_f32x4_splat(EXP_C2)));
        v128_t z = wasm_f32x4_mul(v, v);
        v128_t p = wasm_f32x4_splat(EXP_P0);
        p = wasm_f32x4_add(wasm_f32x4_mul(p, v), wasm_f32x4_splat(EXP_P1));
        p = wasm_f32x4_add(wasm_f32x4_mul(p, v), wasm_f32x4_splat(EXP_P2));
        p = wasm_f32x4_add(wasm_f32x4_mul(p, v), wasm_f32x4_splat(EXP_P3));
        p = wasm_f32x4_add(wasm_f32x4_mul(p, v), wasm_f32x4_splat(EXP_P4));
        p = wasm_f32x4_add(wasm_f32x4_mul(p, v), wasm_f32x4_splat(EXP_P5));
        p = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(p, z), v), wasm_f32x4_splat(1.0f));
        v128_t n2 = wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(fx), wasm_i32x4_splat(127)), 23);
        wasm_v128_store(y + i, wasm_f32x4_mul(p, n2));
    }
    for (; i < n; i++) y[i] = k_expf(x[i]);
}

#endif
