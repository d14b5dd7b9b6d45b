import { cat, nn, logSoftmax, logsumexp, noGrad, prod, softmax, split, stack, std, Tensor, tensor, var as variance, where } from '../../src/index.js'
import { mulberry32 } from '../rng.js'
import { int, like, nnStep, type Step } from './fuzz-graph-nn.js'

/**
 * Random computation graphs for the autograd fuzz (fuzz.test.ts): a program of steps over a
 * pool of tensors (the leaves first), each step an op on earlier pool entries, so
 * intermediates are reused and leaves shared by several paths. The program reruns on
 * perturbed leaves for finite differences. Ops are smooth where the inputs land (no kinks:
 * relu, abs, max would make finite differences lie near a tie).
 *
 * A `frozen` step (a detach(), a noGrad() branch) is a constant to autograd, so finite
 * differences must see it as one too: it returns the value of its first run at every rerun.
 */

export type DType = 'float32' | 'float64'
type Rng = () => number

export interface Program {
  leaves: Tensor[]
  steps: Step[]
  /** Pool indices of the outputs, and the fixed weights (constants) that make the scalar loss. */
  outputs: number[]
  weights: Tensor[]
}

const pick = <T>(r: Rng, xs: readonly T[]): T => xs[int(r, xs.length)]

export function randomData(r: Rng, shape: readonly number[], dtype: DType, scale = 1): Tensor {
  const n = shape.reduce((a, b) => a * b, 1)
  const data = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n)
  for (let i = 0; i < n; i++) data[i] = scale * (2 * r() - 1)
  return new Tensor(data, shape)
}

const SHAPES = [[3], [2, 3], [3, 1], [1, 3], [2, 2], [4], [2, 3, 2], [3, 2], [1], []]

/** Unary smooth maps (each keeps values moderate, so chains stay well conditioned). */
const UNARY: [string, (x: Tensor) => Tensor][] = [
  ['tanh', (x) => x.tanh()],
  ['sigmoid', (x) => x.sigmoid()],
  ['sin', (x) => x.sin()],
  ['cos', (x) => x.cos()],
  ['square', (x) => x.square()],
  ['expTanh', (x) => x.tanh().exp()],
  ['log1pSquare', (x) => x.square().log1p()],
  ['reciprocal', (x) => x.square().add(1).reciprocal()],
  ['pow3', (x) => x.tanh().pow(3)],
  ['neg', (x) => x.neg()],
  ['mulScalar', (x) => x.mul(-1.5).add(0.25)],
]

/** Binary ops with broadcasting; `b` is made positive where it divides. */
const BINARY: [string, (a: Tensor, b: Tensor) => Tensor][] = [
  ['add', (a, b) => a.add(b)],
  ['sub', (a, b) => a.sub(b)],
  ['mul', (a, b) => a.mul(b)],
  ['div', (a, b) => a.div(b.square().add(1))],
  ['addAlpha', (a, b) => a.add(b, { alpha: -2 })],
  ['powPos', (a, b) => a.square().add(1).pow(b.tanh())],
]

const broadcasts = (a: readonly number[], b: readonly number[]): boolean => {
  for (let i = 1; i <= Math.min(a.length, b.length); i++) {
    const x = a[a.length - i]
    const y = b[b.length - i]
    if (x !== y && x !== 1 && y !== 1) return false
  }
  return true
}

