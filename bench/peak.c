/* peak.c - the WebAssembly SIMD peak of this machine, measured by `make bench`: f32x4 mul and add
 * on 16 independent accumulators (fewer chains would measure latency, not throughput).
 * Returns the FLOPs done (8 per mul+add pair of f32x4) and writes a sum so nothing is optimised away. */
#include <wasm_simd128.h>

float peak_sink;

__attribute__((export_name("peak")))
double peak(int iters, float a, float b)
{
    v128_t va = wasm_f32x4_splat(a), vb = wasm_f32x4_splat(b);
    v128_t acc[16];
    for (int i = 0; i < 16; i++) acc[i] = wasm_f32x4_splat((float)i * 1e-3f);
    for (int it = 0; it < iters; it++) {
#pragma clang loop unroll(full)
        for (int i = 0; i < 16; i++) acc[i] = wasm_f32x4_add(wasm_f32x4_mul(acc[i], va), vb);
    }
    v128_t s = acc[0];
    for (int i = 1; i < 16; i++) s = wasm_f32x4_add(s, acc[i]);
    peak_sink = wasm_f32x4_extract_lane(s, 0);
    return (double)iters * 16 * 8;
}
