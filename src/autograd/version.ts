import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'

/**
 * PyTorch's version counter: how many times the elements of a tensor were written in place
 * (in-place ops, optimiser steps, init, loadStateDict). One counter is shared by a tensor and
 * its views and detach()es, as they share the elements. An op records the versions of the
 * tensors its backward reads (record's `saved`); backward refuses to run on one that changed
 * since, rather than compute a gradient from the new values. Writes through `t.data` are not
 * counted (as PyTorch's `.data`).
 */
export interface VersionCounter {
  value: number
}

/** The number of in-place writes so far to `t`'s elements (0 before the first). */
export function versionOf(t: Tensor): number {
  const v = t._version
  return v === null ? 0 : v.value
}

/** Counts an in-place write to `t`'s elements (so to every view sharing them). */
export function bumpVersion(t: Tensor): void {
  const v = t._version
  if (v === null) t._version = { value: 1 }
  else v.value++
}

/** `view` shares `base`'s elements, so their writes are counted together; returns `view`. */
export function shareVersion<T extends Tensor>(base: Tensor, view: T): T {
  let v = base._version
  if (v === null) v = base._version = { value: 0 }
  view._version = v
  return view
}

/** What an op saved for its backward (record's `saved`): one tensor or several (no array for one). */
export type Saved = Tensor | readonly Tensor[]

/**
 * The versions of `saved` now, for checkSaved() to compare at backward; null when all are 0
 * (an op's fresh inputs and output: no array per op on the hot path).
 */
export function versionsOf(saved: Saved): number[] | null {
  if (!Array.isArray(saved)) return versionOf(saved as Tensor) === 0 ? null : [versionOf(saved as Tensor)]
  let i = 0
  while (i < saved.length && versionOf(saved[i]) === 0) i++
  return i === saved.length ? null : saved.map(versionOf)
}

/** Throws if a tensor `name` saved for its backward was written in place since (PyTorch's error). */
export function checkSaved(name: string, saved: Saved, versions: readonly number[] | null): void {
  const list = Array.isArray(saved) ? saved : [saved as Tensor]
  for (let i = 0; i < list.length; i++) {
    const then = versions === null ? 0 : versions[i]
    if (versionOf(list[i]) !== then) throw modified(name, list[i], then)
  }
}

function modified(name: string, t: Tensor, then: number): Error {
  return new Error(
    `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
      `the ${t.dtype} tensor of shape ${formatShape(t.shape)} saved by ${name} is at version ${versionOf(t)}; expected version ${then} instead ` +
      '(the gradient would be computed from its new values). clone() it before modifying it in place, or modify it after backward()',
  )
}
