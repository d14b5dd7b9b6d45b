import { describeValue } from '../describe-value.js'
import { tsBackend } from './ts/index.js'
import type { Backend, PinnedMemory } from './types.js'

export type BackendName = 'ts' | 'wasm'

/**
 * A backend that must be loaded before use (wasm). `loadSync` returns null where the
 * platform forbids synchronous compilation (a browser main thread, Cloudflare Workers).
 */
export interface BackendLoader {
  loadSync(): Backend | null
  load(module?: WebAssembly.Module): Promise<Backend>
  /** The loaded backend as `options` configure it (after loadSync/load succeeded). */
  configured?(options: BackendOptions): Backend
}

/** Options of `setBackend`. */
export interface BackendOptions {
  /**
   * wasm only. `true` (the default): inputs below a few hundred elements run the ts kernels,
   * because crossing into wasm costs more than the work. `false`: every kernel runs in wasm
   * whatever its size (the wasm test project uses this so every test exercises wasm).
   */
  dispatchSmall?: boolean
}

const loaded = new Map<BackendName, Backend>([['ts', tsBackend]])
const loaders = new Map<BackendName, BackendLoader>()
let current: Backend = tsBackend
let chosen = false // true once the user picked a backend with setBackend()

/** Make a loadable backend known. The first loaded non-ts backend becomes the default. */
export function registerBackend(name: BackendName, loader: BackendLoader): void {
  loaders.set(name, loader)
}

/** @internal compile()'s recorder: run ops on `b` (a recording wrapper) until swapped back; returns the one before. */
export function swapBackend(b: Backend): Backend {
  const before = current
  current = b
  return before
}

/** The backend ops run on now: src/ops/ and the optimisers' steps call its kernels. */
export function backend(): Backend {
  return current
}

export function getBackend(): BackendName {
  return current.name
}

/**
 * Run every following op on `name`. Throws if that backend cannot be loaded synchronously here.
 * `setBackend('wasm', { dispatchSmall: false })` runs every kernel in wasm, small inputs included.
 */
export function setBackend(name: BackendName, options: BackendOptions = {}): void {
  for (const key of Object.keys(options)) {
    if (key !== 'dispatchSmall') throw new Error(`setBackend: unknown option '${key}'; the known option is dispatchSmall`)
  }
  const b = loaded.get(name) ?? loadSync(name)
  if (!b) {
    if (!loaders.has(name)) throw new Error(`setBackend: unknown backend '${name}'; use 'ts' or 'wasm'`)
    throw new Error(`setBackend('${name}'): this platform cannot compile it synchronously; await ready() first`)
  }
  current = loaders.get(name)?.configured?.(options) ?? b
  chosen = true
}

function loadSync(name: BackendName): Backend | null {
  const b = loaders.get(name)?.loadSync() ?? null
  if (b) loaded.set(name, b)
  return b
}

/**
 * Resolves once every registered backend is loaded; the wasm backend then becomes the
 * default (unless setBackend chose another). `module` is a precompiled WebAssembly.Module,
 * for platforms that forbid compiling from bytes (Cloudflare Workers).
 */
export function ready(module?: WebAssembly.Module): Promise<void> {
  // Checked before anything is awaited, so that a wrong argument throws where it is passed.
  if (module !== undefined && !(module instanceof WebAssembly.Module)) {
    throw new TypeError(`ready: module must be a WebAssembly.Module (await WebAssembly.compile(bytes)), got ${describeValue(module)}; or call ready() without it`)
  }
  return loadAll(module)
}

async function loadAll(module: WebAssembly.Module | undefined): Promise<void> {
  for (const [name, loader] of loaders) {
    // With a module, a loaded backend is still asked: it refuses a binary it cannot switch to.
    if (!loaded.has(name) || module) loaded.set(name, await loader.load(module))
  }
  preferLoaded()
}

/** Where loading needs no await (Node, Deno, Bun), make wasm the default at once. */
export function initDefaultBackend(): void {
  for (const name of loaders.keys()) {
    if (!loaded.has(name)) {
      try {
        loadSync(name)
      } catch {
        // Not allowed here (e.g. a browser main thread for large modules): ready() will load it.
      }
    }
  }
  preferLoaded()
}

function preferLoaded(): void {
  if (!chosen) current = loaded.get('wasm') ?? tsBackend
}

let pinnedMemory: () => PinnedMemory | null = () => null

/** Registered by a backend whose kernels read memory in place (wasm): where parameters should live. */
export function registerPinnedMemory(source: () => PinnedMemory | null): void {
  pinnedMemory = source
}

/**
 * Memory the kernels use without copying (the wasm heap once wasm is loaded, whichever backend
 * runs the ops), or null: parameters and optimiser state then live in ordinary typed arrays.
 */
export function pinned(): PinnedMemory | null {
  return pinnedMemory()
}
