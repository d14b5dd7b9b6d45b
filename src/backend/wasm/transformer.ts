import { tsBackend as ts } from '../ts/index.js'
import type { Backend } from '../types.js'
import { IN, invoke, OUT } from './invoke.js'

/**
 * The transformer's fused row kernels: GELU (assembly/gelu.ts) and layer norm (assembly/layer-norm.ts).
 * Lengths are read before invoke(): staging may grow the memory, and a view of it then has length 0.
 */
export const wasmTransformer: Pick<Backend, 'gelu' | 'geluBackward' | 'layerNorm' | 'layerNormBackward'> = {
  layerNorm(x, w, b, out, mean, rstd, n, eps): void {
    const rows = mean.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], p[4], p[5], rows, n, eps)
    if (!invoke('layerNorm', x, [x, IN, w, IN, b, IN, out, OUT, mean, OUT, rstd, OUT], call)) ts.layerNorm(x, w, b, out, mean, rstd, n, eps)
  },
  layerNormBackward(x, w, mean, rstd, g, dx, dw, db, n): void {
    const rows = mean.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], rows, n)
    const arrays = [x, IN, w, IN, mean, IN, rstd, IN, g, IN, dx, OUT, dw, OUT, db, OUT]
    if (!invoke('layerNormBackward', x, arrays, call)) ts.layerNormBackward(x, w, mean, rstd, g, dx, dw, db, n)
  },
  gelu(x, out, tanhForm, slope = null): void {
    const n = out.length
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], n, tanhForm ? 1 : 0)
    if (!invoke('gelu', x, [x, IN, out, OUT, slope, OUT], call)) ts.gelu(x, out, tanhForm, slope)
  },
  geluBackward(x, g, dx, tanhForm, slope = null): void {
    const n = dx.length
    // With the slope, x is not read: it is not staged.
    const xs = slope ? null : x
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], p[3], n, tanhForm ? 1 : 0)
    if (!invoke('geluBackward', g, [xs, IN, g, IN, slope, IN, dx, OUT], call)) ts.geluBackward(x, g, dx, tanhForm, slope)
  },
}
