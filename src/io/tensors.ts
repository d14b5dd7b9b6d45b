import { requireTensor } from '../argument-checks.js'
import { Tensor } from '../tensor.js'
import { decodeSafetensors, encodeSafetensors, type RawTensor } from './safetensors.js'

/**
 * safetensors for tensors: a state dict (PyTorch key names, e.g. from module.stateDict())
 * to bytes and back. `module.loadStateDict(loadSafetensors(bytes).tensors)` restores a model.
 */
export function saveSafetensors(stateDict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const raw: Record<string, RawTensor> = {}
  for (const [name, t] of Object.entries(stateDict)) {
    requireTensor('saveSafetensors', `entry ${JSON.stringify(name)}`, t)
    defineOwn(raw, name, { dtype: t.dtype, shape: [...t.shape], data: t.data })
  }
  return encodeSafetensors(raw, metadata)
}

export function loadSafetensors(bytes: Uint8Array): { tensors: Record<string, Tensor>; metadata: Record<string, string> } {
  const { tensors: raw, metadata } = decodeSafetensors(bytes)
  const tensors: Record<string, Tensor> = {}
  for (const [name, r] of Object.entries(raw)) defineOwn(tensors, name, new Tensor(r.data, r.shape))
  return { tensors, metadata }
}

/** Set an own property even for a tensor named "__proto__" (assignment would set the prototype). */
function defineOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true })
}
