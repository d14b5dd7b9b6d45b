import { allocateFloat, isFloat, type FloatDType } from '../dtype.js'
import { Tensor, type Storage } from '../tensor.js'

/**
 * The one place memory owned by modules and optimisers is allocated: parameter values and
 * optimiser state (momentum buffers, Adam's moments). Today a JS typed array; the wasm backend
 * will place it in its heap, where `.data` becomes a view re-created on each access. So code
 * never keeps a parameter's `.data` across ops: it reads `p.data` afresh and writes in place
 * through `p.data.set(...)`.
 */
export function parameterStorage(dtype: FloatDType, length: number): Storage {
  return { data: allocateFloat(dtype, length) }
}

/** A zero-filled tensor in parameter memory, shaped and typed like `like` (optimiser state). */
export function stateTensor(like: Tensor): Tensor {
  if (!isFloat(like.dtype)) throw new TypeError(`stateTensor: parameters are floating point, got ${like.dtype}`)
  return new Tensor(parameterStorage(like.dtype, like.numel()), like.shape)
}

/**
 * A tensor that is a module's learnable parameter, like torch.nn.Parameter: a leaf that requires
 * grad (unless `requiresGrad` is false), found by `module.parameters()` once registered with
 * `module.registerParameter(name, p)`.
 *
 * The values of `data` are copied into parameter memory (see parameterStorage): a Parameter never
 * shares elements with the tensor it was made from.
 *
 * @example
 * const w = new nn.Parameter(yann.zeros([3, 5]))   // requiresGrad: true, isLeaf: true
 */
export class Parameter extends Tensor {
  constructor(data: Tensor, requiresGrad = true) {
    if (!(data instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor, got ${data === null ? 'null' : typeof data}; wrap numbers with yann.tensor(...) first`)
    }
    if (!isFloat(data.dtype)) {
      throw new TypeError(`Parameter: parameters must be float32 or float64, got ${data.dtype} of shape [${data.shape.join(', ')}]`)
    }
    const storage = parameterStorage(data.dtype, data.numel())
    storage.data.set(data.data)
    super(storage, data.shape)
    this.requiresGrad = requiresGrad
  }

  /** As PyTorch prints a parameter: `Parameter containing:` above the tensor. */
  override toString(): string {
    return `Parameter containing:\n${super.toString()}`
  }
}
