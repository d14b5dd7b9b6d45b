import { describe, expect, it } from 'vitest'
import { grad, jacobian, nn, noGrad, Tensor } from '../../src/index.js'
import { lossOf, randomProgram, run, type Program } from './fuzz-graph.js'
import { mulberry32 } from '../rng.js'

/**
 * A seeded fuzz of the autograd engine on random computation graphs (fuzz-graph.ts,
 * fuzz-graph-nn.ts): several leaves (some requiresGrad, some not, some Parameters, shared by
 * several paths), reused intermediates, detached and noGrad branches, multi-output ops, several
 * outputs weighted into one loss. Each graph checks, in float64:
 * - backward() on every leaf, and grad() of one intermediate, against central finite
 *   differences (see expectNearFd); a leaf without requiresGrad gets no `.grad`;
 * - grad() returns what backward put in `.grad` and leaves `.grad` alone; a second
 *   backward({ retainGraph: true }) doubles `.grad`; the outputs backwarded one by one sum to it;
 * - jacobian() of the first output: its rows weighted by the output's weights give its gradient;
 * - a backward after backward() without retainGraph is a clear error;
 * - an in-place write (zero_, copy_, add_…, through a view) to a leaf or a constant: backward
 *   either refuses, naming the op that saved it (PyTorch's version counter), or gives exactly
 *   the gradient of the unmodified graph (nothing saved it);
 * and the same graph in float32, and with mixed float32/float64 leaves, matches float64's
 * gradients within float32 rounding, each gradient in its leaf's dtype.
 * Runs on the backend of the vitest project (ts, or wasm with every kernel in wasm). Longer:
 * YANN_FUZZ_GRAPHS=20000 npx vitest run --project ts --project wasm test/autograd/fuzz.test.ts
 * (default 1000 graphs, a few seconds per backend); YANN_FUZZ_SEED picks the first seed.
 */

const GRAPHS = Number(process.env.YANN_FUZZ_GRAPHS ?? 1000)
const FIRST = Number(process.env.YANN_FUZZ_SEED ?? 1)

const copyLeaf = (t: Tensor): Tensor => {
  const c = new Tensor(t.data.slice(), [...t.shape])
  if (t instanceof nn.Parameter) return new nn.Parameter(c, t.requiresGrad)
  c.requiresGrad = t.requiresGrad
  return c
}

/** Central finite differences of `f` with respect to the elements of `x` (written in place, then restored). */
function finiteDifference(f: () => number, x: Tensor, eps: number): Float64Array {
  const g = new Float64Array(x.numel())
  for (let i = 0; i < g.length; i++) {
    const orig = x.data[i]
    x.data[i] = orig + eps
    const plus = noGrad(f)
    x.data[i] = orig - eps
    const minus = noGrad(f)
    x.data[i] = orig
    g[i] = (plus - minus) / (2 * eps)
  }
  return g
}

/** The loss's finite differences with respect to each leaf (float64). */
function finiteDifferences(program: Program, eps: number): Float64Array[] {
  const base = program.leaves.map((t) => new Tensor(t.data.slice(), [...t.shape]))
  return base.map((leaf) => finiteDifference(() => lossOf(program, run(program, base)).item(), leaf, eps))
}

/**
 * `got` against central differences with step 1e-6 (truncation ~step²·f''', rounding ~1e-16·|f|/step),
 * or else 1e-7, 1e-8: a sharply curved graph (layerNorm near zero variance) needs a smaller step.
 */
function expectNearFd(what: string, got: ArrayLike<number>, fdAt: (eps: number) => ArrayLike<number>): void {
  if (mismatch(got, fdAt(1e-6), 1e-6, 1e-5) === null || mismatch(got, fdAt(1e-7), 1e-5, 1e-5) === null) return
  expectClose(what, got, fdAt(1e-8), 1e-5, 1e-5)
}

/** grad() with respect to an intermediate: finite differences with that intermediate made a leaf. */
function checkIntermediate(program: Program, what: string, pool: Tensor[], loss: Tensor, seed: number): void {
  const n = program.leaves.length
  const mids = pool.map((_, m) => m).filter((m) => m >= n && pool[m].requiresGrad && pool.indexOf(pool[m]) === pool.lastIndexOf(pool[m]))
  if (mids.length === 0) return
  const m = mids[seed % mids.length]
  const [got] = grad(loss, [pool[m]], undefined, { retainGraph: true })
  const by = new Tensor(pool[m].data.slice(), [...pool[m].shape])
  const f = (): number => lossOf(program, run(program, program.leaves, { at: m, by })).item()
  expectNearFd(`${what}: grad() of intermediate ${m}`, got?.data ?? new Float64Array(by.numel()), (eps) => finiteDifference(f, by, eps))
}

