import type { FloatArray } from '../../dtype.js'
import type { AttentionShape, Backend } from '../types.js'
import { abandon, arg, begin, finish, IN, kernelError, OUT, ptr, requireExports, stage } from './runtime.js'

/**
 * The fused attention kernels of assembly/attention.ts. Always wasm, at every size: one
 * call covers every head of a batch, so the fixed cost of crossing (~1 µs) never dominates.
 */

type Fn = (...a: number[]) => void
let bound: { forward: [Fn, Fn]; backward: [Fn, Fn] } | null = null

function kernel(which: 'forward' | 'backward', x: FloatArray): Fn {
  if (!bound) {
    const e = requireExports('wasm attention')
    const get = (name: string): Fn => {
      const f = e[name] as Fn | undefined
      if (!f) throw new Error(`yann wasm backend: build/yann.wasm lacks ${name}; rebuild it (npm run build:wasm)`)
      return f
    }
    bound = {
      forward: [get('attention_f32'), get('attention_f64')],
      backward: [get('attentionBackward_f32'), get('attentionBackward_f64')],
    }
  }
  return bound[which][x instanceof Float64Array ? 1 : 0]
}

function sizes(s: AttentionShape): number[] {
  return [s.batch, s.L, s.S, s.E, s.Ev, s.scale, s.causal ? 1 : 0, s.maskBatchStride]
}

export const wasmAttention: Pick<Backend, 'attention' | 'attentionBackward'> = {
  attention(q, k, v, mask, out, lse, s): void {
    const f = kernel('forward', q)
    begin()
    for (const a of [q, k, v, mask]) arg(a, IN)
    arg(out, OUT)
    arg(lse, OUT)
    stage()
    try {
      f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], ...sizes(s))
    } catch (e) {
      abandon()
      throw kernelError('attention', e)
    }
    finish(true) // the kernel allocates its scratch row: the memory may have grown
  },

  attentionBackward(q, k, v, mask, out, lse, dOut, dq, dk, dv, s): void {
    const f = kernel('backward', q)
    begin()
    for (const a of [q, k, v, mask, out, lse, dOut]) arg(a, IN)
    for (const a of [dq, dk, dv]) arg(a, OUT)
    stage()
    try {
      f(ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], ptr[5], ptr[6], ptr[7], ptr[8], ptr[9], ...sizes(s))
    } catch (e) {
      abandon()
      throw kernelError('attentionBackward', e)
    }
    finish()
  },
}
