/**
 * `npm run bench`: every suite, yann (wasm and ts backends, from src/ through bench/lib/loader.mjs) against
 * TensorFlow.js (wasm and cpu backends) in this one process; writes bench/results/ (benny's
 * JSON and chart per comparison, summary.md) and prints every target, reached or not.
 *
 * `npm run bench -- --quick`: fewer sizes and shorter rounds, no benny runs, about 4 minutes;
 * writes bench/results/quick/summary.md (not committed).
 *
 * Figures are medians of interleaved rounds timed in CPU time (see lib/measure.ts).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as yann from '../src/index.js'
import { binariesTable, compareBinaries, groupRates } from './binaries.js'
import { cnnSuite, tfWasmTrainError } from './cnn.js'
import { coldStarts } from './coldstart.js'
import { compileTables, mnistExampleProfiles, runCompileBench } from './compile.js'
import { gemmCases, gemmSuite, VARIANTS } from './gemm.js'
import { bennySuite } from './lib/benny.js'
import { measure, rate, type Result } from './lib/measure.js'
import { formatTop, profile } from './lib/profile.js'
import type { Suite } from './lib/suite.js'
import { loadTf } from './lib/tfjs.js'
import { SEED_NET, yannStep } from './models.js'
import { sizeBreakdown } from './size-breakdown.js'
import { sizes } from './size.js'
import { mlpSuite, seedSuite } from './training.js'
import { gptBench } from './gpt.js'
import { surfaceBench } from './surface-quick.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench [-- --quick]   (node --import ./bench/lib/loader.mjs bench/run.ts [--quick])

Every benchmark suite, yann (wasm and ts) against TensorFlow.js (wasm and cpu); about 23 minutes.
Writes bench/results/ (benny JSON and charts, summary.md) and prints every target.
  --quick     fewer sizes, shorter rounds, no benny runs (about 4 minutes); writes bench/results/quick/
  -h, --help  this message`)

const quick = process.argv.includes('--quick')
const root = resolve(import.meta.dirname, '..')
const folder = join(root, 'bench/results', quick ? 'quick' : '')
mkdirSync(folder, { recursive: true })
if (quick) writeFileSync(join(folder, '.gitignore'), '*\n')
const started = performance.now()

const log = (s = ''): void => console.log(s)
const f = (x: number, d = 1): string => (Number.isFinite(x) ? x.toFixed(d) : '–')
const k = (x: number): string => (x >= 1e4 ? Math.round(x).toLocaleString('en-US') : x >= 100 ? x.toFixed(0) : x.toPrecision(3))

type Measured = Map<string, Map<string, Result>>

async function runSuite(suite: Suite): Promise<Measured> {
  const out: Measured = new Map()
  for (const g of await suite.groups(quick)) {
    const cases = await g.cases()
    const results = await measure(cases, quick ? { rounds: 5, minBlockMs: 15, warmupMs: 100 } : { rounds: 9, minBlockMs: 60, warmupMs: 300 })
    out.set(g.key, new Map(results.map((r) => [r.name, r])))
    log(`${suite.title}, ${g.key}: ${results.map((r) => `${r.name} ${suite.name === 'gemm' || r.work > 1 ? `${f(rate(r) / 1e9)} GFLOP/s` : `${k(rate(r))}/s`}`).join(', ')}`)
    if (!quick) {
      // File names in ASCII: A·B → AB, A·Bᵀ → ABt, Aᵀ·B → AtB.
      const key = g.key.replace(/ᵀ/g, 't').replace(/·/g, '')
      const file = `${suite.name}-${key.replace(/[^A-Za-z0-9=]+/g, '-').replace(/-+$/, '')}`
      await bennySuite(`${suite.title}, ${g.key}`, file, cases, { folder, maxTime: 0.5, minSamples: 5 })
    }
  }
  return out
}

// ---------------------------------------------------------------- run

log(`yann benchmarks${quick ? ' (quick)' : ''}: node ${process.version}, ${new Date().toISOString()}`)
// Under tsx (esbuild keepNames) a nested named function's source holds a __name call; bench/lib/loader.mjs
// bundles and minifies this file (the name is gone), unless it was imported rather than run.
const probeSource = String(() => { function probe(): void {} return probe })
const loadedBy = probeSource.includes('__name') ? 'tsx, keepNames: reads slow' : probeSource.includes('probe') ? 'bench/lib/loader.mjs, file by file' : 'bench/lib/loader.mjs, one bundle as dist/'
log(`Medians of interleaved rounds in CPU time; yann from src/ through ${loadedBy} (default backend: ${yann.getBackend()}).`)
await loadTf()
const gemm = await runSuite(gemmSuite)
const mlp = await runSuite(mlpSuite)
const seed = await runSuite(seedSuite)
const cnnTfWasm = await tfWasmTrainError()
log(`CNN training step, TF.js-wasm: cannot train: ${cnnTfWasm}`)
const cnn = await runSuite(cnnSuite)
const gpt = await gptBench(quick, log)
log('compile(): the seed and MLP steps compiled vs eager, memory over compiled steps (child process)...')
const compiled = runCompileBench(quick)
log('Hot ops of the tensor surface (softmax, logsumexp, argmax, gelu; yann wasm and ts against TF.js-wasm)...')
await surfaceBench(log)
log('Cold start (fresh processes)...')
const cold = await coldStarts(quick)
const size = await sizes()
log('yann.wasm against yann-relaxed.wasm (child processes)...')
const binaries = compareBinaries(quick)

// The share of an MLP step spent staging arrays through the wasm arena (yann-wasm).
log('Profiling the staging share of an MLP step...')
const staging: { batch: number; copy: number; staging: number; top: string[] }[] = []
for (const batch of quick ? [32] : [1, 32, 256]) {
  yann.setBackend('wasm')
  const { step } = yannStep({ inF: 784, hidden: 256, outF: 10, batch })
  for (let i = 0; i < 5; i++) step()
  const p = await profile(step, quick ? 600 : 2500)
  staging.push({
    batch,
    copy: p.inclusive(['copyIn', 'copyOut'], 'backend/wasm/runtime'),
    staging: p.inclusive(['stage', 'finish'], 'backend/wasm/runtime'),
    top: formatTop(p, 12),
  })
}

// ---------------------------------------------------------------- targets

interface Target {
  what: string
  reached: boolean
  measured: string
  /** Why not, and where the time goes (filled for missed targets). */
  profile?: string[]
  /** A missed public-API GEMM target: the variant and size to profile. */
  gemmAt?: { variant: (typeof VARIANTS)[number]; n: number }
}
const targets: Target[] = []
const get = (m: Measured, key: string, name: string): Result | undefined => m.get(key)?.get(name)
const ratio = (m: Measured, key: string, a: string, b: string): number => {
  const ra = get(m, key, a)
  const rb = get(m, key, b)
  return ra && rb ? rate(ra) / rate(rb) : NaN
}

