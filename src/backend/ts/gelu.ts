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

/** `cdf` (exact form only, may be null): also receives Φ(x) = 0.5·(1 + erf(x/√2)) for the backward. */
export function gelu(x: FloatArray, out: FloatArray, tanhForm: boolean, cdf: FloatArray | null = null): void {
  const f32 = x instanceof Float32Array
  for (let i = 0; i < out.length; i++) {
    const v = x[i]
    if (tanhForm) {
      out[i] = 0.5 * v * (1 + Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v)))
    } else {
      const c = 0.5 * onePlusErf(v, f32)
      out[i] = v * c
      if (cdf) cdf[i] = c
    }
  }
}

/** `cdf`: the forward's Φ(x) (exact form), read instead of computing erf again; null computes it. */
export function geluBackward(x: FloatArray, g: FloatArray, dx: FloatArray, tanhForm: boolean, cdf: FloatArray | null = null): void {
  const f32 = x instanceof Float32Array
  for (let i = 0; i < dx.length; i++) {
    const v = x[i]
    let slope: number
    if (tanhForm) {
      const t = Math.tanh(SQRT_2_PI * (v + 0.044715 * v * v * v))
      slope = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * SQRT_2_PI * (1 + 3 * 0.044715 * v * v)
    } else {
      slope = (cdf ? cdf[i] : 0.5 * onePlusErf(v, f32)) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v)
    }
    dx[i] = g[i] * slope
  }
}
