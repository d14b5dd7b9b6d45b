import * as y from '../../src/index.js'
import { compile, nn, noGrad, optim, Tensor, type CompiledFunction } from '../../src/index.js'
import { mulberry32 } from '../rng.js'
import { B, D, LOSSES, OPS, pick, type Ctx, type Inputs, type OpSpec } from './fuzz-ops.js'

/**
 * The program generator and the eager/compiled comparison of test/compile/fuzz.test.ts.
 * A program: a start from parameters (h = x·p0 + p1), a few ops of fuzz-ops.ts, a loss,
 * backward and an optimiser step, called several times with the between-call changes a
 * training loop makes. It runs on two twins built from the same seed, one eager and one
 * through compile(); after every call everything they hold must be equal, bit for bit.
 */

type DT = 'float32' | 'float64'
type AnyOptimiser = optim.Optimizer<{ lr: number }>

/** One op of a program: which op, which of its variants, and its random numbers. */
export interface Step {
  op: OpSpec
  v: number
  u: number[]
}

export const stepName = (s: { op: OpSpec; v: number }): string => `${s.op.name}.${s.v}`

export interface Program {
  seed: number
  dtype: DT
  steps: Step[]
  loss: (typeof LOSSES)[number]
  optimiser: number
  scheduler: number
  /** How inputs change between calls: new tensors, the same tensors rewritten in place, unchanged, or new ones over one buffer on even calls. */
  inputs: 'fresh' | 'inplace' | 'same' | 'shared'
  /** x requires grad (its .grad is compared too). */
  xGrad: boolean
  /** The call (>= 1) whose class targets are out of range (eager's error, replayed), or -1. */
  badCall: number
  /** Before backward: zeroGrad() (to null), zeroGrad(false) (to zeros), or none (gradients accumulate over calls). */
  zero: 'none' | 'zeros' | 'keep' | 'outside'
  /** Two param groups (the second at half the learning rate). */
  groups: boolean
  /** A second backward() after the first, accumulating into a parameter's .grad. */
  twice: boolean
  /** Between calls, a compiled inference call (the forward under noGrad); and modules' train()/eval(), a parameter frozen or not. */
  infer: boolean
  toggles: boolean
  /** Odd calls run a second step (its loss halved) compiled on its own, with the same optimiser. */
  alternate: boolean
  /** Before the optimiser's step: nothing, clipGradValue, or clipGradNorm (which falls back). */
  clip: 0 | 1 | 2
  calls: number
}

/** The tests' seeded generator (independent of yann's own). */
export const rng = mulberry32

/** Every op variant and loss, for a census. */
export const ALL_STEPS = OPS.flatMap((op) => op.variants.map((_, v) => ({ op, v })))

/**
 * Program `seed`: 1 to 5 steps drawn from `steps` (all variants by default), a loss from `losses`.
 */
export function generate(seed: number, steps = ALL_STEPS, losses = LOSSES): Program {
  const r = rng(seed)
  const count = 1 + Math.floor(r() * 5)
  return {
    seed,
    steps: Array.from({ length: count }, () => ({ ...pick(r(), steps), u: [r(), r(), r(), r()] })),
    dtype: r() < 0.6 ? 'float32' : 'float64',
    loss: pick(r(), losses),
    optimiser: Math.floor(r() * OPTIMISERS.length),
    scheduler: Math.floor(r() * 4),
    inputs: pick(r(), ['fresh', 'inplace', 'same', 'shared'] as const),
    xGrad: r() < 0.2,
    badCall: r() < 0.1 ? 1 + Math.floor(r() * 3) : -1,
    zero: pick(r(), ['none', 'none', 'zeros', 'keep', 'outside'] as const),
    groups: r() < 0.2,
    twice: r() < 0.2,
    infer: r() < 0.2,
    toggles: r() < 0.2,
    alternate: r() < 0.2,
    clip: r() < 0.85 ? 0 : r() < 0.7 ? 1 : 2,
    calls: 6,
  }
}