const gemmSizes = [...new Set([...gemm.keys()].map((key) => Number(/n=(\d+)/.exec(key)![1])))]
const big = gemmSizes.filter((n) => n >= 256)
// The same ratio on yann-relaxed.wasm, from the binaries table's relaxed child (against TF.js-wasm
// measured beside it); targets are judged on yann.wasm, the binary Node 20 picks without a flag.
const onRelaxed = (key: string, who: string, d: number): string | undefined => {
  const g = groupRates(binaries, key, who)
  return g ? `${f(g.relaxed / g.tfRelaxed, d)}×` : undefined
}
const relaxedSizes = (variant: string, who: string, d: number): string => {
  const shown = big.flatMap((n) => {
    const r = onRelaxed(`GEMM n=${n} ${variant}`, who, d)
    return r ? [`n=${n}: ${r}`] : []
  })
  return shown.length ? `; yann-relaxed.wasm ${shown.join(', ')}` : ''
}

for (const who of ['yann-wasm', 'yann-wasm kernel']) {
  const via = who === 'yann-wasm' ? 'public API' : 'raw kernel'
  for (const [variant, goal] of [[VARIANTS[0], 1.3], [VARIANTS[1], 15], [VARIANTS[2], 15]] as const) {
    const rs = big.map((n) => ratio(gemm, `n=${n} ${variant.name}`, who, 'tfjs-wasm'))
    const missedAt = big.find((_, i) => !(rs[i] >= goal))
    targets.push({
      what: `GEMM ${variant.name} ≥ ${goal}× TF.js-wasm at n ≥ 256 (${via})`,
      reached: rs.length > 0 && missedAt === undefined,
      measured: big.map((n, i) => `n=${n}: ${f(rs[i], 2)}×`).join(', ') + relaxedSizes(variant.name, who, 2),
      gemmAt: who === 'yann-wasm' && missedAt !== undefined ? { variant, n: missedAt } : undefined,
    })
  }
  if (gemmSizes.includes(512)) {
    const g = VARIANTS.map((v) => rate(get(gemm, `n=512 ${v.name}`, who)!) / 1e9)
    targets.push({
      what: `GEMM ≥ 30 GFLOP/s on all three variants at n = 512 (${via})`,
      reached: g.every((x) => x >= 30),
      measured: VARIANTS.map((v, i) => `${v.name} ${f(g[i])}`).join(', ') + ' GFLOP/s',
      gemmAt: who === 'yann-wasm' ? { variant: VARIANTS[g.indexOf(Math.min(...g))], n: 512 } : undefined,
    })
  }
}
const mlpGoals: [number, number][] = [
  [256, 10],
  [1, 10],
  [32, 8],
]
for (const [batch, goal] of mlpGoals) {
  if (!mlp.has(`batch ${batch}`)) continue
  const r = ratio(mlp, `batch ${batch}`, 'yann-wasm', 'tfjs-wasm')
  const relaxed = onRelaxed(`MLP step batch ${batch}`, 'yann-wasm', 1)
  targets.push({ what: `MLP step ≥ ${goal}× TF.js-wasm at batch ${batch}`, reached: r >= goal, measured: `${f(r, 1)}×${relaxed ? ` (yann-relaxed.wasm ${relaxed})` : ''}` })
}
{
  const s = rate(get(seed, '3-3-2', 'yann-wasm')!)
  const t = rate(get(seed, '3-3-2', 'tfjs-wasm')!)
  targets.push({
    what: 'Seed network ≥ 250 000 steps/s through the autograd API (yann-wasm, the default backend)',
    reached: s >= 250_000,
    measured: `${k(s)} steps/s (${f(s / t, 0)}× TF.js-wasm; yann-ts ${k(rate(get(seed, '3-3-2', 'yann-ts')!))})`,
  })
}
{
  for (const y of cold.filter((c) => c.name.startsWith('yann'))) {
    targets.push({
      what: `Cold start ≤ 15 ms from import to the first finished step, ${y.name}`,
      reached: y.importToStep <= 15,
      measured: `${f(y.importToStep)} ms (import ${f(y.importOnly)} ms; from process start ${f(y.processToStep)} ms)`,
      profile: y.importToStep <= 15 ? undefined : y.profile,
    })
  }
  const s = size[0]
  targets.push({
    what: 'The `yann` entry, JS + one wasm binary ≤ 40 KB minified and gzipped',
    reached: s.total <= 40_000,
    measured: `${f(s.total / 1000)} KB (JS ${f(s.js / 1000)} + wasm ${f(s.wasm / 1000)}; tree-shaken to a training program ${f(size[1].total / 1000)} KB)`,
    profile: s.total <= 40_000 ? undefined : ["What the entry's JS is made of (bench/size-breakdown.ts; the binary's bytes: bench/README.md, Size):", ...(await sizeBreakdown())],
  })
}
if (mlp.has('batch 256')) {
  const r = ratio(mlp, 'batch 256', 'yann-wasm', 'yann-ts')
  targets.push({ what: 'wasm ≥ 20× ts on the MLP step at batch 256', reached: r >= 20, measured: `${f(r, 1)}×` })
}