/** One random step on `pool` (the tensors as computed so far), or null if the pick does not fit. */
function randomStep(r: Rng, pool: Tensor[]): Step | null {
  // Later entries are picked more often: deeper graphs.
  const at = (): number => Math.min(pool.length - 1, Math.floor(pool.length * Math.sqrt(r())))
  const i = at()
  const x = pool[i]
  const nd = x.ndim
  const dim = nd === 0 ? 0 : int(r, nd)
  const kind = int(r, 17)
  const one = (name: string, f: (x: Tensor) => Tensor): Step => ({ name, run: (p) => [f(p[i])] })
  switch (kind) {
    case 0:
    case 1: {
      const [name, f] = pick(r, UNARY)
      return one(name, f)
    }
    case 2:
    case 3: {
      const js = pool.map((t, j) => j).filter((j) => broadcasts(pool[j].shape, x.shape))
      const j = pick(r, js)
      const [name, f] = pick(r, BINARY)
      return r() < 0.5 ? { name, run: (p) => [f(p[i], p[j])] } : { name, run: (p) => [f(p[j], p[i])] }
    }
    case 4: {
      if (nd === 0) return one('sumAll', (t) => t.sum())
      const keepdim = r() < 0.5
      const spread = randomData(r, x.shape, x.dtype as DType, 3) // std at zero variance is 0/0 (NaN, as in PyTorch)
      const f = pick(r, [
        ['sum', (t: Tensor) => t.sum(dim, keepdim)],
        ['mean', (t: Tensor) => t.mean(dim, keepdim)],
        ['logsumexp', (t: Tensor) => logsumexp(t, dim, { keepdim })],
        ['var', (t: Tensor) => (t.shape[dim] > 1 ? variance(t, dim, { keepdim }) : t.mul(2))],
        ['std', (t: Tensor) => (t.shape[dim] > 1 ? std(t.add(spread), dim, { keepdim }) : t.mul(3))],
        ['prod', (t: Tensor) => prod(t, dim, { keepdim })],
        ['cumsum', (t: Tensor) => t.cumsum(dim)],
        ['sumAll', (t: Tensor) => t.sum()],
      ] as const)
      return { ...one(f[0], f[1]), consts: [spread] }
    }
    case 5: {
      if (nd === 0) return null
      return r() < 0.5 ? one('softmax', (t) => softmax(t, dim)) : one('logSoftmax', (t) => logSoftmax(t, dim))
    }
    case 6: {
      // matmul: with a 2-d (or 1-d) partner of matching inner size, or with its own transpose.
      if (nd < 1 || nd > 3) return null
      const k = x.shape[nd - 1]
      const js = pool.map((t, j) => j).filter((j) => pool[j].ndim >= 1 && pool[j].ndim <= 2 && pool[j].shape[0] === k)
      if (js.length > 0 && r() < 0.6) {
        const j = pick(r, js)
        return { name: 'matmul', run: (p) => [p[i].matmul(like(p[j], p[i]))] }
      }
      if (nd < 2) return one('dot', (t) => t.matmul(t))
      return one('matmulT', (t) => t.matmul(t.transpose(-1, -2)))
    }
    case 7: {
      const n = x.numel()
      const u = nd === 0 ? 0 : int(r, nd + 1)
      const f = pick(r, [
        ['flatten', (t: Tensor) => t.reshape([n])],
        ['unsqueeze', (t: Tensor) => t.unsqueeze(u)],
        ['permute', (t: Tensor) => t.permute([...Array(nd).keys()].reverse())],
        ['transpose', (t: Tensor) => (nd < 2 ? t.reshape([1, n]) : t.transpose(0, nd - 1))],
        ['squeeze', (t: Tensor) => t.squeeze()],
        ['expand', (t: Tensor) => (nd > 0 && t.shape[dim] === 1 ? t.expand(t.shape.map((s, d) => (d === dim ? 3 : s))) : t.unsqueeze(0).expand([2, ...t.shape]))],
        ['repeat', (t: Tensor) => (nd === 0 ? t.reshape([1]).repeat(2) : t.repeat(t.shape.map((_, d) => (d === dim ? 2 : 1))))],
        ['flip', (t: Tensor) => (nd === 0 ? t : t.flip([dim]))],
      ] as const)
      return one(f[0], f[1])
    }
    case 8: {
      if (nd === 0) return null
      const size = x.shape[dim]
      const start = int(r, size)
      const len = 1 + int(r, size - start)
      const idx = Array.from({ length: 1 + int(r, 4) }, () => int(r, size)) // repeats: gradients must add up
      const index = tensor(idx, { dtype: 'int32' })
      const gathered = gatherIndex(x.shape, dim, idx)
      const f = pick(r, [
        ['narrow', (t: Tensor) => t.narrow(dim, start, len)],
        ['select', (t: Tensor) => t.select(dim, start)],
        ['sliceStep', (t: Tensor) => t.slice(dim, start, size, 2)],
        ['indexSelect', (t: Tensor) => t.indexSelect(dim, index)],
        ['gather', (t: Tensor) => t.gather(dim, gathered)],
      ] as const)
      return { ...one(f[0], f[1]), consts: [index, gathered] }
    }
    case 9: {
      if (nd === 0) return null
      const js = pool.map((t, j) => j).filter((j) => pool[j].ndim === nd && pool[j].shape.every((s, d) => d === dim || s === x.shape[d]))
      const j = pick(r, js)
      return { name: 'cat', run: (p) => [cat([p[i], like(p[j], p[i]), p[i]], dim)] }
    }
    case 10: {
      const js = pool.map((t, j) => j).filter((j) => pool[j].shape.join() === x.shape.join())
      const j = pick(r, js)
      const d = nd === 0 ? 0 : int(r, nd + 1)
      return { name: 'stack', run: (p) => [stack([p[j], like(p[i], p[j])], d)] }
    }
    case 11: {
      // split: every piece joins the pool (a multi-output op, some pieces maybe unused).
      if (nd === 0 || x.shape[dim] < 2) return null
      const size = 1 + int(r, x.shape[dim] - 1)
      return { name: 'split', run: (p) => split(p[i], size, dim) }
    }
    case 12: {
      // A constant branch: detach() or computed under noGrad(); autograd must see no path through it.
      const j = at()
      return r() < 0.5
        ? { name: 'detach', run: (p) => [p[i].detach().tanh()] }
        : { name: 'noGrad', run: (p) => [noGrad(() => p[i].mul(p[j].sum()).sin())] }
    }
    case 13: {
      const cond = randomData(r, x.shape, 'float64').gt(0)
      const j = pool.map((t, k) => k).filter((k) => broadcasts(pool[k].shape, x.shape))
      const k = pick(r, j)
      return { name: 'where', run: (p) => [where(cond, p[i], p[k].sin())], consts: [cond] }
    }
    default:
      return nnStep(r, pool, i)
  }
}

