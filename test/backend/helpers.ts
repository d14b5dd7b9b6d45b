import { expect } from 'vitest'
import type { FloatArray, FloatDType } from '../../src/dtype.js'
import { mulberry32 } from '../rng.js'

/** Seeded inputs, so failures reproduce. */
export const rng = mulberry32

export const dtypes: FloatDType[] = ['float32', 'float64']

export function make(dtype: FloatDType, n: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(n) : new Float64Array(n)
}

export function random(dtype: FloatDType, n: number, r: () => number, lo = -1, hi = 1): FloatArray {
  const a = make(dtype, n)
  for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * r()
  return a
}

export function from(dtype: FloatDType, values: number[]): FloatArray {
  return dtype === 'float32' ? Float32Array.from(values) : Float64Array.from(values)
}

export interface Tolerance {
  /** float64: allowed |d| is rel64 · max(|ref|, floor64). Default 1e-12 and 0 (pure relative). */
  rel64?: number
  floor64?: number
  /** float32: |d| ≤ abs32 + rel32·|ref|. Default 1e-5 and 1e-4. */
  abs32?: number
  rel32?: number
}

/**
 * Compares `got` with the ts reference: float32 |d| ≤ 1e-5 + 1e-4·|ref|; float64
 * |d| ≤ 1e-12·max(|ref|, floor) (floor 0: purely relative, unless a kernel sums and
 * cancellation makes relative meaningless). NaN must match NaN, ±∞ must match exactly.
 */
export function expectClose(got: FloatArray, ref: FloatArray, what: string, tol: Tolerance = {}): void {
  expect(got.length, `${what}: length`).toBe(ref.length)
  const f64 = ref instanceof Float64Array
  let worst = -1
  let worstAt = -1
  for (let i = 0; i < ref.length; i++) {
    const g = got[i]
    const r = ref[i]
    if (Number.isNaN(r) || Number.isNaN(g)) {
      if (!(Number.isNaN(r) && Number.isNaN(g))) throw new Error(`${what}[${i}]: got ${g}, ref ${r}`)
      continue
    }
    if (!Number.isFinite(r) || !Number.isFinite(g)) {
      if (g !== r) throw new Error(`${what}[${i}]: got ${g}, ref ${r}`)
      continue
    }
    const d = Math.abs(g - r)
    const allowed = f64
      ? (tol.rel64 ?? 1e-12) * Math.max(Math.abs(r), tol.floor64 ?? 0)
      : (tol.abs32 ?? 1e-5) + (tol.rel32 ?? 1e-4) * Math.abs(r)
    if (d > allowed && d - allowed > worst) {
      worst = d - allowed
      worstAt = i
    }
  }
  if (worstAt >= 0) {
    throw new Error(`${what}[${worstAt}]: got ${got[worstAt]}, ref ${ref[worstAt]} (|d| = ${Math.abs(got[worstAt] - ref[worstAt])})`)
  }
}

/** Row-major strides of `shape` aligned to `outShape` (0 where it broadcasts). */
export function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0)
  let s = 1
  for (let d = shape.length - 1; d >= 0; d--) {
    const od = outShape.length - shape.length + d
    strides[od] = shape[d] === 1 && outShape[od] !== 1 ? 0 : s
    s *= shape[d]
  }
  return strides
}

export function size(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1)
}

/** An array's bytes, for bit-for-bit comparisons (−0, NaN payloads and subnormals included). */
export function bytes(a: FloatArray): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength)
}
