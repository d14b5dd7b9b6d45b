/**
 * A 31-byte module whose one function uses a relaxed-SIMD instruction
 * (`(func (param v128) (result v128) local.get 0 i32x4.relaxed_trunc_f32x4_s)`). A module with
 * an opcode the engine lacks fails validation as a whole, so this validates exactly where
 * yann-relaxed.wasm can run: Chrome ≥ 114, Firefox ≥ 145, Node ≥ 21 (20 with
 * --experimental-wasm-relaxed-simd), Deno, Bun, workerd.
 */
export const RELAXED_SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, // \0asm, version 1
  1, 6, 1, 96, 1, 123, 1, 123, // types: (v128) -> v128
  3, 2, 1, 0, // one function of type 0
  10, 9, 1, 7, 0, 32, 0, 253, 129, 2, 11, // code: local.get 0, i32x4.relaxed_trunc_f32x4_s, end
])

/** True where this engine validates relaxed SIMD (decided once): every entry picks its binary by it. */
export function relaxedSimdSupported(): boolean {
  supported ??= WebAssembly.validate(RELAXED_SIMD_PROBE)
  return supported
}
let supported: boolean | undefined
