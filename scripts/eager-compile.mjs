#!/usr/bin/env node
// Has V8 compile the functions a cold start runs together with their file, not one by one on
// their first call. Run by `npm run build` on dist/index.js and dist/index.node.js (and by
// bench/coldstart.ts on its bundle).
//
// V8 compiles a function lazily: at import it only pre-parses it (to find where it ends), and on the
// first call it parses it again and compiles it, ~10 µs a function. A function in parentheses,
// `(function f(…){…})`, is compiled with the code around it instead: V8 guesses it is called at
// once (a PIFE). esbuild drops such parentheses, so this works on its output: it runs the seed
// training step under `node --log-function-events`, and rewrites each top-level declaration
// `function f(…){…}` the import or the step first executes as `var f=(function(…){…});`.
// ~100 functions: ~0.45 ms of a ~15 ms cold start. Methods and closures have no such form; the
// functions nothing calls at start stay lazy (compiling all of them eagerly costs ~13 ms).
// The rewrite gives up hoisting (f is undefined until its line runs), so the step runs again on
// the result as the check that nothing used a function before its definition.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'acorn'
import { answerHelp } from './help.mjs'

/**
 * The seed network's training step, as JS that expects the package's namespace in `yann` and
 * leaves the loss in `loss`. bench/coldstart.ts times the same step.
 */
export const SEED_STEP = `
const W1 = [[0.1, 0.5, 0.3], [0.7, 0.2, 0.9], [0.4, 0.25, 0.75]], W2 = [[0.9, 0.6, 0.4], [0.3, 0.8, 0.7]]
const l1 = new yann.nn.Linear(3, 3), l2 = new yann.nn.Linear(3, 2)
l1.weight.data.set(W1.flat()); l1.bias.data.fill(0); l2.weight.data.set(W2.flat()); l2.bias.data.fill(0)
const model = new yann.nn.Sequential(l1, new yann.nn.ReLU(), l2, new yann.nn.Sigmoid())
const opt = new yann.optim.SGD(model.parameters(), { lr: 0.01 })
opt.zeroGrad()
const loss = new yann.nn.BCELoss().forward(model.forward(yann.tensor([0.23, 0.82, 0.47])), yann.tensor([1, 0]))
loss.backward()
opt.step()
`
/** Throws unless SEED_STEP's loss is the seed example's. */
export const SEED_CHECK = `if (Math.abs(loss.item() - 0.8701) > 1e-3) throw new Error('seed step: wrong loss ' + loss.item())\n`

/**
 * Rewrites `entry` (an ESM file exporting yann's API) and the files it imports in place; returns
 * how many functions now compile eagerly.
 */
export function eagerCompile(entry) {
  const dir = mkdtempSync(join(tmpdir(), 'yann-eager-'))
  try {
    const program = join(dir, 'seed.mjs')
    writeFileSync(program, `const yann = await import(${JSON.stringify(pathToFileURL(resolve(entry)).href)})\n${SEED_STEP}${SEED_CHECK}`)
    const log = join(dir, 'v8.log')
    execFileSync(process.execPath, ['--log-function-events', `--logfile=${log}`, '--no-logfile-per-isolate', program], { stdio: 'pipe' })
    let count = 0
    for (const [file, starts] of firstExecuted(readFileSync(log, 'utf8'))) {
      if (file === program) continue
      const { code, wrapped } = wrapDeclarations(readFileSync(file, 'utf8'), starts)
      writeFileSync(file, code)
      count += wrapped
    }
    execFileSync(process.execPath, [program], { stdio: 'pipe' }) // the check: imports and trains as before
    return count
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** From a V8 log: for each file:// script, where the functions it first executed start. */
function firstExecuted(log) {
  const files = new Map() // script id → path
  const starts = new Map() // path → offsets
  for (const line of log.split('\n')) {
    const f = line.split(',')
    if (f[0] === 'script-details' && f[2]?.startsWith('file:')) files.set(f[1], fileURLToPath(f[2]))
    if (f[0] === 'function' && f[1] === 'first-execution' && files.has(f[2])) {
      const file = files.get(f[2])
      if (!starts.has(file)) starts.set(file, [])
      starts.get(file).push(Number(f[3]))
    }
  }
  return starts
}

/**
 * `function f(…){…}` → `var f=(function(…){…});` for each top-level declaration whose head holds
 * one of `starts` (V8 logs a function's start at its parameter list).
 */
export function wrapDeclarations(code, starts) {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'module' })
  let out = ''
  let last = 0
  let wrapped = 0
  for (const st of ast.body) {
    if (st.type !== 'FunctionDeclaration' || !starts.some((s) => s >= st.start && s <= st.body.start)) continue
    const fn = `function${code.slice(st.id.end, st.end)}` // anonymous: V8 names it after the var
    out += `${code.slice(last, st.start)}var ${st.id.name}=(${fn});`
    last = st.end
    wrapped++
  }
  return { code: out + code.slice(last), wrapped }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  answerHelp(`Usage: node scripts/eager-compile.mjs [file…]   (run by npm run build)

Rewrites the functions the seed step runs in dist/index.js, dist/index.node.js and their chunks
(or in the files given) so that V8 compiles them with the file, not on their first call. A chunk
both entries share is rewritten once: the second pass finds its functions already wrapped.`)
  const dist = resolve(fileURLToPath(import.meta.url), '../../dist')
  const entries = process.argv.length > 2 ? process.argv.slice(2) : [resolve(dist, 'index.js'), resolve(dist, 'index.node.js')]
  for (const entry of entries) console.log(`eager-compile: ${eagerCompile(entry)} functions of ${entry} and its chunks compile with their file`)
}