export const describeProgram = (p: Program): string =>
  `seed ${p.seed} ${p.dtype}: ${p.steps.map((s) => `${stepName(s)}[${s.u.map((v) => v.toFixed(3)).join(',')}]`).join(' → ')} → ${p.loss.name}; ` +
  `optimiser ${p.optimiser}${p.groups ? ' (2 groups)' : ''}, scheduler ${p.scheduler}, zeroGrad ${p.zero}, inputs ${p.inputs}${p.twice ? ', two backward' : ''}${p.infer ? ', inference calls' : ''}${p.toggles ? ', toggles' : ''}${p.alternate ? ', two steps' : ''}${['', ', clipGradValue', ', clipGradNorm'][p.clip]}${p.xGrad ? ', x requires grad' : ''}${p.badCall >= 0 ? `, bad targets at call ${p.badCall}` : ''}`

const OPTIMISERS: ((ps: Tensor[] | optim.ParamGroupSpec<{ lr: number }>[]) => AnyOptimiser)[] = [
  (ps) => new optim.SGD(ps, { lr: 0.1 }),
  (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.9 }),
  (ps) => new optim.SGD(ps, { lr: 0.05, momentum: 0.8, nesterov: true, weightDecay: 0.01 }),
  (ps) => new optim.Adam(ps, { lr: 0.01 }),
  (ps) => new optim.AdamW(ps, { lr: 0.01, weightDecay: 0.1 }),
  (ps) => new optim.RMSprop(ps, { lr: 0.01, momentum: 0.5, centered: true }),
  (ps) => new optim.RMSprop(ps, { lr: 0.01 }),
  (ps) => new optim.Adagrad(ps, { lr: 0.05 }),
]

interface Twin {
  step: (...a: (Tensor | number)[]) => Tensor[]
  step2: (...a: (Tensor | number)[]) => Tensor[]
  /** The forward alone (the caller runs it under noGrad). */
  infer: (...a: (Tensor | number)[]) => Tensor[]
  params: Tensor[]
  modules: nn.Module<any, any>[]
  opt: AnyOptimiser
  sched: { step(): void } | null
}

function values(n: number, r: () => number, f: (v: number) => number): number[] {
  return Array.from({ length: n }, () => f(r()))
}

function build(p: Program): Twin {
  y.manualSeed(p.seed)
  const r = rng(p.seed ^ 0x5bd1e995)
  const param = (shape: number[]): Tensor =>
    new nn.Parameter(y.tensor(values(shape.reduce((a, b) => a * b, 1), r, (v) => v - 0.5), { dtype: p.dtype }).reshape(shape))
  const start = [param([D]), param([B, D])]
  const own = p.steps.map((s, i) => ({ p: (s.op.params?.(s.v, s.u) ?? []).map(param), m: s.op.module?.(p.dtype, s.u, p.seed + i) ?? null }))
  const modules = own.flatMap((o) => (o.m ? [o.m] : []))
  const params = [...start, ...own.flatMap((o) => o.p), ...modules.flatMap((m) => [...m.parameters()])]
  const half = Math.ceil(params.length / 2)
  const opt = OPTIMISERS[p.optimiser](p.groups ? [{ params: params.slice(0, half) }, { params: params.slice(half), lr: 0.004 }] : params)
  const sched = [null, new optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 }), new optim.lrScheduler.ExponentialLR(opt, { gamma: 0.9 }), new optim.lrScheduler.CosineAnnealingLR(opt, { TMax: 5 })][p.scheduler]
  const forward = (inputs: Inputs): [Tensor, Tensor[]] => {
    let h = inputs.x.mul(start[0]).add(start[1])
    const vals = [h]
    p.steps.forEach((s, i) => {
      const ctx: Ctx = { in: inputs, vals, p: own[i].p, m: own[i].m }
      h = s.op.variants[s.v](h, ctx, s.u)
      vals.push(h)
    })
    return [h, vals]
  }
  const train = (half: boolean) => (x: Tensor, yv: Tensor, cls: Tensor, rows: Tensor, cols: Tensor, mask: Tensor, scale: number): Tensor[] => {
    if (p.zero !== 'keep' && p.zero !== 'outside') opt.zeroGrad(p.zero === 'none')
    const inputs: Inputs = { x, y: yv, cls, rows, cols, mask, scale }
    const [h, vals] = forward(inputs)
    const loss = half ? p.loss.apply(h, inputs).mul(0.5) : p.loss.apply(h, inputs)
    loss.backward()
    if (p.twice) start[0].square().sum().mul(0.1).backward()
    if (p.clip === 1) nn.utils.clipGradValue(params, 0.05)
    if (p.clip === 2) nn.utils.clipGradNorm(params, 0.1)
    opt.step()
    // Gradients and intermediates too: a replay must return each call's own.
    return [loss, h, vals[Math.min(1, vals.length - 1)], start[1].grad!, yv.reshape(D, B)]
  }
  const infer = (x: Tensor, yv: Tensor, cls: Tensor, rows: Tensor, cols: Tensor, mask: Tensor, scale: number): Tensor[] => [forward({ x, y: yv, cls, rows, cols, mask, scale })[0].mul(1)]
  return { step: train(false) as Twin['step'], step2: train(true) as Twin['step'], infer: infer as Twin['step'], params, modules, opt, sched }
}

