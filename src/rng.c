/* rng.c - the core's own random numbers: xoshiro128** (Blackman & Vigna) seeded by splitmix32.
 * Only 32-bit integer arithmetic and IEEE + - * / sqrt, so a seed gives the same bits natively,
 * in Node and in the browser (no libm call whose last bit could differ between platforms). */
#include "internal.h"
#include <math.h>

static uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static uint32_t splitmix32(uint32_t *x)
{
    uint32_t z = (*x += 0x9E3779B9u);
    z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
    z = (z ^ (z >> 13)) * 0xC2B2AE35u;
    return z ^ (z >> 16);
}

void rng_seed(bp_rng *r, uint32_t seed)
{
    uint32_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = splitmix32(&x);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3])) r->s[0] = 1;  /* the all-zero state is a fixed point */
    r->has_spare = 0;
    r->spare = 0.0;
}

uint32_t rng_u32(bp_rng *r)
{
    uint32_t *s = r->s;
    uint32_t result = rotl(s[1] * 5, 7) * 9;
    uint32_t t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
}

/* Lemire's multiply-and-reject: uniform in [0, n) without modulo bias. */
uint32_t rng_below(bp_rng *r, uint32_t n)
{
    uint64_t m = (uint64_t)rng_u32(r) * n;
    uint32_t lo = (uint32_t)m;
    if (lo < n) {
        uint32_t t = (0u - n) % n;
        while (lo < t) { m = (uint64_t)rng_u32(r) * n; lo = (uint32_t)m; }
    }
    return (uint32_t)(m >> 32);
}

bp_real rng_uniform(bp_rng *r) { return (bp_real)(rng_u32(r) >> 8) * (1.0f / 16777216.0f); }

/* ln x for finite x > 0: x = m 2^e with m in [1/sqrt2, sqrt2), ln m = 2 atanh(s), s = (m-1)/(m+1),
 * |s| < 0.1716, by its series to 1e-17. */
double bp_log(double x)
{
    if (!(x > 0.0)) return x == 0.0 ? -INFINITY : NAN;
    if (x == INFINITY) return x;
    int e;
    double m = frexp(x, &e);                      /* exact: m in [0.5, 1) */
    if (m < 0.70710678118654752440) { m *= 2.0; e -= 1; }
    double s = (m - 1.0) / (m + 1.0), s2 = s * s, p = s, sum = 0.0;
    for (int k = 0; k < 12; k++) { sum += p / (2 * k + 1); p *= s2; }
    return 2.0 * sum + e * 0.69314718055994530942;
}

/* Marsaglia's polar method: two normals per accepted pair, the second kept for the next call. */
double rng_normal(bp_rng *r)
{
    if (r->has_spare) { r->has_spare = 0; return r->spare; }
    double u, v, s;
    do {
        u = 2.0 * ((rng_u32(r) >> 5) * (1.0 / 134217728.0)) - 1.0;   /* 27-bit uniforms in [-1, 1) */
        v = 2.0 * ((rng_u32(r) >> 5) * (1.0 / 134217728.0)) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * bp_log(s) / s);
    r->spare = v * f;
    r->has_spare = 1;
    return u * f;
}
