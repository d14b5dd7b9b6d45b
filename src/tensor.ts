import { backward as runBackward, type BackwardOptions } from './autograd/engine.js'
import { backwardArguments } from './autograd/backward-arguments.js'
import { gradAssigned, requiresGradAssigned } from './autograd/assignments.js'
import type { Node } from './autograd/node.js'
import { backend } from './backend/index.js'
import { recording } from './compile/hooks.js'
import type { DType, FloatArray, TypedArray } from './dtype.js'
import { formatTensor } from './format.js'
import * as binary from './ops/binary.js'
import { wroteInPlace } from './ops/inplace.js'
import * as matmulOps from './ops/matmul.js'
import * as reduce from './ops/reduce.js'
import * as layout from './ops/layout.js'
import * as shapeOps from './ops/shape.js'
import * as softmaxOps from './ops/softmax.js'
import * as unary from './ops/unary.js'
import { formatShape, numelOf, stridesOf, type Shape } from './shape.js'
import { frozenShape, isTensorShape } from './shape-intern.js'
import type { MathMethods } from './methods/math.js'
import type { AlphaOptions } from './ops/alpha.js'
import type { DivOptions } from './ops/rounding.js'
import type { DTypeOptions } from './ops/operands.js'
import type { CompareMethods } from './methods/compare.js'
import type { ReduceMethods } from './methods/reduce.js'
import type { SliceMethods } from './methods/slice.js'
import type { LayoutMethods } from './methods/layout.js'
import type { InPlaceMethods } from './methods/inplace.js'
import type { OrderMethods } from './methods/order.js'
import type { MatrixMethods } from './methods/matrix.js'

/** Where a tensor's elements live. JS memory by default; the wasm backend keeps parameters in its heap. */
export interface Storage {
  /** The elements, flat and row-major. May be a fresh view on each access: never keep it across ops. */
  readonly data: TypedArray
  /** In-place writes to the elements so far, by any tensor over them (autograd/version.ts); absent: 0. */
  version?: number
}

export type Operand = Tensor | number

/**
 * Marks yann tensors across copies of the library (the ESM and the CommonJS build loaded side
 * by side, or two bundles): `instanceof Tensor` checks this mark rather than the class identity.
 */
const TENSOR_BRAND = Symbol.for('yann.Tensor')

/**
 * Methods beyond the core come from src/methods/, one file per op family (see install.ts there):
 * their interfaces merge into Tensor here.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface Tensor extends MathMethods, CompareMethods, ReduceMethods, SliceMethods, LayoutMethods, InPlaceMethods, OrderMethods, MatrixMethods {}

/**
 * An n-dimensional array with autograd, PyTorch semantics, camelCase names.
 * Always contiguous and row-major: shape ops that cannot reuse the data copy it.
 */
export class Tensor {
  /** `x instanceof Tensor` is true for a tensor made by any copy of yann (see TENSOR_BRAND); subclasses check their own class as usual. */
  static [Symbol.hasInstance](x: unknown): boolean {
    if (typeof x !== 'object' || x === null) return false
    if (this === Tensor) return (x as Record<symbol, unknown>)[TENSOR_BRAND] === true
    // A subclass (Parameter ...): the ordinary prototype-chain test.
    for (let p = Object.getPrototypeOf(x); p !== null; p = Object.getPrototypeOf(p)) if (p === this.prototype) return true
    return false
  }

  readonly shape: readonly number[]
  readonly dtype: DType
  private _grad: Tensor | null = null
  /** The elements: a typed array held as is (no wrapper object per op output), or else a Storage. */
  private readonly array: TypedArray | null
  /** @internal Or a Storage shared with views over the array, which counts their in-place writes (autograd/version.ts). */
  _storage: Storage | null
  private _requiresGrad = false
  private _gradFn: Node | null = null
  /**
   * @internal Scratch space of the backward engine, in place of a Set and a Map per backward():
   * the number of the last graph walk that reached this tensor, and the gradient summed into it
   * so far during a sweep (null outside one).
   */
  _visit = 0
  /** @internal See `_visit`. */
  _pendingGrad: Tensor | null = null

  constructor(data: TypedArray | Storage, shape: Shape) {
    // The hot path of every op: no spread, no wrapper object, and another tensor's shape (which
    // ops pass along) is shared as it is; any other array becomes a frozen shared shape.
    const isArray = ArrayBuffer.isView(data)
    this.array = isArray ? data : null
    this._storage = isArray ? null : data
    this.shape = isTensorShape(shape) ? shape : frozenShape(shape)
    const d = isArray ? data : data.data
    this.dtype = d instanceof Float32Array ? 'float32' : d instanceof Float64Array ? 'float64' : d instanceof Uint8Array ? 'bool' : 'int32'
    if (d.length !== numelOf(this.shape)) {
      throw new Error(`Tensor: ${d.length} elements cannot have shape ${formatShape(shape)}`)
    }
    // compile: a new array (views pass a Storage while recording, see elements(); parameters too)
    if (recording !== null && isArray) recording.created(d)
  }

  /** Accumulated gradient of a leaf after backward(), like PyTorch's `.grad`. */
  get grad(): Tensor | null {
    return this._grad
  }

