import type { FloatArray } from '../../dtype.js'
import { erf } from './erf.js'

/**
 * GELU and its derivative in one pass (assembly/gelu.ts is the same, with 4 float32 lanes).
 * Float32 takes erf from Numerical Recipes' erfc (one exp and a polynomial, relative error
 * 1.2e-7): the series of erf.ts is exact to float64 but ten times slower.
 *   exact: x·Φ(x), slope Φ(x) + x·φ(x);  tanh: 0.5·x·(1 + t), t = tanh(√(2/π)·(x + 0.044715·x³)),
 *   slope 0.5·(1 + t) + 0.5·x·(1 − t²)·√(2/π)·(1 + 3·0.044715·x²).
 */

const SQRT_2_PI = Math.sqrt(2 / Math.PI)
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI)

export function erf32(x: number): number {
  const z = Math.abs(x)
  const t = 1 / (1 + 0.5 * z)
  const erfc = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
  return x >= 0 ? 1 - erfc : erfc - 1
}

/**
 * 1 + erf(x/√2), rounded as the float32 kernel rounds (erf to float32 first): far in the left
 * tail it is exactly 0 in both, so ts and wasm agree on signs and zeros.
 */
function onePlusErf(v: number, f32: boolean): number {
  return f32 ? Math.fround(1 + Math.fround(erf32(Math.fround(v * Math.SQRT1_2)))) : 1 + erf(v * Math.SQRT1_2)
}

/** `slope` (exact form only, may be null): also receives gelu'(x) = Φ(x) + x·φ(x) for the backward. */
export function gelu(x: FloatArray, out: FloatArray, tanhForm: boolean, slope: FloatArray | null = null): void {
  const f32 = x instanceof Float32Array
  for (let i = 0; i < out.length; i++) {
    const v = x[i]
    if (tanhForm) {
      out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v)))
    } else {
      const c = 0.5 * onePlusErf(v, f32)
      out[i] = v * c
      if (slope) slope[i] = c + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)
    }
  }
}

/**
 * `slope`: the forward's gelu'(x) (exact form): dx = g·slope, and x is not read (it may be null).
 * Without it the slope is computed from x.
 */
export function geluBackward(x: FloatArray | null, g: FloatArray, dx: FloatArray, tanhForm: boolean, slope: FloatArray | null = null): void {
  if (slope) {
    for (let i = 0; i < dx.length; i++) dx[i] = g[i] * slope[i]
    return
  }
  const v0 = x!
  const f32 = v0 instanceof Float32Array
  for (let i = 0; i < dx.length; i++) {
    const v = v0[i]
    let s: number
    if (tanhForm) {
      const t = Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v))
      s = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_PI * (1 + 3 * 0.044715 * v * v)
    } else {
      s = 0.5 * onePlusErf(v, f32) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)
    }
    dx[i] = g[i] * s
  }
}