/** The first index where |got − want| > atol + rtol·|want| (NaN counts), or null. */
function mismatch(got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): number | null {
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i] - want[i]) <= atol + rtol * Math.abs(want[i]))) return i
  return null
}

function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, atol: number, rtol: number): void {
  expect(got.length, what).toBe(want.length)
  const i = mismatch(got, want, atol, rtol)
  if (i !== null) expect.fail(`${what}[${i}]: got ${got[i]}, want ${want[i]} (± ${atol + rtol * Math.abs(want[i])})`)
}

const gradOrZeros = (t: Tensor): ArrayLike<number> => t.grad?.data ?? new Float64Array(t.numel())
const describeProgram = (seed: number, p: Program): string =>
  `seed ${seed}: leaves ${p.leaves.map((t) => `[${t.shape}]${t.requiresGrad ? '*' : ''}`).join(' ')}; ${p.steps.map((s) => s.name).join(' → ')}; outputs ${p.outputs}`

function checkGraph(seed: number): void {
  const program = randomProgram(seed)
  const what = describeProgram(seed, program)
  const leaves = program.leaves
  const active = leaves.filter((t) => t.requiresGrad)
  const pool = run(program, leaves)
  const loss = lossOf(program, pool)
  const fd = finiteDifferences(program, 1e-6)
  if (!loss.requiresGrad) {
    // Every path went through a constant branch: finite differences must see no dependence either.
    fd.forEach((g, k) => leaves[k].requiresGrad && expectClose(`${what}: fd of leaf ${k}`, g, new Float64Array(g.length), 1e-6, 0))
    return
  }

  // backward vs finite differences; no .grad without requiresGrad.
  loss.backward({ retainGraph: true })
  leaves.forEach((t, k) => {
    if (!t.requiresGrad) return expect(t.grad, `${what}: leaf ${k} has no requiresGrad`).toBeNull()
    expectNearFd(`${what}: grad of leaf ${k}`, gradOrZeros(t), (eps) => (eps === 1e-6 ? fd : finiteDifferences(program, eps))[k])
  })
  const first = leaves.map((t) => (t.grad ? Float64Array.from(t.grad.data) : null))

  // grad() gives the same and leaves .grad alone.
  const got = grad(loss, active, undefined, { retainGraph: true })
  active.forEach((t, k) => {
    expectClose(`${what}: grad() of active leaf ${k}`, got[k]?.data ?? new Float64Array(t.numel()), gradOrZeros(t), 0, 0)
    expect(Array.from(gradOrZeros(t)), `${what}: grad() changed .grad`).toEqual(Array.from(first[leaves.indexOf(t)] ?? new Float64Array(t.numel())))
  })

  checkIntermediate(program, what, pool, loss, seed)

  // The largest gradient anywhere in the graph: what sums of gradients round against.
  const flowing = grad(loss, pool.filter((t) => t.requiresGrad), undefined, { retainGraph: true })
  const scale = Math.max(1, ...flowing.flatMap((g) => (g ? Array.from(g.data, Math.abs) : [])))

  // A second backward accumulates: 2×.
  loss.backward({ retainGraph: true })
  leaves.forEach((t, k) => {
    if (first[k]) expectClose(`${what}: accumulated grad of leaf ${k}`, gradOrZeros(t), first[k]!.map((v) => 2 * v), 0, 0)
  })

  // The outputs backwarded one by one, with their weights, sum to the loss's gradient.
  for (const t of active) t.grad = null
  program.outputs.forEach((o, k) => {
    if (pool[o].requiresGrad) pool[o].backward(program.weights[k], { retainGraph: true })
  })
  leaves.forEach((t, k) => {
    if (first[k]) expectClose(`${what}: per-output grads of leaf ${k}`, gradOrZeros(t), first[k]!, 1e-12 * scale, 1e-12)
  })

  // jacobian of the first output: weights · rows = that output's gradient.
  const out0 = program.outputs[0]
  const w0 = program.weights[0]
  const jac = jacobian((...xs) => run(program, leaves.map((t) => (t.requiresGrad ? xs[active.indexOf(t)] : t)))[out0], active)
  const byGrad = pool[out0].requiresGrad ? grad(pool[out0], active, w0, { retainGraph: true }) : active.map(() => null)
  active.forEach((t, k) => {
    const n = t.numel()
    const rows = jac[k].data
    const want = new Float64Array(n)
    for (let o = 0; o < w0.numel(); o++) for (let i = 0; i < n; i++) want[i] += w0.data[o] * rows[o * n + i]
    expectClose(`${what}: jacobian of active leaf ${k}`, byGrad[k]?.data ?? new Float64Array(n), want, 1e-10 * scale, 1e-9)
  })

  checkFloat32(seed, what, first, scale, false)
  checkFloat32(seed, what, first, scale, true)

  // Without retainGraph, the graph is freed: a second backward is an error naming the op.
  loss.backward()
  expect(() => loss.backward(), what).toThrow(/backward through the graph a second time \(through \w+Backward\d\)/)
  checkInPlace(program, what, first)
}

