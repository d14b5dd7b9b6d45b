import { F, Tensor, argmax, cat, stack, tensor, where } from '../../src/index.js'
import { mulberry32 } from '../rng.js'
import { LAYER_STEPS } from './fuzz-layers.js'

/**
 * Random forward programs for the ONNX export fuzz (test/onnx/fuzz.test.ts): a chain of ops on
 * one float input whose dim 0 is the batch. Every op keeps dim 0 as the batch (so one graph
 * exported with a dynamic dim 0 must answer any batch size) and gives a float tensor (integer
 * and bool intermediates are cast back, so masks, indices and casts are in the graph).
 * Constants are drawn when the program is built and are the same on every call.
 */

export interface Program {
  /** The input's shape at the example batch size; dim 0 is the batch. */
  shape: number[]
  /** The steps' names, for a failure message. */
  names: string[]
  run(x: Tensor): Tensor
}

type Rng = () => number

interface Step {
  name: string
  /** Whether the op applies to a tensor of these dims after the batch. */
  when?: (rest: number[]) => boolean
  /** The op, with its choices drawn now (at build time) from r, given the dims after the batch. */
  build(r: Rng, rest: number[]): (x: Tensor) => Tensor
}

const int = (r: Rng, n: number): number => Math.floor(r() * n)
const pick = <T>(r: Rng, list: readonly T[]): T => list[int(r, list.length)]
const constant = (r: Rng, shape: number[]): Tensor => tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => Math.round((r() * 4 - 2) * 8) / 8)).reshape(shape)
/** A dim after the batch, as a positive (1…) or negative index. */
const restDim = (r: Rng, rest: number[]): number => (r() < 0.5 ? 1 + int(r, rest.length) : -1 - int(r, rest.length))
const hasRest = (rest: number[]): boolean => rest.length > 0
const float = (t: Tensor): Tensor => t.to('float32')