{
  const key = 'training step batch 64'
  const step = get(cnn, key, 'yann-wasm')!
  const compiledStep = get(cnn, key, 'yann-wasm compile()')!
  const r = ratio(cnn, key, 'yann-wasm', 'tfjs-cpu')
  targets.push({
    what: 'CNN training step ≤ 10 ms (yann-wasm, batch 64)',
    reached: Math.min(step.cpu, compiledStep.cpu) <= 0.01,
    measured: `eager ${f(step.cpu * 1000)} ms, compile() ${f(compiledStep.cpu * 1000)} ms (one-hot targets) (TF.js-wasm cannot train: ${cnnTfWasm})`,
  })
  targets.push({ what: 'CNN training step ≥ 200× TF.js-cpu', reached: r >= 200, measured: `${f(r, 0)}×` })
  const convs = [...cnn.keys()].filter((k) => k.startsWith('conv2d'))
  const cr = convs.map((k) => ratio(cnn, k, 'yann-wasm', 'tfjs-wasm'))
  targets.push({ what: 'conv2d 3×3 forward ≥ 1× TF.js-wasm (XNNPACK)', reached: cr.length > 0 && cr.every((x) => x >= 1), measured: convs.map((k, i) => `${k.replace('conv2d 3x3 ', '')}: ${f(cr[i], 2)}×`).join(', ') })
  const wasm = gpt.ms.get('yann-wasm') ?? NaN
  const vsJsPytorch = (gpt.ms.get('js-pytorch') ?? NaN) / wasm
  const bestTf = Math.min(...[...gpt.ms].filter(([name]) => name.startsWith('tfjs')).map(([, ms]) => ms))
  targets.push({ what: 'GPT iteration ≥ 10× js-pytorch', reached: vsJsPytorch >= 10, measured: `${f(vsJsPytorch, 1)}×` })
  targets.push({ what: 'GPT iteration ≥ 5× the best TF.js backend', reached: bestTf / wasm >= 5, measured: `${f(bestTf / wasm, 1)}×` })
}

