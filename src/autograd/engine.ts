import type { DType } from '../dtype.js'
import { formatShape, sameShape } from '../shape.js'
import type { Tensor } from '../tensor.js'
import { recording } from '../compile/hooks.js'
import { isGradEnabled, setGradEnabled } from './grad-mode.js'
import { Node, type VectorJacobianProduct } from './node.js'
import type { Saved } from './version.js'

/** What an op needs beyond its inputs to be redone elsewhere (ONNX export): dims, sizes, flags. */
export type OpAttributes = Readonly<Record<string, unknown>>

/** Sees every op as it runs, recorded for autograd or not (grad mode, requiresGrad): a tracer. */
export type OpObserver = (out: Tensor, name: string, inputs: readonly Tensor[], attributes: OpAttributes) => void

let observer: OpObserver | null = null

/** @internal Install (or remove, with null) the op observer; returns the previous one. */
export function setOpObserver(next: OpObserver | null): OpObserver | null {
  const before = observer
  observer = next
  return before
}

/** An op's attributes when it has none (one object, not one per call). */
export const NO_ATTRIBUTES: OpAttributes = {}

/**
 * Run an op written with other ops (`body`) and show it to tracers as the one op `name` with
 * `inputs` and `attributes` in place of the ops inside (a conv is one ONNX Conv, not im2col and a
 * GEMM). Autograd still records the ops inside; without a tracer this is just `body()`.
 */
export function composite<T extends Tensor>(name: string, inputs: readonly Tensor[], attributes: OpAttributes, body: () => T): T {
  const outer = observer
  if (outer === null) return body()
  observer = null
  let out: T
  try {
    out = body()
  } finally {
    observer = outer
  }
  outer(out, name, inputs, attributes)
  return out
}

/**
 * Show tracers `out` as made by the op `name` from `inputs`, for an op autograd never records
 * (a bool or int32 result: comparisons, argmax, max(dim)'s indices), so an export can compute
 * it in the graph. Names: the op's own (`gt`, `argmax`), or the gradFn of the op whose second
 * output it is, marked `{ output: 'indices' }`. Without a tracer this only returns `out`.
 */
export function traced(out: Tensor, name: string, inputs: readonly Tensor[], attributes: OpAttributes = NO_ATTRIBUTES): Tensor {
  if (observer !== null) observer(out, name, inputs, attributes)
  return out
}

/**
 * Attach the op that made `out` from `inputs`, if any input requires grad and grad mode is on.
 * `vjp` maps the gradient of `out` to the gradients of `inputs`, in order. `attributes` are the
 * op's non-tensor arguments (e.g. `{ dim }`), for tracers; the backward closure keeps its own.
 * `saved`: the tensor(s) the closure reads that the user could write in place before backward
 * (inputs, `out`), as PyTorch saves them: only those needed for the inputs that require grad.
 * backward() refuses to run the closure once one of them was modified (autograd/version.ts).
 */
export function record(out: Tensor, name: string, inputs: readonly Tensor[], vjp: VectorJacobianProduct, attributes?: OpAttributes, saved?: Saved): Tensor {
  if (observer !== null) observer(out, name, inputs, attributes ?? NO_ATTRIBUTES)
  if (!isGradEnabled()) return out
  for (let i = 0; i < inputs.length; i++) {
    if (inputs[i].requiresGrad) {
      out.setGradFn(new Node(name, inputs, vjp, saved))
      break
    }
  }
  return out
}

export interface BackwardOptions {
  /** Keep the graph so backward() can run through it again. */
  retainGraph?: boolean
}

/**
 * Reverse-mode autodiff from `root`: a topological sort, then one sweep from the root back,
 * summing each tensor's gradient before passing it on. `visit` sees each tensor once, with
 * its whole gradient (every path into it has been summed by then).
 */
function sweep(root: Tensor, gradient: Tensor, retainGraph: boolean, visit: (t: Tensor, grad: Tensor) => void): void {
  const order = topologicalOrder(root)
  // Each tensor's gradient so far waits in its `_pendingGrad` (no Map per step).
  root._pendingGrad = gradient
  // noGrad() inlined: this runs once per training step, a closure each time adds up.
  const before = setGradEnabled(false)
  try {
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]
      const g = t._pendingGrad
      if (!g) continue
      t._pendingGrad = null
      visit(t, g)
      const node = t.gradFn
      if (!node) continue
      const inputGrads = node.apply(g)
      const inputs = node.inputs
      for (let k = 0; k < inputs.length; k++) {
        const input = inputs[k]
        const gi = inputGrads[k]
        if (!gi || !input.requiresGrad) continue
        checkGradShape(node, input, gi)
        const sum = input._pendingGrad
        input._pendingGrad = sum ? sum.add(gi) : gi
      }
      if (!retainGraph) node.release()
    }
  } catch (e) {
    // After an error midway, no gradient may linger into the next backward() (a sweep that
    // ends took each one as it reached its tensor: no second walk over the graph for that).
    for (let i = 0; i < order.length; i++) order[i]._pendingGrad = null
    throw e
  } finally {
    setGradEnabled(before)
  }
}

