/* simd.h - WebAssembly SIMD intrinsics: native in the Emscripten build (-msimd128), mapped to
 * x86 by SIMDe in the native build, so the very same kernels run in tests under sanitizers.
 * BP_SCALAR selects the scalar kernels (the reference twins) for the scalar build; the double build
 * (BP_F64) is scalar too. */
#ifndef BP_SIMD_H
#define BP_SIMD_H

#if defined(BP_F64) && !defined(BP_SCALAR)
#  define BP_SCALAR
#endif

#if !defined(BP_SCALAR)
#  if defined(__wasm_simd128__)
#    include <wasm_simd128.h>
#    define BP_KERNEL_KIND "wasm-simd128"
#  else
#    define SIMDE_ENABLE_NATIVE_ALIASES
#    include <simde/wasm/simd128.h>
#    define BP_KERNEL_KIND "simde"
#  endif
#elif defined(BP_F64)
#  define BP_KERNEL_KIND "scalar-f64"
#else
#  define BP_KERNEL_KIND "scalar"
#endif

#endif