/** The call's inputs (call k of the program): new tensors, or `into`'s rewritten in place. */
function inputsFor(p: Program, k: number, into: Tensor[] | null): Tensor[] {
  const r = rng(p.seed * 31 + (p.inputs === 'same' ? 0 : k))
  const n = B * D
  const cls = values(B, r, (v) => Math.floor(v * D))
  if (k === p.badCall) cls[2] = D + 1
  const arrays = [
    values(n, r, (v) => 4 * v - 2), values(n, r, (v) => v), cls, values(B, r, (v) => Math.floor(v * B)),
    values(n, r, (v) => Math.floor(v * D)), values(n, r, (v) => (v < 0.5 ? 1 : 0)),
  ]
  if (into !== null) {
    into.forEach((t, i) => (t.data as Float64Array).set(arrays[i]))
    return into
  }
  const shapes = [[B, D], [B, D], [B], [B], [B, D], [B, D]]
  const dtypes = [p.dtype, p.dtype, 'int32', 'int32', 'int32', 'bool'] as const
  const made = arrays.map((a, i) => y.tensor(a, { dtype: dtypes[i] }).reshape(shapes[i]))
  if (p.inputs === 'shared' && k % 2 === 0) {
    // x and y as views of one buffer (a dataset's rows): the plan must not tie y to x's buffer.
    const buffer = made[0].dtype === 'float32' ? new Float32Array(3 * n) : new Float64Array(3 * n)
    ;[0, 1].forEach((i) => { buffer.set(arrays[i], (2 - i) * n); made[i] = new Tensor(buffer.subarray((2 - i) * n, (3 - i) * n), shapes[i]) })
  }
  if (p.xGrad) made[0].requiresGrad = true
  return made
}

/** What the twins do between calls k-1 and k (both alike): the scheduler steps, a parameter is rewritten. */
function between(p: Program, k: number, t: Twin): void {
  const r = rng(p.seed * 17 + k)
  if (t.sched && r() < 0.7) t.sched.step()
  const target = pick(r(), t.params)
  const how = r()
  const fresh = values(target.numel(), r, (v) => v - 0.5)
  if (how < 0.2) (target.data as Float64Array).set(fresh)
  else if (how < 0.4) noGrad(() => target.copy_(y.tensor(fresh, { dtype: target.dtype }).reshape(target.shape)))
  else if (how < 0.5) noGrad(() => target.fill_(0.25))
  const group = t.opt.paramGroups[0] as Record<string, unknown>
  const what = r()
  // A hyper-parameter set by hand, a buffer or optimiser state written, the dropout generator re-seeded.
  if (what < 0.15) for (const key of ['momentum', 'weightDecay', 'alpha', 'lrDecay', 'eps']) if (typeof group[key] === 'number') group[key] = (group[key] as number) * 0.5
  if (what < 0.1 && typeof group.dampening === 'number' && !group.nesterov) group.dampening = 0.25
  if (what < 0.1 && typeof group.centered === 'boolean') group.centered = !group.centered
  if (what < 0.3 && Array.isArray(group.betas)) group.betas = [0.8, 0.99]
  const buffers = t.modules.flatMap((m) => [...m.buffers()]).filter((b) => b.dtype === target.dtype)
  if (what > 0.7 && buffers.length > 0) noGrad(() => pick(r(), buffers).fill_(0.5))
  const state = [...t.opt.state.values()].flatMap((st) => Object.values(st).filter((v): v is Tensor => v instanceof Tensor))
  if (what > 0.8 && state.length > 0) noGrad(() => pick(r(), state).mul_(0.5))
  for (const m of t.modules) if (m instanceof nn.Dropout && what > 0.5) m.generator!.manualSeed(k)
  if (p.zero === 'outside') t.opt.zeroGrad()
  const g = r()
  if (g < 0.1) target.grad = y.zerosLike(target)
  else if (g < 0.15) target.grad = null
  if (p.toggles && r() < 0.3) for (const m of t.modules) m.train(!m.training)
  const own = t.params.slice(2) // (not the start's: the step returns start[1].grad)
  if (p.toggles && r() < 0.3 && own.length > 0) pick(r(), own).requiresGrad = r() < 0.5
}

