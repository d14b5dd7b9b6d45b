import { traced } from './autograd/engine.js'
import { replayedStep } from './compile/hooks.js'
import { allocate, isFloat, type DType } from './dtype.js'
import { formatShape, type Shape } from './shape.js'
import { Tensor, type Operand } from './tensor.js'

/**
 * PyTorch's type promotion (torch.result_type), written once: the dtype of an op's result
 * from its operands. Categories bool < integer < float; within one the wider dtype wins,
 * except that a 0-d tensor or a number does not widen dimensioned tensors of its category
 * (float32 tensor + 0-d float64 → float32). yann's int32 stands for PyTorch's int64.
 *
 * A JS number has no int/float split: an integral one acts as a Python int (int32 tensor + 2
 * → int32), any other as a Python float (→ float32). One deviation: `x.mul(2.0)` on an int32
 * tensor stays int32 (2.0 is the number 2), where PyTorch gives float32.
 *
 * Integer results are computed in float64 (exact for int32 sums, and for any product whose
 * result fits int32) and narrowed to int32 by `narrow`, which refuses what does not fit.
 */

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 }
const category = (d: DType): number => Math.min(RANK[d], 2)
const wider = (a: DType | null, b: DType): DType => (a === null || RANK[b] > RANK[a] ? b : a)

/** torch.promote_types: the dtype two dimensioned tensors' values are joined in (cat, stack). */
export const promoteTypes = (a: DType, b: DType): DType => wider(a, b)

/** PyTorch's combine_categories: `lower` (0-d tensors, numbers) counts only when of a higher category. */
function combine(higher: DType | null, lower: DType | null): DType | null {
  if (higher === null) return lower
  if (lower === null) return higher
  return category(lower) > category(higher) ? wider(higher, lower) : higher
}

/** The dtype PyTorch gives an op of these operands (torch.result_type); null operands are absent (clamp's bounds). */
export function resultType(a: Operand, b: Operand | null = null, c: Operand | null = null): DType {
  // (Three parameters, not a rest array: this runs in every binary op.) The common cases first,
  // whose answer no rule below changes: two tensors of one dtype, a float tensor and a number.
  if (c === null && b !== null) {
    if (typeof a === 'number') return typeof b !== 'number' && isFloat(b.dtype) ? b.dtype : byCategories(a, b, c)
    if (typeof b === 'number' ? isFloat(a.dtype) : a.dtype === b.dtype) return a.dtype
  }
  return byCategories(a, b, c)
}

function byCategories(a: Operand, b: Operand | null, c: Operand | null): DType {
  let dims: DType | null = null
  let zeroDim: DType | null = null
  let numbers: DType | null = null
  for (let i = 0; i < 3; i++) {
    const v = i === 0 ? a : i === 1 ? b : c
    if (v === null) continue
    if (typeof v === 'number') numbers = wider(numbers, Number.isInteger(v) ? 'int32' : 'float32')
    else if (v.ndim === 0) zeroDim = wider(zeroDim, v.dtype)
    else dims = wider(dims, v.dtype)
  }
  return combine(dims, combine(zeroDim, numbers)) ?? 'float32'
}

/** The float dtype a result of `dtype` is computed in: float64 for integers (exact), else itself. */
export const computeDType = (dtype: DType): 'float32' | 'float64' => (dtype === 'float32' ? 'float32' : 'float64')

/** `t` (float64 holding integers) as an int32 or bool tensor; `why` explains a non-integer value and its fix. */
export function narrow(op: string, t: Tensor, dtype: 'int32' | 'bool', why?: string): Tensor {
  const out = allocate(dtype, t.numel())
  // A replayed step: under compile() every call checks and narrows its own values.
  replayedStep('narrow', narrowInto, [t.data as Float64Array, out as Int32Array | Uint8Array, op, t.shape, why ?? null])
  // A tracer (ONNX export) sees the cast it is, so integer arithmetic exports as float64 ops between Casts.
  return traced(new Tensor(out, t.shape), 'ToCopyBackward0', [t], { dtype })
}

function narrowInto(src: Float64Array, out: Int32Array | Uint8Array, op: string, shape: Shape, why: string | null): void {
  if (out instanceof Uint8Array) {
    for (let i = 0; i < src.length; i++) out[i] = src[i] !== 0 ? 1 : 0
    return
  }
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    if ((v | 0) !== v) throw narrowError(op, v, i, shape, why)
    out[i] = v
  }
}

function narrowError(op: string, v: number, i: number, shape: Shape, why: string | null): Error {
  const at = `element ${i} of the result of shape ${formatShape(shape)} is ${v}`
  if (Number.isInteger(v)) {
    return new RangeError(`${op}: integer overflow: ${at}, outside int32 (-2147483648 to 2147483647); yann's integers are int32 where PyTorch's are int64: convert the input with .double() first`)
  }
  return new RangeError(`${op}: ${why ?? 'the result is not an integer; convert the input with .double() first'} (${at})`)
}
