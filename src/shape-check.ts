import { allocate, bytesPerElement, MAX_TENSOR_BYTES, type DType, type TypedArray } from './dtype.js'
import type { Shape } from './shape.js'

/** A shape as the user wrote it, NaN and Infinity included (JSON would print them as null). */
export function describeShape(shape: unknown): string {
  return Array.isArray(shape) ? `[${shape.map((d) => String(d)).join(', ')}]` : String(shape)
}

/** A shape must be an array of non-negative integers whose elements fit one typed array (4 GiB). */
export function checkShape(op: string, shape: Shape, dtype: DType = 'float32'): void {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(`${op}: shape must be an array of non-negative integers, got ${describeShape(shape)}`)
  }
  let n = 1
  for (const d of shape) n *= d
  const bytes = n * bytesPerElement(dtype)
  if (bytes > MAX_TENSOR_BYTES) {
    throw new RangeError(`${op}: shape ${describeShape(shape)} is ${n} elements, ${bytes} bytes as ${dtype}; one tensor holds at most ${MAX_TENSOR_BYTES} bytes (4 GiB)`)
  }
}

/** allocate() for `shape`, with the op, the shape and the bytes named when the engine has no memory for it. */
export function allocateShaped(op: string, dtype: DType, shape: Shape, length: number): TypedArray {
  try {
    return allocate(dtype, length)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    const bytes = length * bytesPerElement(dtype)
    throw new RangeError(`${op}: cannot allocate ${bytes} bytes for a ${dtype} tensor of shape ${describeShape(shape)} (${error.message})`)
  }
}
