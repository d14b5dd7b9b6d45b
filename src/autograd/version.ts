import { formatShape } from '../shape.js'
import type { Tensor } from '../tensor.js'

/**
 * PyTorch's version counter: how many times the elements of a tensor were written in place
 * (in-place ops, optimiser steps, init, loadStateDict). It lives in the Storage a tensor
 * shares with its views and detach()es (made on first need, see Tensor.elements), so their
 * writes are counted together. An op records the versions of the tensors its backward reads
 * (record's `saved`); backward refuses to run on one that changed since, rather than compute a
 * gradient from the new values. Writes through `t.data` are not counted (as PyTorch's `.data`).
 */

/** The number of in-place writes so far to `t`'s elements (0 before the first). */
export function versionOf(t: Tensor): number {
  const s = t._storage
  return s === null ? 0 : (s.version ?? 0)
}

/** Counts an in-place write to `t`'s elements (so to every view sharing them). */
export function bumpVersion(t: Tensor): void {
  const s = t._storage
  if (s === null) t._storage = { data: t.data, version: 1 }
  else s.version = (s.version ?? 0) + 1
}

/** What an op saved for its backward (record's `saved`): one tensor or several (no array for one). */
export type Saved = Tensor | readonly Tensor[]

/**
 * The versions of `saved` now, for checkSaved() to compare at backward; null when all are 0
 * (an op's fresh inputs and output: no array per op on the hot path).
 */
export function versionsOf(saved: Saved): number[] | null {
  if (!Array.isArray(saved)) {
    const v = versionOf(saved as Tensor)
    return v === 0 ? null : [v]
  }
  let versions: number[] | null = null
  for (let i = 0; i < saved.length; i++) {
    const v = versionOf(saved[i])
    if (v === 0) continue
    if (versions === null) versions = saved.length === 2 ? [0, 0] : new Array<number>(saved.length).fill(0)
    versions[i] = v
  }
  return versions
}

/** Throws if a tensor `name` saved for its backward was written in place since (PyTorch's error). */
export function checkSaved(name: string, saved: Saved, versions: readonly number[] | null): void {
  if (!Array.isArray(saved)) return checkOne(name, saved as Tensor, versions === null ? 0 : versions[0])
  for (let i = 0; i < saved.length; i++) checkOne(name, saved[i], versions === null ? 0 : versions[i])
}

function checkOne(name: string, t: Tensor, then: number): void {
  if (versionOf(t) !== then) throw modified(name, t, then)
}

function modified(name: string, t: Tensor, then: number): Error {
  return new Error(
    `backward: one of the tensors needed for gradient computation has been modified by an in-place operation: ` +
      `the ${t.dtype} tensor of shape ${formatShape(t.shape)} saved by ${name} is at version ${versionOf(t)}; expected version ${then} instead ` +
      '(the gradient would be computed from its new values). clone() it before modifying it in place, or modify it after backward()',
  )
}
