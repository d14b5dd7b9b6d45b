import { noGrad } from '../autograd/grad-mode.js'
import { backend } from '../backend/index.js'
import { gradWatch, recording } from '../compile/hooks.js'
import { cat } from '../ops/join.js'
import { formatShape } from '../shape.js'
import { Tensor } from '../tensor.js'
import { checkOptionKeys } from './options.js'

/** `nn.utils`: gradient clipping and parameter ⇄ vector conversion, as torch.nn.utils. */

function tensorList(op: string, params: Iterable<Tensor> | Tensor): Tensor[] {
  if (params instanceof Tensor) return [params]
  if (params === null || typeof params !== 'object' || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`${op}: params must be a tensor or a list of tensors, e.g. model.parameters()`)
  }
  const list = [...params]
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: parameter ${i} is ${p === null ? 'null' : typeof p}, not a Tensor`)
  })
  return list
}

function gradsOf(op: string, params: Iterable<Tensor> | Tensor): Tensor[] {
  return tensorList(op, params).flatMap((p) => (p.grad ? [p.grad] : []))
}

export interface ClipGradNormOptions {
  /** The p of the p-norm: 2 (default), 1, any p > 0, or Infinity for the largest |g|. */
  normType?: number
  /** Throw when the total norm is NaN or infinite instead of scaling by it (default false). */
  errorIfNonfinite?: boolean
}

/**
 * Scale the gradients of `params` in place so that their total norm (all gradients seen as one
 * vector) is at most `maxNorm`, like torch.nn.utils.clip_grad_norm_: g ← g · min(1, maxNorm /
 * (norm + 1e-6)). Parameters without a gradient are skipped. Returns the total norm before
 * clipping (a number; log it to watch for exploding gradients).
 *
 * @example
 * loss.backward()
 * const norm = nn.utils.clipGradNorm(model.parameters(), 1.0)
 * opt.step()
 */
export function clipGradNorm(params: Iterable<Tensor> | Tensor, maxNorm: number, options: ClipGradNormOptions = {}): number {
  const op = 'clipGradNorm'
  checkOptionKeys(op, options, ['normType', 'errorIfNonfinite'])
  const normType = options.normType ?? 2
  if (typeof maxNorm !== 'number' || Number.isNaN(maxNorm)) throw new TypeError(`${op}: maxNorm must be a number, got ${String(maxNorm)}`)
  if (typeof normType !== 'number' || !(normType > 0)) throw new RangeError(`${op}: normType must be a number > 0 or Infinity, got ${String(normType)}`)
  unseen(op)
  const grads = gradsOf(op, params)
  if (grads.length === 0) return 0
  let total = 0
  for (const g of grads) {
    const d = g.data as Float32Array | Float64Array
    if (normType === Infinity) {
      for (let i = 0; i < d.length; i++) total = Math.max(total, Math.abs(d[i]))
    } else if (normType === 2) {
      total += sumSquares(d)
    } else {
      for (let i = 0; i < d.length; i++) total += Math.abs(d[i]) ** normType
    }
    if (Number.isNaN(total)) break
  }
  if (normType !== Infinity) total = normType === 2 ? Math.sqrt(total) : total ** (1 / normType)
  if (options.errorIfNonfinite && !Number.isFinite(total)) {
    throw new Error(`${op}: the total norm of order ${normType} of the gradients is ${total}, so they cannot be clipped; pass errorIfNonfinite: false to scale anyway`)
  }
  const coef = Math.min(1, maxNorm / (total + 1e-6))
  // PyTorch multiplies by the clamped coefficient always (a no-op at 1), so NaN norms spread to the gradients.
  if (coef !== 1 || Number.isNaN(coef)) {
    noGrad(() => {
      for (const g of grads) {
        const d = g.data as Float32Array | Float64Array
        const c = d instanceof Float32Array ? new Float32Array([coef]) : new Float64Array([coef])
        backend().binary('mul', d, c, d, [d.length], [1], [0])
      }
    })
  }
  return total
}

/**
 * Inside a compiled step's recording: the norm is a JS number the step may use, which a replay
 * could not return anew, so the step runs eagerly.
 */
function unseen(op: string): void {
  if (recording !== null) recording.fail(`${op} returns the gradients' norm as a JavaScript number, which a replay could not compute anew: the step runs eagerly (clipGradValue replays)`)
}

// The 2-norm and the scaling run as kernels: a Parameter's gradient lives in wasm memory,
// so they read it in place (a GPT step's 0.8 M gradients: ~4 ms in JS loops; sumSquares 0.17 ms).
function sumSquares(d: Float32Array | Float64Array): number {
  const out = d instanceof Float32Array ? new Float32Array(1) : new Float64Array(1)
  backend().sumSquares(d, out)
  return out[0]
}

/** Clamp every gradient of `params` into [−clipValue, clipValue] in place, like torch.nn.utils.clip_grad_value_. */
export function clipGradValue(params: Iterable<Tensor> | Tensor, clipValue: number): void {
  const op = 'clipGradValue'
  if (typeof clipValue !== 'number' || Number.isNaN(clipValue)) throw new TypeError(`${op}: clipValue must be a number, got ${String(clipValue)}`)
  const v = Math.abs(clipValue)
  const list = tensorList(op, params)
  const clip = (): void => {
    for (const p of list) {
      if (gradWatch !== null) gradWatch(p, p.grad) // (the plan's guard: .grad null or not)
      const d = p.grad?.data as Float32Array | Float64Array | undefined
      if (d !== undefined) for (let i = 0; i < d.length; i++) d[i] = Math.min(Math.max(d[i], -v), v)
    }
  }
  // In a compiled step: runs live at every replay, like the optimiser's update.
  if (recording !== null) recording.opaque(op, clip)
  else clip()
}

/**
 * The parameters as one flat vector, in order, as torch.nn.utils.parameters_to_vector: a
 * concatenation autograd records, so a loss on the vector reaches each parameter's gradient.
 * All parameters must share one dtype.
 */
export function parametersToVector(params: Iterable<Tensor> | Tensor): Tensor {
  const op = 'parametersToVector'
  const list = tensorList(op, params)
  if (list.length === 0) return new Tensor(new Float32Array(0), [0])
  list.forEach((p, i) => {
    if (p.dtype !== list[0].dtype) throw new TypeError(`${op}: parameter ${i} is ${p.dtype} ${formatShape(p.shape)}, parameter 0 is ${list[0].dtype}; all must share one dtype`)
  })
  return cat(list.map((p) => p.reshape([-1])))
}

/** Copy consecutive slices of the 1-D `vec` into the parameters, in order (like torch.nn.utils.vector_to_parameters). */
export function vectorToParameters(vec: Tensor, params: Iterable<Tensor> | Tensor): void {
  const op = 'vectorToParameters'
  if (!(vec instanceof Tensor) || vec.ndim !== 1) throw new TypeError(`${op}: vec must be a 1-D tensor, got ${vec instanceof Tensor ? formatShape(vec.shape) : typeof vec}`)
  const list = tensorList(op, params)
  const n = list.reduce((a, p) => a + p.numel(), 0)
  if (vec.numel() !== n) throw new Error(`${op}: vec has ${vec.numel()} elements, the parameters have ${n} in total`)
  let offset = 0
  const v = vec.data as Float32Array | Float64Array
  for (const p of list) {
    ;(p.data as Float32Array | Float64Array).set(v.subarray(offset, offset + p.numel()))
    offset += p.numel()
  }
}