/** A difference between the twins (null: none), named for the message. */
function differ(what: string, a: unknown, b: unknown): string | null {
  if (a instanceof Tensor || b instanceof Tensor) {
    if (!(a instanceof Tensor && b instanceof Tensor)) return `${what}: ${String(a)} vs ${String(b)}`
    if (a.dtype !== b.dtype || a.shape.join() !== b.shape.join()) return `${what}: ${a.dtype}[${a.shape}] vs ${b.dtype}[${b.shape}]`
    for (let i = 0; i < a.data.length; i++) if (!Object.is(a.data[i], b.data[i])) return `${what}[${i}]: eager ${a.data[i]}, compiled ${b.data[i]}`
    return null
  }
  return Object.is(a, b) ? null : `${what}: eager ${String(a)}, compiled ${String(b)}`
}

/** `xs`: this call's x of each twin, and the previous call's (its .grad must still be its own). */
function compareTwins(e: Twin, c: Twin, results: [Tensor[], Tensor[]], xs: [Tensor, Tensor][]): string | null {
  const checks: [string, unknown, unknown][] = []
  results[0].forEach((t, i) => checks.push([`result ${i}`, t, results[1][i]]))
  e.params.forEach((t, i) => {
    checks.push([`param ${i}`, t, c.params[i]], [`param ${i} .grad`, t.grad, c.params[i].grad])
    const [se, sc] = [e.opt.state.get(t) ?? {}, c.opt.state.get(c.params[i]) ?? {}] as Record<string, unknown>[]
    for (const key of new Set([...Object.keys(se), ...Object.keys(sc)])) checks.push([`param ${i} state ${key}`, se[key], sc[key]])
  })
  e.modules.forEach((m, i) => [...m.buffers()].forEach((b, j) => checks.push([`module ${i} buffer ${j}`, b, [...c.modules[i].buffers()][j]])))
  xs.forEach(([a, b], i) => checks.push([i === 0 ? 'x.grad' : 'the previous call\'s x.grad', a.grad, b.grad]))
  checks.push(['lr', e.opt.paramGroups[0].lr, c.opt.paramGroups[0].lr])
  for (const [what, a, b] of checks) {
    const d = differ(what, a, b)
    if (d !== null) return d
  }
  return null
}

export interface Outcome {
  /** The first difference between eager and compiled, or null. */
  bug: string | null
  /** Why compiled calls ran eagerly (fallbackReason), if any did. */
  fallback: string | null
  replays: number
  /** How each call ran (lastRun), 'error' for a call both twins threw at. */
  runs: string[]
}