{
  const perSecond = (rows: typeof compiled.seed, name: string): number => rows.find((r) => r.name === name || r.name.startsWith(`${name} [`))?.perSecond ?? NaN // compiled rows end in ' [<path> replay]'
  const wasm = perSecond(compiled.seed, 'yann compiled, wasm, all kernels')
  const ts = perSecond(compiled.seed, 'yann compiled, ts')
  targets.push({
    what: 'Seed step compiled ≥ 2 000 000 steps/s (wasm or ts, whichever is faster)',
    reached: Math.max(wasm, ts) >= 2e6,
    measured: `wasm interpreter ${k(wasm)}, ts ${k(ts)} steps/s (eager wasm ${k(perSecond(compiled.seed, 'yann eager, wasm'))}; brain.js ${k(perSecond(compiled.seed, 'brain.js 1.6.1 trainPattern'))})`,
  })
  // The MNIST MLP is the example's (examples/mnist.ts); the 784-256-10 MLP, with more arithmetic per step, is quoted beside it.
  const mnistRatio = perSecond(compiled.mnist, 'MNIST example compiled, wasm') / perSecond(compiled.mnist, 'MNIST example eager, wasm')
  const mlpRatio = perSecond(compiled.mlp, 'MLP compiled, wasm') / perSecond(compiled.mlp, 'MLP eager, wasm')
  targets.push({
    what: 'MNIST MLP at batch 64 compiled ≥ 1.2× eager (wasm)',
    reached: mnistRatio >= 1.2,
    measured: `${f(mnistRatio, 2)}× (examples/mnist.ts, 784-128-10); 784-256-10: ${f(mlpRatio, 2)}×`,
  })
  // Flat: the post-GC JS heap within 1 MB and the wasm memory unchanged over the run.
  const flat = compiled.memory.every((m) => m.heapMB[1] - m.heapMB[0] < 1 && m.wasmBytes[1] === m.wasmBytes[0])
  const steps = compiled.memory[0]?.steps ?? 0
  targets.push({
    what: `Memory flat over ${steps.toLocaleString('en-US')} compiled seed steps (JS heap after GC, wasm memory)`,
    reached: flat,
    measured: compiled.memory.map((m) => `${m.backend}: heap ${f(m.heapMB[0], 2)} → ${f(m.heapMB[1], 2)} MB, wasm ${m.wasmBytes[0] === m.wasmBytes[1] ? 'unchanged' : `${m.wasmBytes[0]} → ${m.wasmBytes[1]} bytes`}`).join('; '),
  })
}