function gatherIndex(shape: readonly number[], dim: number, idx: readonly number[]): Tensor {
  const out = shape.map((s, d) => (d === dim ? idx.length : s))
  const n = out.reduce((a, b) => a * b, 1)
  const stride = out.slice(dim + 1).reduce((a, b) => a * b, 1)
  const data = Array.from({ length: n }, (_, f) => idx[(idx.length * 7 + f + Math.floor(f / stride)) % idx.length])
  return tensor(data, { dtype: 'int32' }).reshape(out)
}

/**
 * Runs the program on `leaves`: the whole pool. A frozen step keeps its first run's value.
 * `replace` puts a tensor in place of the pool entry `at` (an intermediate made a leaf).
 */
export function run(program: Program, leaves: Tensor[], replace?: { at: number; by: Tensor }): Tensor[] {
  const pool = [...leaves]
  for (const step of program.steps) {
    const frozen = step.name === 'detach' || step.name === 'noGrad'
    const out = frozen && step.frozen ? step.frozen : step.run(pool)
    if (frozen && !step.frozen) step.frozen = out
    pool.push(...out)
    if (replace && replace.at < pool.length && replace.at >= pool.length - out.length) pool[replace.at] = replace.by
  }
  return pool
}

/** The scalar loss Σ_k sum(out_k · w_k) from a pool. */
export function lossOf(program: Program, pool: Tensor[]): Tensor {
  return program.outputs.map((o, k) => pool[o].mul(program.weights[k]).sum()).reduce((a, b) => a.add(b))
}

/**
 * A random program over `dtype` leaves (the first always requires grad); `mixed`: every other
 * leaf float32 instead (the same program otherwise: dtypes draw no random numbers), so ops promote.
 */
export function randomProgram(seed: number, dtype: DType = 'float64', mixed = false): Program {
  const r = mulberry32(seed)
  const nLeaves = 2 + int(r, 3)
  // Some leaves are Parameters: backward() may write their gradient straight into their buffer.
  const leaves = Array.from({ length: nLeaves }, (_, k) => {
    const t = randomData(r, pick(r, SHAPES), mixed && k % 2 === 1 ? 'float32' : dtype)
    const requiresGrad = k === 0 || r() < 0.7
    if (r() < 0.3) return new nn.Parameter(t, requiresGrad)
    t.requiresGrad = requiresGrad
    return t
  })
  const program: Program = { leaves, steps: [], outputs: [], weights: [] }
  const pool: Tensor[] = [...leaves]
  const nSteps = 3 + int(r, 10)
  while (program.steps.length < nSteps) {
    const step = randomStep(r, pool)
    if (step === null) continue
    const out = step.run(pool)
    if (out.some((t) => t.numel() === 0 || t.numel() > 400)) continue
    if (step.name === 'detach' || step.name === 'noGrad') step.frozen = out
    program.steps.push(step)
    pool.push(...out)
  }
  // Outputs: the last tensor, and up to two more (reused intermediates, maybe a leaf).
  const outputs = new Set([pool.length - 1])
  for (let k = int(r, 3); k > 0; k--) outputs.add(int(r, pool.length))
  program.outputs = [...outputs]
  program.weights = program.outputs.map((o) => randomData(r, pool[o].shape, dtype))
  return program
}
