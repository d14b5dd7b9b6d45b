/**
 * Node-only file helpers for safetensors. Kept apart from the browser entry:
 * importing this module pulls in `node:fs/promises`.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { decodeSafetensors, encodeSafetensors, type RawTensor } from './safetensors.js'

/** Read and decode a `.safetensors` file. */
export async function loadFile(
  path: string,
): Promise<{ tensors: Record<string, RawTensor>; metadata: Record<string, string> }> {
  const bytes = await readFile(path)
  return decodeSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
}

/** Encode tensors (and optional string metadata) and write them to `path`. */
export async function saveFile(
  path: string,
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Promise<void> {
  await writeFile(path, encodeSafetensors(tensors, metadata))
}
