import { requireTensor } from '../argument-checks.js'
import { boolByte, isFloat } from '../dtype.js'
import { resultType } from '../promote.js'
import { isGradEnabled } from '../autograd/grad-mode.js'
import { bumpVersion } from '../autograd/version.js'
import { copyArray, fillArray, recording } from '../compile/hooks.js'
import { checkOptionKeys } from '../nn/options.js'
import { Generator, random, randomNormal } from '../random.js'
import { broadcastShapes, broadcastStrides, formatShape, sameShape } from '../shape.js'
import { Tensor, type Operand } from '../tensor.js'
import { scaled, type AlphaOptions } from './alpha.js'
import { roundingModeOf, type DivOptions } from './rounding.js'
import { stridedTake, sliceCopyOf } from './strided.js'
import { checkOperand } from './operands.js'
import { clampAs } from './unary.js'

/**
 * In-place ops: they overwrite a tensor's elements and are not recorded (no autograd across
 * them). As in PyTorch, a tensor that requires grad may only be written under noGrad() (how
 * optimisers and init write parameters), and each write bumps the tensor's version, so a
 * backward that saved it refuses to run (autograd/version.ts). yann's slices are copies, so
 * writing into one is refused: it would never reach the tensor it came from.
 */
function writable(op: string, t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor`)
  if (t.requiresGrad && isGradEnabled()) {
    throw new Error(
      `${op}: a tensor that requires grad (shape ${formatShape(t.shape)}${t.isLeaf ? ', a leaf' : ''}) cannot be written in place while gradients are recorded; wrap the write in noGrad(() => ...), or use the out-of-place op`,
    )
  }
  const madeBy = sliceCopyOf(t)
  if (madeBy) {
    throw new Error(
      `${op}: this tensor of shape ${formatShape(t.shape)} is a copy made by ${madeBy} (where PyTorch gives a view, yann copies), so writing into it would not change the tensor it came from; ` +
        `compute the new tensor out of place (e.g. with where, maskedFill or cat), or .clone() it first to write into the copy on purpose`,
    )
  }
  return t
}

/** Writes `values` (broadcast to t's shape, cast to its dtype) into t's elements. */
function assign(op: string, t: Tensor, values: Tensor): Tensor {
  fitsInto(op, t, values)
  const src = values.dtype === t.dtype ? values : values.to(t.dtype)
  const full = sameShape(src.shape, t.shape) ? src : stridedTake(src, t.shape, broadcastStrides(src.shape, t.shape), 0)
  wroteInPlace(t)
  copyArray(t.data, full.data) // t.data fetched last: a parameter's view of wasm memory is fresh here
  return t
}

/** Counts an in-place write about to happen to t's elements (its version; a compiled step's replay counts it again). */
export function wroteInPlace(t: Tensor): void {
  if (recording !== null) recording.inPlace(t) // (before the write: the recorder asks whether t was written yet)
  bumpVersion(t)
}

/** A tensor operand must broadcast to t's shape: checked before the arithmetic, so the error names the in-place op. */
function fitsInto(op: string, t: Tensor, value: Operand): void {
  if (!(value instanceof Tensor)) return
  const shape = broadcastShapes(op, value.shape, t.shape)
  if (!sameShape(shape, t.shape)) {
    throw new Error(`${op}: a value of shape ${formatShape(value.shape)} cannot be written into a tensor of shape ${formatShape(t.shape)}; it must broadcast to it`)
  }
}

/** The other operand of an in-place arithmetic op, checked against t and detached. */
function operand(op: string, t: Tensor, other: Operand): Operand {
  checkOperand(op, other)
  fitsInto(op, t, other)
  return detached(other)
}

/** Fills the (float) elements with draws of `next`. */
function draw(t: Tensor, next: () => number): Tensor {
  if (recording !== null) recording.fail('an in-place op (normal_, uniform_) wrote random numbers in JavaScript')
  const d = t.data
  for (let i = 0; i < d.length; i++) d[i] = next()
  bumpVersion(t)
  return t
}

function requireFloat(op: string, t: Tensor): Tensor {
  if (t.dtype !== 'float32' && t.dtype !== 'float64') throw new TypeError(`${op}: needs a float tensor, got ${t.dtype} of shape ${formatShape(t.shape)}`)
  return t
}

const detached = (x: Operand): Operand => (x instanceof Tensor ? x.detach() : x)

/**
 * An int32 or bool tensor keeps its dtype, so arithmetic whose PyTorch result is float
 * (a float operand, true division) is refused as PyTorch does, instead of truncating it.
 */
function integral(op: string, t: Tensor, trueDivision: boolean, ...others: (Operand | null | undefined)[]): Tensor {
  if (isFloat(t.dtype)) return t
  const float = others.find((o) => o != null && isFloat(resultType(t, o)))
  if (trueDivision || float !== undefined) {
    const what = trueDivision ? 'true division' : float instanceof Tensor ? `a ${float.dtype} operand ${formatShape(float.shape)}` : `the number ${float}`
    throw new TypeError(`${op}: the result of ${what} is float, which cannot be written into a ${t.dtype} tensor of shape ${formatShape(t.shape)} (as in PyTorch); convert it first with .float(), or use the out-of-place op`)
  }
  return t
}

/** fill_'s value: a number, a boolean, or a 0-d tensor (as PyTorch accepts). */
function fillValue(t: Tensor, value: unknown): number {
  if (value instanceof Tensor && value.shape.length === 0) return value.item()
  if (typeof value === 'number' || typeof value === 'boolean') return Number(value)
  const got = value instanceof Tensor ? `a tensor of shape ${formatShape(value.shape)}` : `${typeof value} ${JSON.stringify(value)}`
  throw new TypeError(`fill_: the value must be a number or a 0-d tensor, got ${got} (tensor of shape ${formatShape(t.shape)}); use copy_ to write a tensor of values`)
}

export const zero_ = (t: Tensor): Tensor => writable('zero_', t) && fill(t, 0)
export function fill_(t: Tensor, value: number | Tensor): Tensor {
  const v = fillValue(t, value)
  return writable('fill_', t) && fill(t, v)
}

/** Every element set to `v` (fillArray: a compiled step fills again at each call). */
function fill(t: Tensor, v: number): Tensor {
  wroteInPlace(t)
  fillArray(t.data, t.dtype === 'bool' ? boolByte(v) : v)
  return t
}

export function copy_(t: Tensor, src: Tensor): Tensor {
  requireTensor('copy_', 'src', src)
  return assign('copy_', writable('copy_', t), src.detach())
}
export const add_ = (t: Tensor, other: Operand, options?: AlphaOptions): Tensor =>
  assign('add_', integral('add_', writable('add_', t), false, other, options?.alpha), t.detach().add(scaled('add_', t, operand('add_', t, other), options)))
export const sub_ = (t: Tensor, other: Operand, options?: AlphaOptions): Tensor =>
  assign('sub_', integral('sub_', writable('sub_', t), false, other, options?.alpha), t.detach().sub(scaled('sub_', t, operand('sub_', t, other), options)))
export const mul_ = (t: Tensor, other: Operand): Tensor => assign('mul_', integral('mul_', writable('mul_', t), false, other), t.detach().mul(operand('mul_', t, other)))
export const div_ = (t: Tensor, other: Operand, options?: DivOptions): Tensor =>
  assign('div_', integral('div_', writable('div_', t), !roundingModeOf(options, 'div_'), other), t.detach().div(operand('div_', t, other), options))
export const clamp_ = (t: Tensor, min?: number | null, max?: number | null): Tensor =>
  assign('clamp_', integral('clamp_', writable('clamp_', t), false, min, max), clampAs('clamp_', t.detach(), min, max))

export interface RandomOptions {
  generator?: Generator
}

function sampler(op: string, options: RandomOptions | undefined, fallback: () => number, pick: (g: Generator) => number): () => number {
  checkOptionKeys(op, options, ['generator'])
  const g = options?.generator
  if (g !== undefined && !(g instanceof Generator)) throw new TypeError(`${op}: generator must be a Generator`)
  return g ? () => pick(g) : fallback
}

/** Fills with normal samples of the given mean and std. */
export function normal_(t: Tensor, mean = 0, std = 1, options?: RandomOptions): Tensor {
  const next = sampler('normal_', options, randomNormal, (g) => g.normal())
  if (!(std >= 0)) throw new RangeError(`normal_: std must be >= 0, got ${std} (tensor of shape ${formatShape(t.shape)})`)
  return writable('normal_', requireFloat('normal_', t)) && draw(t, () => mean + std * next())
}

/** Fills with uniform samples in [a, b). */
export function uniform_(t: Tensor, a = 0, b = 1, options?: RandomOptions): Tensor {
  const next = sampler('uniform_', options, random, (g) => g.random())
  if (!(a <= b)) throw new RangeError(`uniform_: expects a <= b for the range [a, b), got a = ${a} and b = ${b} (tensor of shape ${formatShape(t.shape)})`)
  return writable('uniform_', requireFloat('uniform_', t)) && draw(t, () => a + (b - a) * next())
}