/** Runs program `p` eagerly and compiled, comparing after every call. */
export function runProgram(p: Program): Outcome {
  const eager = build(p)
  const twin = build(p)
  const compiled = compile(twin.step)
  const inference = compile(twin.infer)
  const second = compile(twin.step2)
  let ins: [Tensor[] | null, Tensor[] | null] = [null, null]
  let previous: [Tensor, Tensor] | null = null
  const out: Outcome = { bug: null, fallback: null, replays: 0, runs: [] }
  /** Calls `e` (eager) and `c` (compiled) alike: false when the program ends (a difference, or both threw). */
  const both = (k: number, what: string, fn: CompiledFunction<(Tensor | number)[], Tensor[]>, e: () => Tensor[], c: () => Tensor[]): boolean => {
    const [a, b] = [attempt(p.seed * 7 + k, e), attempt(p.seed * 7 + k, c)]
    if (fn.lastRun === 'replay') out.replays++
    out.runs.push(a instanceof Error ? 'error' : fn.lastRun!)
    out.fallback ??= fn.fallbackReason
    const at = `${what} ${k} (${fn.lastRun}, ${fn.replayPath ?? 'eager'})`
    if (a instanceof Error || b instanceof Error) {
      const [ma, mb] = [a, b].map((r) => (r instanceof Error ? r.message : 'no error'))
      if (ma !== mb) out.bug = `${at}: eager threw "${ma}", compiled "${mb}"`
      return false // both failed alike: the program ends here
    }
    const d = compareTwins(eager, twin, [a, b], [[ins[0]![0], ins[1]![0]], ...(previous ? [previous] : [])])
    if (d !== null) out.bug = `${at}: ${d}`
    return d === null
  }
  for (let k = 0; k < p.calls; k++) {
    if (k > 0) {
      between(p, k, eager)
      between(p, k, twin)
    }
    const fresh = p.inputs === 'fresh' || p.inputs === 'shared' || k === 0
    const scale = k === 2 ? 2 : 0.5
    if (k > 0) previous = [ins[0]![0], ins[1]![0]]
    ins = [inputsFor(p, k, fresh ? null : ins[0]), inputsFor(p, k, fresh ? null : ins[1])]
    const [e, c] = p.alternate && k % 2 === 1 ? [eager.step2, second] : [eager.step, compiled]
    if (!both(k, 'call', c, () => e(...ins[0]!, scale), () => c(...ins[1]!, scale))) return out
    if (p.infer && !both(k, 'inference call', inference, () => noGrad(() => eager.infer(...ins[0]!, scale)), () => noGrad(() => inference(...ins[1]!, scale)))) return out
  }
  return out
}

function attempt(seed: number, run: () => Tensor[]): Tensor[] | Error {
  y.manualSeed(seed)
  try {
    return run()
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e))
  }
}

/** The smallest program (fewest ops) that still shows `p`'s bug: drop ops one at a time while it does. */
export function shrink(p: Program): Program {
  let best = p
  for (let i = best.steps.length - 1; i >= 0; i--) {
    const fewer = { ...best, steps: best.steps.filter((_, j) => j !== i) }
    if (fewer.steps.length > 0 && runProgram(fewer).bug !== null) best = fewer
  }
  return best
}

export interface Census {
  /** The variants and losses whose programs replayed. */
  steps: { op: OpSpec; v: number }[]
  losses: typeof LOSSES
  /** Why the others fell back: reason → the variants and losses. */
  fallbacks: Map<string, string[]>
  bugs: string[]
}

/** Runs every op variant alone (then every loss alone) as a program: which replay, which fall back and why. */
export function census(seed: number): Census {
  const out: Census = { steps: [], losses: [], fallbacks: new Map(), bugs: [] }
  const r = rng(seed)
  const solo = (steps: Step[], loss: (typeof LOSSES)[number]): Program => ({
    seed: Math.floor(r() * 1e6), steps, dtype: 'float32', loss, optimiser: 1, scheduler: 0, inputs: 'fresh', xGrad: false, badCall: -1, zero: 'none', groups: false, twice: false, infer: false, toggles: false, alternate: false, clip: 0, calls: 4,
  })
  const note = (name: string, p: Program, replayed: () => void): void => {
    const o = runProgram(p)
    if (o.bug !== null) out.bugs.push(`${o.bug}\n  ${describeProgram(p)}`)
    else if (o.fallback !== null) out.fallbacks.set(o.fallback, [...(out.fallbacks.get(o.fallback) ?? []), name])
    else if (o.replays > 0) replayed()
  }
  for (const s of ALL_STEPS) note(stepName(s), solo([{ ...s, u: [r(), r(), r(), r()] }], LOSSES[0]), () => out.steps.push(s))
  for (const l of LOSSES) note(`loss ${l.name}`, solo([], l), () => out.losses.push(l))
  return out
}
