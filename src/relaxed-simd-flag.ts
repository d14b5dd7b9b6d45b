import { realpathSync } from 'node:fs'
import { setFlagsFromString } from 'node:v8'
import { backendInfo } from './backend/info.js'
import { RELAXED_SIMD_PROBE } from './backend/wasm/relaxed-probe.js'

/**
 * The `yann` command and the long-running demos (train-mnist, train-cnn, train-gpt) run
 * yann-relaxed.wasm where the engine can: Node ≥ 21 validates relaxed SIMD as is, Node 20 only
 * behind --experimental-wasm-relaxed-simd, which V8 still takes at run time before the first
 * wasm compile. The library sets no engine flag; this module does, for those programs only:
 * it is their first import (importing the library compiles its wasm), and acts only when the
 * program Node started is one of them, so a test or another program importing them changes
 * nothing. `--no-relaxed-simd` among the arguments keeps the plain binary (programArgs() drops it).
 */

export const NO_RELAXED_SIMD = '--no-relaxed-simd'

/** The files that start these programs: the installed command, the CLI from a checkout, the demos. */
const PROGRAMS = ['bin/yann.js', 'src/cli.ts', 'examples/mnist.ts', 'examples/mnist-cnn.ts', 'examples/gpt-char.ts']

function startedAsProgram(): boolean {
  try {
    const file = realpathSync(process.argv[1] ?? '').replaceAll('\\', '/')
    return PROGRAMS.some((p) => file.endsWith(`/${p}`))
  } catch {
    return false
  }
}

if (startedAsProgram()) {
  if (process.argv.includes(NO_RELAXED_SIMD)) setFlagsFromString('--no-experimental-wasm-relaxed-simd')
  else if (!WebAssembly.validate(RELAXED_SIMD_PROBE)) setFlagsFromString('--experimental-wasm-relaxed-simd')
}

/** The program's arguments (after the script) without `--no-relaxed-simd`. */
export function programArgs(argv: readonly string[] = process.argv.slice(2)): string[] {
  return argv.filter((a) => a !== NO_RELAXED_SIMD)
}

/** Which binary runs (backendInfo()), in words, for a demo's first lines. */
export function binaryInUse(): string {
  const info = backendInfo()
  if (info.name !== 'wasm') return `backend: ${info.name}`
  return info.relaxedSimd ? `backend: wasm, yann-relaxed.wasm (relaxed SIMD; ${NO_RELAXED_SIMD} runs yann.wasm)` : 'backend: wasm, yann.wasm (SIMD)'
}
