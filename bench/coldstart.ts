/**
 * Suite 4: cold start. A fresh `node` process per run: it imports the library, trains the seed
 * network for one step (forward, loss, backward, SGD) and reports two times from its own clock:
 *   process → step  from the process's start (performance.timeOrigin) to the finished step
 *   import → step   from just before the dynamic import to the finished step (the target's figure)
 * yann is loaded as a Node user gets it: the entry the package's `node` condition selects,
 * src/index.node.ts, bundled to one minified ESM file by esbuild as tsup builds dist/index.node.js,
 * with build/yann.wasm and build/yann-relaxed.wasm copied beside it as dist/ holds them (that entry
 * embeds no binary: it reads the one it loads from there, at import). No TypeScript is compiled at
 * run time, and the file is rewritten as `npm run build` rewrites dist (scripts/plain-namespaces.mjs:
 * namespace objects without getters; scripts/eager-compile.mjs: the functions the step runs compile
 * with the file). Twice: plain Node 20 (the probe picks
 * yann.wasm) and Node with --experimental-wasm-relaxed-simd (it picks yann-relaxed.wasm).
 * Run alone: npm run bench:file -- bench/coldstart.ts [--quick]
 * TF.js loads `@tensorflow/tfjs` and `@tensorflow/tfjs-backend-wasm` from node_modules.
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'
import { eagerCompile, SEED_CHECK, SEED_STEP } from '../scripts/eager-compile.mjs'
import { plainNamespacesOf } from '../scripts/plain-namespaces.mjs'
import { median } from './lib/measure.js'
import { type CpuProfile, formatTop, summarize } from './lib/profile.js'
import { tfWasmDir } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'

const root = resolve(import.meta.dirname, '..')

export interface ColdStart {
  name: string
  /** Medians over the runs, ms. */
  processToStep: number
  importToStep: number
  /** The fastest run's import → step, ms: on a loaded machine, the least disturbed one. */
  fastestImportToStep: number
  /** The import alone (TF.js: with its backend initialised), ms. */
  importOnly: number
  backend: string
  runs: number
  /** yann (yann.wasm) only: a CPU profile of one more run, as text lines. */
  profile?: string[]
}

/**
 * src/index.node.ts as one ESM file (the shape of dist/index.node.js; minified: as npm run build
 * leaves it) with the two binaries beside it; returns its path.
 */
export async function bundleYann(dir: string, minify = false): Promise<string> {
  const out = join(dir, minify ? 'yann.min.mjs' : 'yann.mjs')
  for (const binary of ['yann.wasm', 'yann-relaxed.wasm']) copyFileSync(join(root, 'build', binary), join(dir, binary))
  await build({
    entryPoints: [join(root, 'src/index.node.ts')],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    external: ['node:*'],
    minify,
    outfile: out,
    logLevel: 'error',
  })
  if (minify) {
    plainNamespacesOf(out)
    eagerCompile(out)
  }
  return out
}

const SEED = `
const W1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]], W2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]
const X = [0.23, 0.82, 0.47], Y = [1, 0]`

function yannChild(bundle: string): string {
  return `const t0 = performance.now()
const yann = await import(${JSON.stringify(bundle)})
const tImport = performance.now()
${SEED_STEP}
const t1 = performance.now()
${SEED_CHECK}
console.log(JSON.stringify({ processToStep: t1, importToStep: t1 - t0, importOnly: tImport - t0, backend: yann.getBackend() + (yann.backendInfo().relaxedSimd ? ', relaxed SIMD' : ', SIMD') }))
`
}

/** yannChild under V8's sampling profiler, from just before the import to the finished step. */
function yannProfiledChild(bundle: string): string {
  return `const { Session } = await import('node:inspector/promises')
const session = new Session()
session.connect()
await session.post('Profiler.enable')
await session.post('Profiler.setSamplingInterval', { interval: 20 })
await session.post('Profiler.start')
const us = () => Number(process.hrtime.bigint() / 1000n) // the profile's clock
const from = us()
const yann = await import(${JSON.stringify(bundle)})
${SEED_STEP}
const to = us()
${SEED_CHECK}
const { profile } = await session.post('Profiler.stop')
console.log(JSON.stringify({ profile, from, to }))
`
}

