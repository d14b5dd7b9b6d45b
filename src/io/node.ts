/**
 * Node-only file helpers for safetensors. Kept apart from the browser entry:
 * importing this module pulls in `node:fs/promises`.
 */
import { readFile, writeFile } from 'node:fs/promises'
import type { Tensor } from '../tensor.js'
import { loadSafetensors, saveSafetensors } from './tensors.js'

/** Read a `.safetensors` file: `module.loadStateDict((await load(path)).tensors)`. */
export async function load(path: string): Promise<{ tensors: Record<string, Tensor>; metadata: Record<string, string> }> {
  const bytes = await readFile(path)
  return loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}

/**
 * Write a state dict (and optional string metadata) to `path` as safetensors, or the bytes of
 * an exported model as they are: `save('model.onnx', exportOnnx(model, [x]))`.
 */
export async function save(path: string, stateDict: Record<string, Tensor> | Uint8Array, metadata?: Record<string, string>): Promise<void> {
  if (stateDict instanceof Uint8Array) {
    await writeFile(path, stateDict)
    return
  }
  if (path.toLowerCase().endsWith('.onnx')) {
    throw new TypeError(`save: ${path} is an .onnx path but got a state dict; export the model first: save(path, exportOnnx(model, exampleInputs))`)
  }
  await writeFile(path, saveSafetensors(stateDict, metadata))
}