/** In-place writes, each through a view (its writes count for the tensor too). */
const WRITES: [string, (t: Tensor) => unknown][] = [
  ['mul_', (t) => t.mul_(3)],
  ['add_', (t) => t.add_(0.5)],
  ['sub_', (t) => t.sub_(t.detach().mul(0.5))],
  ['div_', (t) => t.div_(4)],
  ['zero_', (t) => t.zero_()],
  ['fill_', (t) => t.fill_(0.75)],
  ['copy_', (t) => t.copy_(t.detach().sin())],
  ['clamp_', (t) => t.clamp_(-0.1, 0.1)],
]

/**
 * Writes a leaf (under noGrad, as an optimiser does) or a constant (a detached or noGrad result,
 * an index, mask or target) in place, then backward: a clear error naming the op that saved it, or exactly the gradient
 * of the unmodified graph (nothing saved it). Runs last: it modifies the program's constants.
 */
function checkInPlace(program: Program, what: string, first: (Float64Array | null)[]): void {
  const r = mulberry32(program.leaves.length * 7919 + program.steps.length)
  const leaves = program.leaves.map(copyLeaf)
  const loss = lossOf(program, run(program, leaves))
  if (!loss.requiresGrad) return
  const targets = [...leaves, ...program.steps.flatMap((s) => [...(s.frozen ?? []), ...(s.consts ?? [])])]
  const target = Math.floor(r() * targets.length)
  const t = targets[target]
  // Integer and bool constants (indices, masks) take zero_ and fill_ only.
  const [op, write] = WRITES[Math.floor(r() * (t.dtype === 'float64' ? WRITES.length : 2)) + (t.dtype === 'float64' ? 0 : 4)]
  noGrad(() => write(t.reshape([t.numel()])))
  let error: unknown = null
  try {
    loss.backward()
  } catch (e) {
    error = e
  }
  const where = `${op} on ${target < leaves.length ? 'leaf' : 'constant'} ${target}`
  if (error !== null) {
    expect(String(error), `${what}: ${where}`).toMatch(/modified by an in-place operation: the \w+ tensor of shape \[[\d, ]*\] saved by \w+Backward\d/)
    return
  }
  leaves.forEach((l, k) => {
    if (first[k]) expectClose(`${what}: grad after ${where} (not saved), leaf ${k}`, gradOrZeros(l), first[k]!, 0, 0)
  })
}

/**
 * The same graph in float32, or with every other leaf float32 (`mixed`: ops promote to float64):
 * its gradients match float64's, each in its leaf's dtype, within float32 rounding relative to
 * `scale`, the largest gradient anywhere in the graph (a leaf's gradient can be a small sum of
 * large terms: layerNorm over two near-equal values gives ±7 that cancel to 0.08).
 */
function checkFloat32(seed: number, what: string, first: (Float64Array | null)[], scale: number, mixed: boolean): void {
  const program = randomProgram(seed, mixed ? 'float64' : 'float32', mixed)
  const loss = lossOf(program, run(program, program.leaves))
  loss.backward()
  program.leaves.forEach((t, k) => {
    if (!first[k]) return
    expect(t.grad?.dtype, `${what}: grad dtype of leaf ${k}${mixed ? ' (mixed)' : ''}`).toBe(t.dtype)
    expectClose(`${what}: ${mixed ? 'mixed' : 'float32'} grad of leaf ${k}`, gradOrZeros(t), first[k]!, 5e-4 * scale, 2e-3)
  })
}

describe('autograd fuzz: random graphs vs finite differences and each other', () => {
  it(`${GRAPHS} graphs from seed ${FIRST}`, () => {
    for (let s = FIRST; s < FIRST + GRAPHS; s++) checkGraph(s)
  }, Math.max(60_000, 10 * GRAPHS)) // a long run (YANN_FUZZ_GRAPHS) takes ~3 ms per graph
})
