import { tsBackend as ts } from '../ts/index.js'
import type { Backend } from '../types.js'
import { IN, invoke, OUT } from './invoke.js'

/** The fused GELU kernels of assembly/gelu.ts (float32 exact form in 4 lanes). */
export const wasmGelu: Pick<Backend, 'gelu' | 'geluBackward'> = {
  gelu(x, out, tanhForm): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], out.length, tanhForm ? 1 : 0)
    if (!invoke('gelu', x, [x, IN, out, OUT], call)) ts.gelu(x, out, tanhForm)
  },
  geluBackward(x, g, dx, tanhForm): void {
    const call = (f: (...a: number[]) => void, p: Float64Array) => f(p[0], p[1], p[2], dx.length, tanhForm ? 1 : 0)
    if (!invoke('geluBackward', x, [x, IN, g, IN, dx, OUT], call)) ts.geluBackward(x, g, dx, tanhForm)
  },
}