const STEPS: Step[] = [
  ...LAYER_STEPS,
  ...['abs', 'neg', 'exp', 'tanh', 'sigmoid', 'relu', 'sin', 'cos', 'square', 'expm1'].map(
    (name): Step => ({ name, build: () => (x) => (x as unknown as Record<string, () => Tensor>)[name]() }),
  ),
  // Steps that jump, moved off 0 (where cancellations land exactly, and a last bit decides).
  ...['sign', 'floor', 'round'].map((name): Step => ({ name, build: () => (x) => (x.add(0.37) as unknown as Record<string, () => Tensor>)[name]() })),
  { name: 'log1p∘abs', build: () => (x) => x.abs().log1p() },
  { name: 'sqrt∘abs', build: () => (x) => x.abs().add(0.25).sqrt() },
  { name: 'rsqrt', build: () => (x) => x.abs().add(0.5).rsqrt() },
  { name: 'reciprocal', build: () => (x) => x.abs().add(1).reciprocal() },
  { name: 'pow', build: (r) => { const e = pick(r, [2, 3, 0.5]); return (x) => (e === 0.5 ? x.abs().pow(e) : x.pow(e)) } },
  { name: 'clamp', build: (r) => { const lo = -r(); return (x) => x.clamp(lo, lo + 1.5) } },
  ...['add', 'sub', 'mul', 'maximum', 'minimum'].map((name): Step => ({
    name: `${name}(broadcast constant)`,
    build: (r, rest) => {
      const c = constant(r, rest.map((d) => (r() < 0.4 ? 1 : d)).slice(int(r, rest.length + 1)))
      return (x) => (x as unknown as Record<string, (c: Tensor) => Tensor>)[name](c)
    },
  })),
  { name: 'div', build: (r, rest) => { const c = constant(r, rest).abs().add(0.5); return (x) => x.div(c) } },
  { name: 'add(number)', build: (r) => { const v = r() * 2 - 1; return (x) => x.add(v).mul(1.5) } },
  { name: 'sum(dim)', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => x.sum(d, k) } },
  { name: 'mean(dim)', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => x.mean(d, k) } },
  { name: 'amax', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => x.amax(d, { keepdim: k }) } },
  { name: 'amin', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => x.amin(d, { keepdim: k }) } },
  { name: 'max(dim).values+indices', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => { const m = x.max(d, { keepdim: k }); return m.values.add(float(m.indices)) } } },
  { name: 'min(dim).values', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.min(d).values } },
  { name: 'argmax', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const k = r() < 0.5; return (x) => float(argmax(x, d, { keepdim: k })).sub(1) } },
  { name: 'argmin', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => float(x.argmin(d)) } },
  { name: 'logsumexp', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.logsumexp(d) } },
  { name: 'var', when: (rest) => rest.some((d) => d > 1), build: (r, rest) => { const d = 1 + rest.findIndex((n) => n > 1); const c = int(r, 2); return (x) => x.var(d, { correction: c }) } },
  { name: 'std', when: (rest) => rest.some((d) => d > 1), build: (r, rest) => { const d = 1 + rest.findIndex((n) => n > 1); return (x) => x.std(d, { keepdim: true }) } },
  { name: 'prod', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.tanh().add(1).prod(d) } },
  { name: 'cumsum', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.cumsum(d) } },
  { name: 'softmax', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.softmax(d) } },
  { name: 'logSoftmax', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.logSoftmax(d) } },
  { name: 'flatten', when: (rest) => rest.length >= 2, build: () => (x) => x.flatten(1) },
  { name: 'unsqueeze', when: (rest) => rest.length < 3, build: (r, rest) => { const d = 1 + int(r, rest.length + 1); return (x) => x.unsqueeze(d) } },
  { name: 'squeeze', when: (rest) => rest.includes(1), build: (r, rest) => { const d = 1 + rest.indexOf(1); return (x) => x.squeeze(d) } },
  { name: 'reshape(-1, …)', when: hasRest, build: (_r, rest) => { const n = rest.reduce((a, b) => a * b, 1); return (x) => x.reshape(-1, n) } },
  { name: 'transpose', when: (rest) => rest.length >= 2, build: (r, rest) => { const a = restDim(r, rest); return (x) => x.transpose(a, rest.length) } },
  { name: 'permute', when: (rest) => rest.length >= 2, build: (_r, rest) => { const dims = [0, ...rest.map((_, i) => rest.length - i)]; return (x) => x.permute(dims) } },
  { name: 'flip', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.flip([d]) } },
  { name: 'narrow', when: (rest) => rest.some((d) => d > 1), build: (r, rest) => { const i = rest.findIndex((n) => n > 1); const s = int(r, rest[i] - 1); const n = 1 + int(r, rest[i] - s); return (x) => x.narrow(i + 1, s, n) } },
  { name: 'select', when: (rest) => rest.length >= 1, build: (r, rest) => { const d = int(r, rest.length); const i = int(r, rest[d]) - (r() < 0.5 ? rest[d] : 0); return (x) => x.select(d + 1, i) } },
  { name: 'slice(step)', when: (rest) => rest.some((d) => d > 2), build: (r, rest) => { const i = rest.findIndex((n) => n > 2); const s = int(r, 2); return (x) => x.slice(i + 1, s, undefined, 2) } },
  { name: 'index(…, int tensor)', when: hasRest, build: (r, rest) => { const n = rest[rest.length - 1]; const idx = tensor(Array.from({ length: 1 + int(r, 4) }, () => int(r, n)), { dtype: 'int32' }); return (x) => x.index('...', idx) } },
  { name: 'indexSelect', when: hasRest, build: (r, rest) => { const d = int(r, rest.length); const idx = tensor(Array.from({ length: 1 + int(r, 3) }, () => int(r, rest[d])), { dtype: 'int32' }); return (x) => x.indexSelect(d + 1, idx) } },
  { name: 'gather(argsort)', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => x.gather(d, x.neg().argsort({ dim: d })) } },
  { name: 'tril', when: (rest) => rest.length >= 2, build: (r) => { const k = int(r, 3) - 1; return (x) => x.tril(k) } },
  { name: 'triu', when: (rest) => rest.length >= 2, build: (r) => { const k = int(r, 3) - 1; return (x) => x.triu(k) } },
  { name: 'cat(x, f(x))', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => cat([x, x.mul(2)], d) } },
  { name: 'stack', build: (r, rest) => { const d = 1 + int(r, rest.length + 1); return (x) => stack([x, x.neg()], d) } },
  { name: 'split→add', when: (rest) => rest.length > 0 && rest[rest.length - 1] % 2 === 0, build: () => (x) => { const [a, b] = x.chunk(2, -1); return a.sub(b) } },
  { name: 'repeat', when: (rest) => rest.length <= 2, build: (r, rest) => { const reps = [1, ...rest.map(() => 1 + int(r, 2))]; return (x) => x.repeat(reps) } },
  { name: 'expand', build: (r, rest) => { const k = 2 + int(r, 2); return (x) => x.unsqueeze(1).expand(-1, k, ...rest) } },
  { name: 'where(gt)', build: (r) => { const v = r() - 0.5; return (x) => where(x.gt(v), x, x.mul(-0.5)) } },
  { name: 'maskedFill(le)', build: (r) => { const v = r() - 0.5; return (x) => x.maskedFill(x.le(v), 0.25) } },
  { name: 'compare+logic', build: () => (x) => float(x.gt(0).logicalAnd(x.lt(1)).logicalOr(x.eq(x.round()))) },
  { name: 'any/all(dim)', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); return (x) => float(x.gt(0).any(d)).add(float(x.gt(-1).all(d))) } },
  { name: 'isfinite', build: () => (x) => float(x.isfinite()).add(x) },
  // Casts of values away from a truncation boundary: ONNX Runtime and yann differ in the last bit.
  { name: 'int32 cast', build: () => (x) => float(x.mul(3).round().add(0.25).to('int32')) },
  { name: 'bool → int32 arithmetic', build: () => (x) => float(x.gt(0).to('int32').add(x.lt(-0.5).to('int32'))) },
  { name: 'sort values', when: hasRest, build: (r, rest) => { const d = restDim(r, rest); const desc = r() < 0.5; return (x) => x.sort({ dim: d, descending: desc }).values } },
  { name: 'topk', when: hasRest, build: (r, rest) => { const n = rest[rest.length - 1]; const k = 1 + int(r, n); const largest = r() < 0.7; return (x) => { const t = x.topk(k, -1, { largest }); return t.values.add(float(t.indices).mul(0.01)) } } },
  { name: 'matmul(constant)', when: hasRest, build: (r, rest) => { const w = constant(r, [rest[rest.length - 1], 1 + int(r, 4)]); return (x) => x.matmul(w) } },
  { name: 'F activation', build: (r) => { const f = pick(r, [(x: Tensor) => F.gelu(x), (x: Tensor) => F.silu(x), (x: Tensor) => F.elu(x), (x: Tensor) => F.leakyRelu(x, { negativeSlope: 0.1 }), (x: Tensor) => F.softplus(x), (x: Tensor) => F.mish(x), (x: Tensor) => F.hardtanh(x), (x: Tensor) => F.logSigmoid(x)]); return f } },
  { name: 'layerNorm', when: hasRest, build: (_r, rest) => { const n = rest[rest.length - 1]; return (x) => F.layerNorm(x, [n]) } },
  { name: 'pad', when: hasRest, build: (r) => { const p = [int(r, 2), int(r, 2)]; const v = r(); return (x) => F.pad(x, p, { value: v }) } },
  { name: 'pad(reflect|replicate)', when: (rest) => rest.length >= 2 && rest.at(-1)! > 1 && rest.at(-2)! > 1, build: (r, rest) => {
    const mode = pick(r, ['reflect', 'replicate'] as const)
    const p = Array.from({ length: 2 * (1 + int(r, 2)) }, () => int(r, 2))
    return (x) => F.pad(x, p, { mode })
  } },
]

/** A program of 1–5 steps on an input of rank 1–4 (dims 1–5 after a batch of `batch`), from `seed`. */
export function randomProgram(seed: number, batch: number): Program {
  const r = mulberry32(seed)
  const shape = [batch, ...Array.from({ length: int(r, 4) }, () => 1 + int(r, 5))]
  const names: string[] = []
  const ops: ((x: Tensor) => Tensor)[] = []
  // Each step's applicability depends on the shape the previous ones produce: trace it once.
  let probe = tensor(new Float32Array(shape.reduce((a, b) => a * b, 1))).reshape(shape)
  for (let i = 0, steps = 1 + int(r, 5); i < steps; i++) {
    const rest = probe.shape.slice(1)
    if (rest.reduce((a, b) => a * b, 1) > 400 || rest.length > 4) break
    const options = STEPS.filter((s) => s.when?.(rest) ?? true)
    const step = pick(r, options)
    const op = step.build(r, rest)
    names.push(step.name)
    ops.push(op)
    probe = op(probe)
  }
  return { shape, names, run: (x) => ops.reduce((t, op) => op(t), x) }
}
