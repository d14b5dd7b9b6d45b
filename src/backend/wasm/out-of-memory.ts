import type { WasmExports } from './runtime.js'

/**
 * Wasm memory cannot hold a block. Staging an op's arrays: the ts kernel then runs instead.
 * Inside a kernel (its scratch) or allocFloat: the error, naming what could not be allocated.
 */
export class WasmOutOfMemory extends Error {
  override name = 'WasmOutOfMemory'
}

/** The largest block of AssemblyScript's allocator (TLSF): a request above it traps without growing memory. */
export const MAX_BLOCK = (1 << 30) - 4
export const TOO_BIG = 'one block of wasm memory holds less than 1 GiB'

/**
 * After a trap in wasm: the allocation that trapped, when the allocator recorded one
 * (assembly/alloc.ts), and why it failed; null when the trap was not the allocator's (a bug).
 * Reading it forgets it.
 */
export function failedAllocation(e: WasmExports): { bytes: number; why: string } | null {
  const bytes = (e.takeFailedAllocation as () => number)()
  if (bytes < 0) return null
  const why =
    bytes > MAX_BLOCK
      ? TOO_BIG
      : `wasm memory, ${e.memory.buffer.byteLength} bytes now, could not grow by that much`
  return { bytes, why }
}