// Profiles for the missed targets that a step profile can explain.
for (const t of targets) {
  if (t.reached) continue
  const batch = /MLP step .* batch (\d+)/.exec(t.what)?.[1]
  if (batch) {
    const s = staging.find((x) => x.batch === Number(batch))
    if (s) t.profile = [`yann-wasm MLP step, batch ${batch}, self time by function:`, ...s.top]
  } else if (t.what.startsWith('Seed')) {
    yann.setBackend('wasm')
    const { step } = yannStep(SEED_NET)
    const p = await profile(step, quick ? 600 : 2500)
    t.profile = ['yann-wasm seed step, self time by function:', ...formatTop(p, 15)]
  } else if (t.what.startsWith('MNIST')) {
    t.profile = await mnistExampleProfiles(quick ? 600 : 2500)
  } else if (t.gemmAt) {
    const { variant, n } = t.gemmAt
    const publicCase = (await gemmCases(n, variant, false)).find((c) => c.name === 'yann-wasm')!
    await publicCase.before?.()
    for (let i = 0; i < 5; i++) publicCase.fn()
    const p = await profile(publicCase.fn, quick ? 600 : 2500)
    t.profile = [
      `yann-wasm ${variant.name} at n = ${n} through the public API, self time by function (the kernel alone: the raw-kernel rows;`,
      `the rest stages a and b into the wasm arena, allocates the result and copies it out${variant.transA ? ', after copying a.T' : ''}):`,
      ...formatTop(p, 12),
    ]
  }
}

// ---------------------------------------------------------------- report

