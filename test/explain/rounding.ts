import { expect } from 'vitest'

/**
 * The walk-through with each "largest |difference| d" checked to be float32 rounding (< 1e-6)
 * and written as 0. The wasm kernels sum a product in another order than the ts ones, so the
 * Jacobian product and autograd's gradient may differ in their last bit there; every number
 * the walk-through prints is the same, and the snapshot records the ts backend's exact 0.
 */
export function roundingAsZero(text: string): string {
  return text.replace(/(largest \S+) (\d[0-9.e+-]*\d|\d)/g, (_m, label: string, d: string) => {
    expect(Number(d), `${label} ${d}`).toBeLessThan(1e-6)
    return `${label} 0`
  })
}
