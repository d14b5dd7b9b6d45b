/** The element types a tensor can hold. `int32` is for indices; `bool` (one byte each) for comparisons and masks. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool'
export type FloatDType = 'float32' | 'float64'

export type FloatArray = Float32Array | Float64Array
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array

const constructors = { float32: Float32Array, float64: Float64Array, int32: Int32Array, bool: Uint8Array } as const

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
