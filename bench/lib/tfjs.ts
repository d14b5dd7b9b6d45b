/**
 * TensorFlow.js for the comparisons: the full `@tensorflow/tfjs` package (tfjs-core alone
 * registers no gradients in Node) with two backends, `wasm` (tfjs-backend-wasm, its SIMD
 * single-thread binary, loaded from node_modules) and `cpu` (plain JavaScript).
 */
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export type TF = typeof import('@tensorflow/tfjs')
export type TfBackend = 'wasm' | 'cpu'

let loaded: TF | null = null

/** The directory holding tfjs-backend-wasm's .wasm files. */
export function tfWasmDir(): string {
  const require = createRequire(import.meta.url)
  return join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/'
}

/** Loads TF.js once, with its wasm backend set to single-thread SIMD; both backends initialised. */
export async function loadTf(): Promise<TF> {
  if (loaded) return loaded
  // tfjs prints an advertisement for tfjs-node on import in Node: keep the bench output clean.
  const warn = console.warn
  const log = console.log
  console.warn = () => {}
  console.log = () => {}
  let tf: TF
  try {
    tf = await import('@tensorflow/tfjs')
    // Production mode: no debug checks, and no advertisement for tfjs-node on first use.
    tf.env().set('PROD', true)
    const wasm = await import('@tensorflow/tfjs-backend-wasm')
    wasm.setWasmPaths(tfWasmDir())
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)
    tf.env().set('WASM_HAS_SIMD_SUPPORT', true)
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js: the wasm backend failed to initialise')
    if (!(await tf.setBackend('cpu'))) throw new Error('TF.js: the cpu backend failed to initialise')
  } finally {
    console.warn = warn
    console.log = log
  }
  loaded = tf
  return tf
}

/**
 * Switch TF.js's backend. For a backend already initialised, tf.setBackend does its work before
 * its first await, so the switch has happened when this returns.
 */
export function useTf(tf: TF, name: TfBackend): void {
  if (tf.getBackend() !== name) void tf.setBackend(name)
  if (tf.getBackend() !== name) throw new Error(`TF.js: could not switch to the ${name} backend synchronously`)
}
