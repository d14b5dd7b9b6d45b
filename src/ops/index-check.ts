import { newArray, replayedStep } from '../compile/hooks.js'
import { formatShape, type Shape } from '../shape.js'
import type { Tensor } from '../tensor.js'

/**
 * Range checks of int32 indices that kernels read (embedding, indexSelect, gather, scatterAdd,
 * index(), class targets). Each runs as a replayedStep: under compile() every replay checks
 * the call's own indices, with the eager error, before any kernel reads them.
 */

/**
 * Throws error(v, i) for the first src[i] outside [lo, hi) that is not `skip`; with `out`,
 * writes each index there, a negative one wrapped to v + hi.
 */
function checkIndices(src: Int32Array, lo: number, hi: number, skip: number | null, error: (v: number, at: number) => Error, out: Int32Array | null): void {
  for (let i = 0; i < src.length; i++) {
    const v = src[i]
    if ((v < lo || v >= hi) && v !== skip) throw error(v, i)
    if (out !== null) out[i] = v < 0 ? v + hi : v
  }
}

/**
 * Every index in [0, size), or with `negatives` (index(), Python's t[i]) in [-size, size) made
 * non-negative; else an error naming the op, the value and the valid range. gather, indexSelect
 * and scatterAdd refuse negatives as PyTorch does: a -1 meant as "none" would read the last row.
 */
export function checkedIndices(op: string, index: Tensor, size: number, dim: number, shape: Shape, negatives = false): Int32Array {
  const out = newArray(new Int32Array(index.numel()))
  const lo = negatives ? -size : 0
  const error = (v: number): Error =>
    new RangeError(
      `${op}: index ${v} is out of range for dim ${dim} of size ${size} (tensor of shape ${formatShape(shape)}); valid indices are ${lo} to ${size - 1}` +
        (v < 0 && !negatives ? `, as in PyTorch (index() takes negative indices)` : ''),
    )
  replayedStep('checkIndices', checkIndices, [index.data as Int32Array, lo, size, null, error, out])
  return out
}

/** embedding's rows: every index in [0, num). */
export function checkEmbeddingIndices(indices: Tensor, weight: Tensor): void {
  const num = weight.shape[0]
  const error = (v: number, i: number): Error =>
    new RangeError(`embedding: index ${v} (at flat position ${i} of indices ${formatShape(indices.shape)}) is out of range for weight ${formatShape(weight.shape)}; indices must be in [0, ${num - 1}]`)
  replayedStep('checkIndices', checkIndices, [indices.data as Int32Array, 0, num, null, error, null])
}

/** Class targets: every index in [0, classes) or ignoreIndex. */
export function checkClassTargets(op: string, target: Tensor, input: Tensor, classes: number, ignoreIndex: number): void {
  const error = (c: number, s: number): Error =>
    new RangeError(
      `${op}: target class ${c} at position ${s} is out of range for ${classes} classes (expected 0 to ${classes - 1}` +
        `${ignoreIndex < 0 || ignoreIndex >= classes ? `, or ignoreIndex ${ignoreIndex}` : ''}; ` +
        `input shape ${formatShape(input.shape)}, target shape ${formatShape(target.shape)})`,
    )
  replayedStep('checkIndices', checkIndices, [target.data as Int32Array, 0, classes, ignoreIndex, error, null])
}
