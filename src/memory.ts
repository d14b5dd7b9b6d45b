import { memoryStats } from './backend/wasm/runtime.js'
import { liveParameterBlocks } from './parameter-memory.js'

/** What `memory()` reports. */
export interface MemoryInfo {
  /** The size of the wasm linear memory in bytes (`memory.buffer.byteLength`; it only grows). 0 before the wasm backend is loaded. */
  wasmBytes: number
  /**
   * Blocks of parameter memory allocated in wasm memory and not yet freed: one per parameter's
   * values, one per parameter's gradient buffer (allocated by the first backward() that reaches
   * it), and one per optimiser state tensor (SGD's momentum buffer, Adam's two moments). So an
   * `nn.Linear(3, 5)` counts 2, 4 after a backward, 6 after an SGD step with momentum.
   * `module.dispose()` and `optimizer.dispose()` free them, as does the garbage collector once
   * they are unreachable. Parameters made before the wasm backend loaded live in JS memory and
   * are not counted.
   */
  liveParameters: number
  /** The capacity of the scratch arena through which the wasm backend stages JS-owned arrays (bytes; it only grows). */
  arenaBytes: number
}

/**
 * Wasm memory use: its size, the live blocks of parameter memory, and the staging arena.
 *
 * @example
 * const model = new nn.Linear(3, 5)
 * memory().liveParameters   // 2 more than before
 * model.dispose()           // back again
 */
export function memory(): MemoryInfo {
  const s = memoryStats()
  return { wasmBytes: s.wasmBytes, liveParameters: liveParameterBlocks(), arenaBytes: s.arenaBytes }
}
