import type { FloatArray } from '../../dtype.js'
import { tsBackend } from '../ts/index.js'
import type { AdagradOptions, Backend, RmspropOptions } from '../types.js'
import { abandon, arg, begin, finish, IN, INOUT, kernelError, ptr, requireExports, stage } from './runtime.js'

type Fn = (...a: number[]) => void

/** The `_f32` or `_f64` export of a kernel, by the parameter's float type. */
function pick(name: string, x: FloatArray): Fn {
  const f = requireExports('wasm backend')[`${name}_${x instanceof Float64Array ? 'f64' : 'f32'}`] as Fn | undefined
  if (!f) throw new Error(`yann wasm backend: build/yann.wasm lacks ${name}_f32/_f64; rebuild it (npm run build:wasm)`)
  return f
}

function call(name: string, f: Fn, args: number[]): void {
  try {
    f(...args)
  } catch (e) {
    abandon()
    throw kernelError(name, e)
  }
  finish()
}

/** The RMSprop and Adagrad steps of the wasm backend; parameters shorter than `small` run the ts kernels. */
export function optimizerSteps(small: number): Pick<Backend, 'rmspropStep' | 'adagradStep'> {
  return {
    rmspropStep(param: FloatArray, grad: FloatArray, squareAvg: FloatArray, gradAvg: FloatArray | null, momentumBuffer: FloatArray | null, o: RmspropOptions): void {
      const n = param.length
      if (n < small) return tsBackend.rmspropStep(param, grad, squareAvg, gradAvg, momentumBuffer, o)
      const f = pick('rmspropStep', param)
      begin()
      arg(param, INOUT)
      arg(grad, IN)
      arg(squareAvg, INOUT)
      arg(gradAvg, INOUT)
      arg(momentumBuffer, INOUT)
      stage()
      call('rmspropStep', f, [ptr[0], ptr[1], ptr[2], ptr[3], ptr[4], n, o.lr, o.alpha, o.eps, o.weightDecay, o.momentum])
    },

    adagradStep(param: FloatArray, grad: FloatArray, sum: FloatArray, o: AdagradOptions): void {
      const n = param.length
      if (n < small) return tsBackend.adagradStep(param, grad, sum, o)
      const f = pick('adagradStep', param)
      begin()
      arg(param, INOUT)
      arg(grad, IN)
      arg(sum, INOUT)
      stage()
      call('adagradStep', f, [ptr[0], ptr[1], ptr[2], n, o.lr, o.eps, o.weightDecay])
    },
  }
}
