// Node (ESM), Deno and Bun: import the installed package by name, run the seed example, print
// one line: YANN_RESULT {json}. The runtime test checks the numbers (seed-expected.ts).
import * as yann from 'yann'
import { runSeed } from './seed-program.js'

// Node, Deno and Bun compile the embedded wasm synchronously: wasm is the backend at import.
const backendAtImport = yann.getBackend()
await yann.ready()
// Which file `yann` resolved to: the exports map's conditions pick it per runtime.
const result = { backendAtImport, ...runSeed(yann), entry: import.meta.resolve('yann'), backendInfo: yann.backendInfo() }

// Plain Node only: the `yann/node` subpath shares one Tensor class with `yann` (one chunk).
if (globalThis.process?.release?.name === 'node' && !globalThis.Deno && !globalThis.Bun) {
  const { save, load } = await import('yann/node')
  const { tmpdir } = await import('node:os')
  const { join } = await import('node:path')
  const { rm } = await import('node:fs/promises')
  const file = join(tmpdir(), `yann-esm-${process.pid}.safetensors`)
  await save(file, { w: yann.tensor([[1, 2], [3, 4]]) })
  const { tensors } = await load(file)
  await rm(file, { force: true })
  result.nodeSubpath = { isTensor: tensors.w instanceof yann.Tensor, values: tensors.w.toArray() }
}

console.log('YANN_RESULT ' + JSON.stringify(result))
