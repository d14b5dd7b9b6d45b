// a·b + c on v128 lanes of T (f32 or f64). The relaxed build (scripts/build-wasm.mjs,
// build/yann-relaxed.wasm: `--enable relaxed-simd`) emits relaxed_madd, which engines lower
// to a fused multiply-add where the CPU has one (one rounding instead of two: results differ
// from the plain build in the last bit); the plain build multiplies then adds. The branch is
// decided at compile time, so the plain binary holds no relaxed opcode.

// @ts-ignore: decorator
@inline export function madd<T>(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return v128.relaxed_madd<T>(a, b, c)
  return v128.add<T>(c, v128.mul<T>(a, b))
}

/** 1 in the relaxed build (yann-relaxed.wasm), 0 in the plain one: backendInfo() reads it. */
export function relaxedSimd(): bool {
  return ASC_FEATURE_RELAXED_SIMD
}
