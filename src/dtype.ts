/** The element types a tensor can hold. `int32` is for indices; `bool` (one byte each) for comparisons and masks. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool'
export type FloatDType = 'float32' | 'float64'

export type FloatArray = Float32Array | Float64Array
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array

const constructors = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const

/** A number stored as bool, as Python's bool(): nonzero (NaN too) is 1; a bare store would wrap -1 to 255 and truncate 0.5 to 0. */
export const boolByte = (v: number): number => (v !== 0 ? 1 : 0)

export function isDType(d: unknown): d is DType {
  return d === 'float32' || d === 'float64' || d === 'int32' || d === 'bool'
}

export function checkDType(d: unknown, op: string): DType {
  if (!isDType(d)) {
    throw new TypeError(`${op}: unknown dtype ${JSON.stringify(d)}; use 'float32', 'float64', 'int32' or 'bool'`)
  }
  return d
}

export function allocate(dtype: DType, length: number): TypedArray {
  return new constructors[dtype](length)
}

export function allocateFloat(dtype: FloatDType, length: number): FloatArray {
  return new constructors[dtype](length)
}

export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32'
  if (data instanceof Float64Array) return 'float64'
  if (data instanceof Uint8Array) return 'bool'
  return 'int32'
}

export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === 'float32' || dtype === 'float64'
}

/**
 * int32 holds -2³¹ … 2³¹−1: a value outside (or NaN, ±inf) would wrap silently when stored, so
 * it is an error as in PyTorch ("value cannot be converted to type int32 without overflow").
 */
export function checkInt32Values(op: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (!(v >= -2147483648 && v < 2147483648)) {
      throw new RangeError(`${op}: value ${v} (element ${i}) cannot be converted to int32 without overflow; int32 holds -2147483648 to 2147483647 (use float32 or float64)`)
    }
  }
}

/** The most bytes one tensor may hold (4 GiB): beyond it JavaScript engines refuse or fail the typed array. */
export const MAX_TENSOR_BYTES = 2 ** 32

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float64' ? 8 : 4
}