/** Where one cold start's import → step goes (yann.wasm): self time by function, as text lines. */
function coldProfile(file: string): string[] {
  const out = execFileSync(process.execPath, [file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 })
  const { profile, from, to } = JSON.parse(out.trim().split('\n').pop()!) as { profile: CpuProfile; from: number; to: number }
  const s = summarize(profile, { from, to, idle: true })
  return [
    `One cold start of yann (yann.wasm) under the profiler (20 µs sampling, which slows it): import → step ${((to - from) / 1000).toFixed(1)} ms; self time by function`,
    '(compileSourceTextModule: V8 parsing and compiling the bundle; Module: compiling the wasm binary; the bundle\'s own name: its top level running):',
    ...formatTop(s, 10),
  ]
}

function tfChild(backend: 'wasm' | 'cpu'): string {
  return `${SEED}
const t0 = performance.now()
const warn = console.warn, log = console.log
console.warn = console.log = () => {}
const tf = await import('@tensorflow/tfjs')
tf.env().set('PROD', true)
${backend === 'wasm' ? `const wasm = await import('@tensorflow/tfjs-backend-wasm')
wasm.setWasmPaths(${JSON.stringify(tfWasmDir())})
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false)` : ''}
await tf.setBackend(${JSON.stringify(backend)})
const tImport = performance.now()
console.warn = warn; console.log = log
const vars = [tf.variable(tf.tensor2d(W1).transpose()), tf.variable(tf.zeros([3])), tf.variable(tf.tensor2d(W2).transpose()), tf.variable(tf.zeros([2]))]
const [w1, b1, w2, b2] = vars
const x = tf.tensor2d([X]), y = tf.tensor2d([Y])
const opt = tf.train.sgd(0.01)
const loss = opt.minimize(() => tf.losses.logLoss(y, tf.sigmoid(tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2))), true, vars)
const value = loss.dataSync()[0]
const t1 = performance.now()
if (Math.abs(value - 0.8701) > 1e-3) throw new Error('wrong loss ' + value)
console.log(JSON.stringify({ processToStep: t1, importToStep: t1 - t0, importOnly: tImport - t0, backend: tf.getBackend() }))
`
}

function run(name: string, file: string, runs: number, flags: string[] = []): ColdStart {
  const p: number[] = []
  const i: number[] = []
  const o: number[] = []
  let backend = ''
  for (let r = 0; r < runs; r++) {
    const out = execFileSync(process.execPath, [...flags, file], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    const line = out.trim().split('\n').pop()!
    const t = JSON.parse(line) as { processToStep: number; importToStep: number; importOnly: number; backend: string }
    p.push(t.processToStep)
    i.push(t.importToStep)
    o.push(t.importOnly)
    backend = t.backend
  }
  return { name, processToStep: median(p), importToStep: median(i), fastestImportToStep: Math.min(...i), importOnly: median(o), backend, runs }
}

export async function coldStarts(quick: boolean): Promise<ColdStart[]> {
  // The child scripts live in bench/ so that `@tensorflow/...` resolves from this package's
  // node_modules; the bundle too, so two checkouts benchmarking at once never share one.
  const cache = join(root, 'bench/results/.cache')
  mkdirSync(cache, { recursive: true })
  writeFileSync(join(cache, '.gitignore'), '*\n')
  const bundle = await bundleYann(cache, true)
  const files = {
    yann: join(cache, 'cold-yann.mjs'),
    profiled: join(cache, 'cold-yann-profiled.mjs'),
    'tfjs-wasm': join(cache, 'cold-tfjs-wasm.mjs'),
    'tfjs-cpu': join(cache, 'cold-tfjs-cpu.mjs'),
  }
  writeFileSync(files.yann, yannChild(bundle))
  writeFileSync(files.profiled, yannProfiledChild(bundle))
  writeFileSync(files['tfjs-wasm'], tfChild('wasm'))
  writeFileSync(files['tfjs-cpu'], tfChild('cpu'))
  const runs = quick ? 3 : Number(process.env.YANN_COLD_RUNS ?? 9)
  return [
    { ...run('yann (yann.wasm)', files.yann, runs), profile: coldProfile(files.profiled) },
    run('yann (yann-relaxed.wasm)', files.yann, runs, ['--experimental-wasm-relaxed-simd']),
    run('tfjs-wasm', files['tfjs-wasm'], runs),
    run('tfjs-cpu', files['tfjs-cpu'], runs),
  ]
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  answerHelp(`Usage: npm run bench:file -- bench/coldstart.ts [--quick]

Cold start in fresh Node processes: import → first seed training step, yann (both binaries),
TF.js-wasm and TF.js-cpu; prints one JSON line per contestant.
  --quick     fewer runs
  -h, --help  this message`)
  for (const c of await coldStarts(process.argv.includes('--quick'))) console.log(JSON.stringify(c))
}
