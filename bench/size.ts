/**
 * Suite 5: what a user ships, minified by esbuild and gzipped (level 9).
 *   yann         src/index.ts bundled and minified (= dist/index.js: the `yann` entry; Keras and
 *                the explainer are `yann/keras`, `yann/explain`), its embedded base64 wasm
 *                strings counted apart: JS alone + one binary (build/yann.wasm; the relaxed one
 *                is the same size within 0.1 KB)
 *   TF.js wasm   the least that trains on TF.js's wasm path: tfjs-core with its gradients and
 *                tfjs-backend-wasm, bundled and minified, + tfjs-backend-wasm-simd.wasm
 *   TF.js full   @tensorflow/tfjs (layers, converter, data, cpu and webgl backends) +
 *                tfjs-backend-wasm + the SIMD .wasm, for reference
 * Run alone: npm run bench:file -- bench/size.ts (npm run bench runs it too).
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { tfWasmDir } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'

const root = resolve(import.meta.dirname, '..')

export interface Size {
  name: string
  /** Bytes, minified + gzipped. */
  js: number
  wasm: number
  total: number
}

const gz = (b: Uint8Array): number => gzipSync(b, { level: 9 }).length

/** `keepSideEffects`: ignore package.json's sideEffects: false, which would drop the entry's wasm registration. */
async function minified(entry: { path?: string; contents?: string }, keepSideEffects = false): Promise<Buffer> {
  const out = await build({
    ...(entry.path ? { entryPoints: [entry.path] } : { stdin: { contents: entry.contents!, resolveDir: root, loader: 'js' } }),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['node:*', 'fs', 'path', 'worker_threads', 'perf_hooks', 'os', 'crypto', 'util'],
    define: { 'process.env.NODE_ENV': '"production"' },
    ignoreAnnotations: keepSideEffects,
    write: false,
    logLevel: 'silent',
  })
  return Buffer.from(out.outputFiles[0].contents)
}

export async function sizes(): Promise<Size[]> {
  // yann.wasm's base64 and yann-relaxed.wasm's delta from it (~0.7 kB of base64).
  const base64 = /(["'`])[A-Za-z0-9+/]{500,}={0,2}\1/g
  const yannJs = (await minified({ path: join(root, 'src/index.ts') })).toString('latin1')
  const embedded = yannJs.match(base64) ?? []
  if (embedded.length !== 2) throw new Error(`size: expected two embedded wasm strings (yann.wasm, yann-relaxed.wasm's delta) in yann's bundle, found ${embedded.length}`)
  const js = gz(Buffer.from(yannJs.replace(base64, '""'), 'latin1'))
  const yannWasm = gz(readFileSync(join(root, 'build/yann.wasm')))

  // A training program's imports, tree-shaken (what an app bundler keeps of yann for the seed step).
  const trainJs = (
    await minified({
      contents: `import { nn, optim, tensor } from ${JSON.stringify(join(root, 'src/index.ts'))}
const m = new nn.Sequential(new nn.Linear(3, 3), new nn.ReLU(), new nn.Linear(3, 2), new nn.Sigmoid())
const o = new optim.SGD(m.parameters(), { lr: 0.01 })
new nn.BCELoss().forward(m.forward(tensor([1, 2, 3])), tensor([1, 0])).backward()
o.step()`,
    }, true)
  ).toString('latin1')
  const trainOnly = gz(Buffer.from(trainJs.replace(base64, '""'), 'latin1'))
  const tfWasmFile = gz(readFileSync(join(tfWasmDir(), 'tfjs-backend-wasm-simd.wasm')))
  const tfCore = gz(
    await minified({
      contents: `export * from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-core/dist/register_all_gradients'
export * from '@tensorflow/tfjs-backend-wasm'`,
    }),
  )
  const tfFull = gz(await minified({ contents: `export * from '@tensorflow/tfjs'\nexport * from '@tensorflow/tfjs-backend-wasm'` }))
  return [
    { name: 'yann (the `yann` entry: dist/index.js)', js, wasm: yannWasm, total: js + yannWasm },
    { name: 'yann, tree-shaken to a training program (nn, optim, tensor)', js: trainOnly, wasm: yannWasm, total: trainOnly + yannWasm },
    { name: 'TF.js wasm path (tfjs-core + gradients + tfjs-backend-wasm)', js: tfCore, wasm: tfWasmFile, total: tfCore + tfWasmFile },
    { name: 'TF.js full (@tensorflow/tfjs + tfjs-backend-wasm)', js: tfFull, wasm: tfWasmFile, total: tfFull + tfWasmFile },
  ]
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- bench/size.ts

What a user ships, minified (esbuild) and gzipped (-9): the yann entry (JS + one binary), yann
tree-shaken to a training program, TF.js's wasm path and TF.js in full; one line per package.
  -h, --help  this message`)
  for (const s of await sizes()) console.log(`${s.name}: JS ${(s.js / 1000).toFixed(1)} KB + wasm ${(s.wasm / 1000).toFixed(1)} KB = ${(s.total / 1000).toFixed(1)} KB`)
}
