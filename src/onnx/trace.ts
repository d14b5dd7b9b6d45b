import { setOpObserver, type OpAttributes } from '../autograd/engine.js'
import { noGrad } from '../autograd/grad-mode.js'
import type { AnyModule } from '../nn/module.js'
import { Tensor } from '../tensor.js'

/** One forward pass, op by op, as the autograd tape's record() sees it. */

/** An op as traced: its gradFn name (PyTorch's, e.g. `AddmmBackward0`), tensors and attributes. */
export interface TracedOp {
  readonly name: string
  readonly inputs: readonly Tensor[]
  readonly output: Tensor
  readonly attributes: OpAttributes
  /** The module whose forward ran the op (`"layers.0.attn"`; `""` for the model itself). */
  readonly modulePath: string
}

export interface Trace {
  readonly ops: readonly TracedOp[]
  readonly outputs: readonly Tensor[]
}

/**
 * Run `model.forward(...inputs)` once in eval mode without gradients, recording every op
 * (record() reports ops even when nothing requires grad). Each submodule's forward is
 * wrapped for the duration so every op knows its module path; training flags are restored.
 */
export function traceForward(model: AnyModule, inputs: readonly Tensor[]): Trace {
  const ops: TracedOp[] = []
  const path: string[] = ['']
  const modules = model.namedModules()
  const training = modules.map(([, m]) => m.training)
  const wrapped: AnyModule[] = []
  for (const [name, m] of modules) {
    if (Object.prototype.hasOwnProperty.call(m, 'forward')) continue // already wrapped (shared module)
    const forward = m.forward
    ;(m as { forward: unknown }).forward = function (this: AnyModule, ...args: unknown[]) {
      path.push(name)
      try {
        return forward.apply(this, args as never[])
      } finally {
        path.pop()
      }
    }
    wrapped.push(m)
  }
  model.eval()
  const before = setOpObserver((output, name, opInputs, attributes) => {
    ops.push({ name, inputs: [...opInputs], output, attributes, modulePath: path[path.length - 1] })
  })
  try {
    const result = noGrad(() => model.forward(...(inputs as never[])))
    return { ops, outputs: outputsOf(result) }
  } finally {
    setOpObserver(before)
    for (const m of wrapped) delete (m as { forward?: unknown }).forward
    modules.forEach(([, m], i) => (m.training = training[i]))
  }
}

function outputsOf(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result]
  if (Array.isArray(result) && result.length > 0 && result.every((t) => t instanceof Tensor)) return result
  throw new TypeError('exportOnnx: the model\'s forward must return a Tensor or an array of Tensors')
}