  set grad(value: Tensor | null) {
    gradAssigned(this, value) // checked: backward adds into it in place
    this._grad = value
  }

  /**
   * The elements as a flat row-major typed array (shared, not copied). Writes through it are
   * not counted in the version (PyTorch's `.data`): backward() cannot see them.
   */
  get data(): TypedArray {
    const a = this.array
    return a !== null ? a : this._storage!.data
  }

  /** The number of dims: `shape.length`. */
  get ndim(): number {
    return this.shape.length
  }

  /** The number of elements: the product of `shape` (1 for a 0-d tensor). */
  numel(): number {
    return numelOf(this.shape)
  }

  /** The single value of a one-element tensor, as a number. */
  item(): number {
    if (this.numel() !== 1) {
      throw new Error(`item: a tensor of shape ${formatShape(this.shape)} has ${this.numel()} elements, not 1; index or reduce it first (e.g. .sum())`)
    }
    if (recording !== null) recording.read('item()')
    return this.data[0]
  }

  /** The elements as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    if (recording !== null) recording.read('toArray()')
    const data = this.data
    const strides = stridesOf(this.shape)
    const build = (dim: number, offset: number): NestedArray =>
      dim === this.shape.length
        ? data[offset]
        : Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * strides[dim]))
    return build(0, 0)
  }

  /** Whether ops on this tensor are recorded for backward(); settable on leaves (float dtypes only). */
  get requiresGrad(): boolean {
    return this._requiresGrad
  }

  set requiresGrad(value: boolean) {
    requiresGradAssigned(this, value)
    this._requiresGrad = value
  }

  /** The op that made this tensor (null for leaves), named as in PyTorch: `ReluBackward0`. */
  get gradFn(): Node | null {
    return this._gradFn
  }

  /** @internal Called by autograd's record(): marks this tensor as the output of a recorded op. */
  setGradFn(node: Node): void {
    this._gradFn = node
    this._requiresGrad = true
  }

  /** True for tensors not made by a recorded op: user-created tensors and parameters. */
  get isLeaf(): boolean {
    return this._gradFn === null
  }

  /**
   * Compute gradients of this tensor with respect to every leaf that requires grad, accumulating
   * into their `.grad`. A non-scalar needs `gradient` (the vector of the vector-Jacobian product);
   * a scalar takes 1, or a number. Forms: `backward()`, `backward(gradient)`,
   * `backward(gradient, { retainGraph })`, `backward({ retainGraph })`.
   */
  backward(gradient?: Tensor | number | BackwardOptions | null, options?: BackwardOptions): void {
    if (!this.requiresGrad) {
      throw new Error('backward: this tensor does not require grad and has no gradFn; set requiresGrad on the leaves before computing it')
    }
    const [g, o] = backwardArguments('backward', this, gradient, options)
    runBackward(this, g, o)
  }

  /** @internal Add `g` into `.grad` (allocating it on first use), as leaves do in backward(). */
  accumulateGrad(g: Tensor): void {
    if (!this.grad) {
      this.grad = g.dtype === this.dtype ? g.clone() : g.to(this.dtype)
      return
    }
    const strides = stridesOf(this.shape)
    const into = this.grad.data as FloatArray
    wroteInPlace(this.grad) // a graph that saved this .grad must not read the sum (a compiled replay counts it too)
    backend().binary('add', into, g.data as FloatArray, into, this.shape, strides, strides)
  }

  /**
   * @internal A tensor over this leaf's own gradient buffer for backward() to write its
   * gradient into (see autograd's gradDestination), or null: only a Parameter has one.
   */
  lendGradBuffer(_sweep: number): Tensor | null {
    return null
  }

  /** A new leaf sharing no graph with this one (the data is shared, as in PyTorch). */
  detach(): Tensor {
    return new Tensor(this.elements(), this.shape)
  }

  /** @internal The same elements under another shape of equal size (reshape's forward). */
  viewAs(shape: Shape): Tensor {
    return new Tensor(this.elements(), shape)
  }

  /** What a view shares: the Storage, made for the array on first use (it holds the version counter; no new array for compile()). */
  private elements(): Storage {
    return this._storage ?? (this._storage = { data: this.array!, version: 0 })
  }

  /** A copy of the data; gradients flow back through it. */
  clone(): Tensor {
    return shapeOps.clone(this)
  }

  /** Convert to another dtype (a copy; gradients flow back, cast to this dtype). */
  to(dtype: DType): Tensor {
    return shapeOps.cast(this, dtype)
  }

  /** A float32 copy (`to('float32')`). */
  float(): Tensor {
    return this.to('float32')
  }

  /** A float64 copy (`to('float64')`). */
  double(): Tensor {
    return this.to('float64')
  }

  /** this + alpha·other, elementwise with broadcasting; shapes broadcast to the output's. */
  add(other: Operand, options?: AlphaOptions): Tensor {
    return binary.add(this, other, options)
  }

  /** this − alpha·other, elementwise with broadcasting. */
  sub(other: Operand, options?: AlphaOptions): Tensor {
    return binary.sub(this, other, options)
  }