/** backward(): gradients of `root` accumulate into the `.grad` of every leaf that requires grad. */
export function backward(root: Tensor, gradient: Tensor, { retainGraph = false }: BackwardOptions = {}): void {
  const outer = lending
  lending = ++sweeps
  try {
    sweep(root, gradient, retainGraph, accumulateLeaf)
  } finally {
    lending = outer
  }
}

function accumulateLeaf(t: Tensor, g: Tensor): void {
  if (!t.isLeaf) return
  if (recording !== null) recording.gradRead(t, t.grad) // compile: the plan depends on .grad being null or not
  t.accumulateGrad(g)
}

/** backward() sweeps so far; `lending` is the one running now (0: none, or grad(), which writes no `.grad`). */
let sweeps = 0
let lending = 0

/**
 * Where an op's backward may write the gradient it computes for `input`, in place of a new
 * tensor: the leaf's own gradient buffer (a Parameter's, in wasm memory, so the kernel writes
 * it in place and nothing is staged out or copied), which accumulateGrad then adopts as `.grad`
 * without a copy. Only where that gradient is bound to become `.grad` unchanged: in backward()
 * (never grad(), which leaves `.grad` alone), for a leaf with no `.grad` yet and no gradient so
 * far in this sweep, and once per sweep (a second gradient for the same leaf gets null and is
 * summed with the first as usual, into a new tensor). The op must overwrite every element.
 * null: allocate the gradient as usual.
 */
export function gradDestination(input: Tensor, dtype: DType): Tensor | null {
  if (lending === 0 || input.grad !== null || input._pendingGrad !== null || input.dtype !== dtype) return null
  return input.isLeaf ? input.lendGradBuffer(lending) : null
}

/**
 * Like torch.autograd.grad: the gradients of `output` (weighted by `gradient`) with respect to
 * `inputs` (leaves or intermediate tensors), returned rather than accumulated; no `.grad` changes.
 * null where an input does not lead to the output.
 */
export function grad(output: Tensor, inputs: readonly Tensor[], gradient: Tensor, { retainGraph = false }: BackwardOptions = {}): (Tensor | null)[] {
  const wanted = new Set(inputs)
  const found = new Map<Tensor, Tensor>()
  if (output.requiresGrad) {
    // No gradient buffer is lent to ops here, even inside a backward() (its `.grad` stay as they are).
    const outer = lending
    lending = 0
    try {
      sweep(output, gradient, retainGraph, (t, g) => {
        if (wanted.has(t)) found.set(t, g)
      })
    } finally {
      lending = outer
    }
  } else if (wanted.has(output)) {
    found.set(output, gradient)
  }
  return inputs.map((t) => found.get(t) ?? null)
}

/**
 * Numbers the graph walks: a tensor whose `_visit` equals the current walk's was put in the order
 * in it, and one at minus the walk's number has its inputs on the stack, not yet in the order.
 */
let walks = 0

/** topologicalOrder's stack, empty between walks (a walk calls no other code): no array per backward(). */
const walkStack: Tensor[] = []

/** Tensors reachable from `root` through gradFn, each after every tensor it was made from. */
function topologicalOrder(root: Tensor): Tensor[] {
  const walk = ++walks
  const order: Tensor[] = []
  // Iterative depth-first search: deep graphs must not overflow the call stack. A tensor is
  // popped twice: first it is pushed back under its inputs, then (they all ordered) it is ordered.
  // A second copy pushed by another consumer lies below, and is skipped once ordered.
  const stack = walkStack
  stack.push(root)
  while (stack.length > 0) {
    const t = stack.pop()!
    if (t._visit === walk) continue
    if (t._visit === -walk) {
      t._visit = walk
      order.push(t)
      continue
    }
    t._visit = -walk
    stack.push(t)
    const node = t.gradFn
    if (!node) continue
    const inputs = node.inputs
    for (let k = 0; k < inputs.length; k++) {
      const input = inputs[k]
      if (input.requiresGrad && input._visit !== walk && input._visit !== -walk) stack.push(input)
    }
  }
  return order
}

function checkGradShape(node: Node, input: Tensor, grad: Tensor): void {
  const a = input.shape
  const b = grad.shape
  if (!sameShape(a, b)) {
    throw new Error(`autograd internal error: ${node.name} returned a gradient of shape ${formatShape(b)} for an input of shape ${formatShape(a)}`)
  }
}