const md: string[] = []
md.push(`Measured by \`npm run bench${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}, a shared 2-core machine.`)
md.push('Medians of interleaved rounds (every contestant in each round, same process), timed in CPU time.')
md.push('yann runs from `src/` (wasm: the default backend, small ops dispatched to TypeScript; ts: the reference backend);')
md.push('TF.js 4.22.0 is `@tensorflow/tfjs` with `tfjs-backend-wasm` (SIMD, single thread) or its `cpu` backend, in production mode.')
md.push('')
md.push('### GEMM float32, GFLOP/s (2n³ / time)')
md.push('')
md.push('yann public API: `matmul(a, b)`, `F.linear(a, b)` (= a·bᵀ), `matmul(a.T, b)` on JS-memory tensors, staging included. Kernel: `gemm` with transA/transB on wasm-resident arrays.')
md.push('')
md.push('| n | variant | yann-wasm | yann-wasm kernel | yann-ts | TF.js wasm | TF.js cpu | wasm / TF.js-wasm | kernel / TF.js-wasm |')
md.push('|---:|:---|---:|---:|---:|---:|---:|---:|---:|')
for (const [key, m] of gemm) {
  const [n, v] = key.replace('n=', '').split(' ')
  const g = (name: string) => (m.has(name) ? f(rate(m.get(name)!) / 1e9) : '–')
  md.push(`| ${n} | ${v} | ${g('yann-wasm')} | ${g('yann-wasm kernel')} | ${g('yann-ts')} | ${g('tfjs-wasm')} | ${g('tfjs-cpu')} | ${f(ratio(gemm, key, 'yann-wasm', 'tfjs-wasm'), 2)}× | ${f(ratio(gemm, key, 'yann-wasm kernel', 'tfjs-wasm'), 2)}× |`)
}
md.push('')
md.push('### MLP 784-256-10 training step (ReLU, Sigmoid, BCE mean, SGD lr 0.01), ms per step')
md.push('')
md.push('| batch | yann-wasm | yann-ts | TF.js wasm | TF.js cpu | yann-wasm / TF.js-wasm | yann-wasm / yann-ts |')
md.push('|---:|---:|---:|---:|---:|---:|---:|')
for (const [key, m] of mlp) {
  const ms = (name: string) => f(m.get(name)!.cpu * 1e3, 3)
  md.push(`| ${key.replace('batch ', '')} | ${ms('yann-wasm')} | ${ms('yann-ts')} | ${ms('tfjs-wasm')} | ${ms('tfjs-cpu')} | ${f(ratio(mlp, key, 'yann-wasm', 'tfjs-wasm'), 1)}× | ${f(ratio(mlp, key, 'yann-wasm', 'yann-ts'), 1)}× |`)
}
md.push('')
md.push('Share of a yann-wasm MLP step spent in the wasm arena staging (CPU profile, inclusive time):')
md.push('')
md.push('| batch | copying in/out (copyIn, copyOut) | all staging (stage, finish) |')
md.push('|---:|---:|---:|')
for (const s of staging) md.push(`| ${s.batch} | ${f(100 * s.copy)}% | ${f(100 * s.staging)}% |`)
md.push('')
md.push('### Seed 3-3-2 network, one training step (forward, loss, backward, SGD), steps/s')
md.push('')
md.push('| yann-wasm | yann-ts | TF.js wasm | TF.js cpu | plain JS (hand-written) | yann-wasm / TF.js-wasm | yann-wasm / plain JS |')
md.push('|---:|---:|---:|---:|---:|---:|---:|')
{
  const m = seed.get('3-3-2')!
  const s = (name: string) => k(rate(m.get(name)!))
  md.push(`| ${s('yann-wasm')} | ${s('yann-ts')} | ${s('tfjs-wasm')} | ${s('tfjs-cpu')} | ${s('plain JS')} | ${f(ratio(seed, '3-3-2', 'yann-wasm', 'tfjs-wasm'), 0)}× | ${f(ratio(seed, '3-3-2', 'yann-wasm', 'plain JS'), 3)}× |`)
}
md.push('')
md.push('### Cold start: a fresh `node` process trains the seed network for one step (median of runs)')
md.push('')
md.push('| library | backend | import → first step | fastest run | of which import | process start → first step |')
md.push('|:---|:---|---:|---:|---:|---:|')
for (const c of cold) md.push(`| ${c.name} | ${c.backend} | ${f(c.importToStep)} ms | ${f(c.fastestImportToStep)} ms | ${f(c.importOnly)} ms | ${f(c.processToStep)} ms |`)
md.push('')
md.push('yann is what the package gives Node (its `node` condition): src/index.node.ts bundled and minified by esbuild to one ESM file as dist/index.node.js ships (no binary embedded: it reads yann.wasm or yann-relaxed.wasm from beside itself; namespace objects and the functions a cold start runs rewritten by scripts/plain-namespaces.mjs and scripts/eager-compile.mjs), in plain Node 20 (yann.wasm) and with --experimental-wasm-relaxed-simd (yann-relaxed.wasm); TF.js loads from node_modules (import includes backend initialisation).')
md.push('')
md.push('### Size: minified (esbuild) + gzip -9')
md.push('')
md.push('| package | JS | wasm | total |')
md.push('|:---|---:|---:|---:|')
for (const s of size) md.push(`| ${s.name} | ${f(s.js / 1000)} KB | ${f(s.wasm / 1000)} KB | ${f(s.total / 1000)} KB |`)
md.push('')
md.push('### yann.wasm against yann-relaxed.wasm (one child process per binary; TF.js-wasm measured in each)')
md.push('')
md.push(...binariesTable(binaries))
md.push('### GPT training iteration (4 layers, 4 heads, width 128, context 64, batch 12), ms of CPU time')
md.push('')
md.push(`| ${[...gpt.ms.keys()].join(' | ')} |`)
md.push(`|${[...gpt.ms.keys()].map(() => '---:').join('|')}|`)
md.push(`| ${[...gpt.ms.values()].map((ms) => f(ms, 1)).join(' | ')} |`)
for (const e of gpt.errors) md.push(`\nCannot train: ${e}`)
md.push('')
md.push('### compile(): a captured step replayed (bench/compile.ts, one child process with --expose-gc)')
md.push('')
md.push(...compileTables(compiled))
md.push('')
md.push('### Targets')
md.push('')
md.push('Reached is judged on yann.wasm, the binary Node 20 picks without a flag; the yann-relaxed.wasm figures beside some rows come from the binaries table above.')
md.push('')
md.push('| target | measured | reached |')
md.push('|:---|:---|:---:|')
for (const t of targets) md.push(`| ${t.what} | ${t.measured} | ${t.reached ? 'yes' : '**no**'} |`)
const missed = targets.filter((t) => t.profile)
if (missed.length) {
  md.push('')
  md.push('Profiles behind missed targets:')
  for (const t of missed) {
    md.push('')
    md.push(`${t.what}:`)
    md.push('```')
    md.push(...t.profile!)
    md.push('```')
  }
}
const seconds = (performance.now() - started) / 1000
md.push('')
md.push(`Whole run: ${f(seconds, 0)} s.`)

writeFileSync(join(folder, 'summary.md'), `# yann benchmarks${quick ? ' (quick)' : ''}\n\n${md.join('\n')}\n`)
log('')
log(md.join('\n'))
log('')
log(`Targets: ${targets.filter((t) => t.reached).length} of ${targets.length} reached.`)
for (const t of targets) log(`  ${t.reached ? 'reached' : 'MISSED '}  ${t.what}: ${t.measured}`)
log(`Wrote ${join(folder, 'summary.md')}${quick ? '' : ' and the benny JSON/charts beside it'} in ${f(seconds, 0)} s.`)
