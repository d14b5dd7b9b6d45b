import type { FloatArray } from '../../dtype.js'
import { tsBackend } from '../ts/index.js'
import type { Backend, ConvGeometry } from '../types.js'
import { abandon, arg, begin, finish, IN, kernelError, OUT, ptr, requireExports, stage } from './runtime.js'

/**
 * The wasm bindings of the convolution and pooling kernels (assembly/conv.ts, assembly/pool.ts):
 * stage the arrays, call the f32 or f64 export, copy the outputs back. Below `small`
 * elements the ts kernel runs instead (0 forces wasm at every size).
 */

type Fn = (...a: number[]) => void
type VisionKernels = Pick<Backend, 'im2col' | 'col2im' | 'maxPool2d' | 'maxPool2dBackward' | 'avgPool2d' | 'avgPool2dBackward'>
const NAMES = ['im2col', 'col2im', 'maxPool2d', 'maxPool2dBackward', 'avgPool2d', 'avgPool2dBackward'] as const

let bound: Record<string, [Fn, Fn]> | null = null
function pick(name: (typeof NAMES)[number], x: FloatArray): Fn {
  if (!bound) {
    const e = requireExports('wasm backend')
    const all: Record<string, [Fn, Fn]> = {}
    for (const n of NAMES) {
      const f32 = e[`${n}_f32`] as Fn | undefined
      const f64 = e[`${n}_f64`] as Fn | undefined
      if (!f32 || !f64) throw new Error(`yann wasm backend: build/yann.wasm lacks ${n}_f32/_f64; rebuild it (npm run build:wasm)`)
      all[n] = [f32, f64]
    }
    bound = all
  }
  return bound[name][x instanceof Float64Array ? 1 : 0]
}

/** Runs a staged call; a trap becomes an Error naming the kernel. */
function call(name: string, f: Fn, args: number[]): void {
  try {
    f(...args)
  } catch (e) {
    abandon()
    throw kernelError(name, e)
  }
  finish()
}

const geo = (g: ConvGeometry): number[] => [g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]

export function visionKernels(small: number): VisionKernels {
  return {
    im2col(x, cols, planes, g) {
      if (cols.length < small) return tsBackend.im2col(x, cols, planes, g)
      const f = pick('im2col', x)
      begin()
      arg(x, IN)
      arg(cols, OUT)
      stage()
      call('im2col', f, [ptr[0], ptr[1], planes, ...geo(g)])
    },

    col2im(cols, dx, planes, g) {
      if (cols.length < small) return tsBackend.col2im(cols, dx, planes, g)
      const f = pick('col2im', cols)
      begin()
      arg(cols, IN)
      arg(dx, OUT)
      stage()
      call('col2im', f, [ptr[0], ptr[1], planes, ...geo(g)])
    },

    maxPool2d(x, out, indices, planes, g) {
      if (x.length < small) return tsBackend.maxPool2d(x, out, indices, planes, g)
      const f = pick('maxPool2d', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      arg(indices, OUT)
      stage()
      call('maxPool2d', f, [ptr[0], ptr[1], ptr[2], planes, ...geo(g)])
    },

    maxPool2dBackward(dy, indices, dx, planes, hw, ohw) {
      if (dx.length < small) return tsBackend.maxPool2dBackward(dy, indices, dx, planes, hw, ohw)
      const f = pick('maxPool2dBackward', dy)
      begin()
      arg(dy, IN)
      arg(indices, IN)
      arg(dx, OUT)
      stage()
      call('maxPool2dBackward', f, [ptr[0], ptr[1], ptr[2], planes, hw, ohw])
    },

    avgPool2d(x, out, planes, h, w, oh, ow, win) {
      if (x.length < small) return tsBackend.avgPool2d(x, out, planes, h, w, oh, ow, win)
      const f = pick('avgPool2d', x)
      begin()
      arg(x, IN)
      arg(out, OUT)
      arg(win, IN)
      stage()
      call('avgPool2d', f, [ptr[0], ptr[1], planes, h, w, oh, ow, ptr[2]])
    },

    avgPool2dBackward(dy, dx, planes, h, w, oh, ow, win) {
      if (dx.length < small) return tsBackend.avgPool2dBackward(dy, dx, planes, h, w, oh, ow, win)
      const f = pick('avgPool2dBackward', dy)
      begin()
      arg(dy, IN)
      arg(dx, OUT)
      arg(win, IN)
      stage()
      call('avgPool2dBackward', f, [ptr[0], ptr[1], planes, h, w, oh, ow, ptr[2]])
    },
  }
}