  /** this · other, elementwise with broadcasting. */
  mul(other: Operand): Tensor {
    return binary.mul(this, other)
  }

  /** this / other, elementwise with broadcasting. */
  div(other: Operand, options?: DivOptions): Tensor {
    return binary.div(this, other, options)
  }

  /** max(this, other) elementwise with broadcasting; a tie splits the gradient in half. */
  maximum(other: Tensor): Tensor {
    return binary.maximum(this, other)
  }

  /** −x, elementwise; same shape. */
  neg(): Tensor {
    return unary.neg(this)
  }

  /** eˣ, elementwise; same shape. */
  exp(): Tensor {
    return unary.exp(this)
  }

  /** ln x, elementwise (NaN below 0, −inf at 0); same shape. */
  log(): Tensor {
    return unary.log(this)
  }

  /** √x, elementwise; same shape. */
  sqrt(): Tensor {
    return unary.sqrt(this)
  }

  /** |x|, elementwise (gradient sign(x), 0 at 0); same shape. */
  abs(): Tensor {
    return unary.abs(this)
  }

  /** max(x, 0), elementwise; same shape. */
  relu(): Tensor {
    return unary.relu(this)
  }

  /** 1 / (1 + e⁻ˣ), elementwise; same shape. */
  sigmoid(): Tensor {
    return unary.sigmoid(this)
  }

  /** tanh x, elementwise; same shape. */
  tanh(): Tensor {
    return unary.tanh(this)
  }

  /** x ** exponent: a number, or a tensor broadcast against x. */
  pow(exponent: number | Tensor): Tensor {
    return unary.pow(this, exponent)
  }

  /** x limited to [min, max] (either bound may be null); gradient 1 inside, 0 outside. */
  clamp(min?: number | null, max?: number | null): Tensor {
    return unary.clamp(this, min, max)
  }

  /** exp(x) / Σ exp(x) along `dim` (each slice sums to 1); same shape. */
  softmax(dim: number, options?: DTypeOptions): Tensor {
    return softmaxOps.softmax(this, dim, options)
  }

  /** x − log Σ exp(x) along `dim`, computed stably; same shape. */
  logSoftmax(dim: number, options?: DTypeOptions): Tensor {
    return softmaxOps.logSoftmax(this, dim, options)
  }

  /** Matrix product with PyTorch's rules: [n]·[n] → [], [m,k]·[k] → [m], [m,k]·[k,n] → [m,n], batch dims broadcast. */
  matmul(other: Tensor): Tensor {
    return matmulOps.matmul(this, other)
  }

  /** Over all elements, one dim, or a list of dims: `sum(dim?, keepdim?)`, `sum(dim, { keepdim })`. */
  sum(dim?: reduce.Dims | reduce.SumOptions, keepdim?: boolean | reduce.SumOptions): Tensor {
    return reduce.sum(this, dim, keepdim)
  }

  /** Σ / n over all elements, one dim, or a list of dims (as sum). */
  mean(dim?: reduce.Dims | reduce.SumOptions, keepdim?: boolean | reduce.SumOptions): Tensor {
    return reduce.mean(this, dim, keepdim)
  }

  /** The same elements in another shape of equal size (one dim may be −1: inferred). */
  reshape(...shape: (number | readonly number[])[]): Tensor {
    return shapeOps.reshape(this, shape.flat())
  }

  /** Same as reshape (every tensor is contiguous here). */
  view(...shape: (number | readonly number[])[]): Tensor {
    return shapeOps.reshapeAs('view', this, shape.flat())
  }

  /** Dims startDim..endDim merged into one (all of them by default): `randn([2,3,4]).flatten(1)` is [2, 12]. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return layout.flatten(this, startDim, endDim)
  }

  /** `dim0` and `dim1` swapped: [.., a, .., b, ..] → [.., b, .., a, ..] (a copy). */
  transpose(dim0: number, dim1: number): Tensor {
    return shapeOps.transpose(this, dim0, dim1)
  }

  /** Dims reversed (the matrix transpose for 2-D). */
  get T(): Tensor {
    return shapeOps.permute(this, this.shape.map((_, i) => this.ndim - 1 - i))
  }

  /** A new dim of size 1 inserted at `dim` (−1: last). */
  unsqueeze(dim: number): Tensor {
    return shapeOps.unsqueeze(this, dim)
  }

  /** Dims of size 1 removed: all of them, or only `dim` (left alone if it is not 1). */
  squeeze(dim?: number | readonly number[]): Tensor {
    return shapeOps.squeeze(this, dim)
  }

  /** Printed like PyTorch's print(t): `tensor([1., 2.], grad_fn=<AddBackward0>)`. */
  toString(): string {
    const { shape, dtype, data, requiresGrad, isLeaf } = this
    return formatTensor({ shape, dtype, data, requiresGrad, isLeaf, gradFnName: this.gradFn?.name ?? null })
  }

  /** console.log(t) in Node prints like PyTorch's print(t). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString()
  }
}

Object.defineProperty(Tensor.prototype, TENSOR_BRAND, { value: true })

export type NestedArray = number | NestedArray[]
