/**
 * The GPT suite (issue 15): milliseconds per training iteration of the Moby-Dick character
 * GPT (4 layers, 4 heads, width 128, context 64, vocabulary 83, batch 12): forward,
 * cross-entropy, backward, gradient clipping, AdamW. yann (src/models/gpt.ts) on both
 * backends, and on wasm once more with the step compiled ('yann-wasm compiled': yann.compile
 * replays zeroGrad, forward, loss and backward; clipping and AdamW run eagerly after it); js-pytorch 0.7.2 with its own transformer layers at the same sizes (its Block:
 * a 2× ReLU MLP, no AdamW: its Adam); TF.js built from ops (gather, matmul, moments,
 * softmax, erf) with tf.variableGrads and a hand-written AdamW, on each backend that can train it.
 *
 *     npm run bench:file -- bench/gpt.ts        (quick: prints ms/iteration per library)
 *     npm run bench:file -- bench/gpt-quick.ts  (yann-wasm alone, median of rounds: the speed target)
 */
import { realpathSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import * as yann from '../src/index.js'
import * as F from '../src/functional.js'
import { GPT } from '../src/models/gpt.js'
import { cpuMs, type Case } from './lib/measure.js'
import type { Suite } from './lib/suite.js'
import { loadTf, useTf, type TF, type TfBackend } from './lib/tfjs.js'
import { answerHelp } from '../scripts/help.mjs'

export const GPT_SIZES = { vocab: 83, layers: 4, heads: 4, width: 128, context: 64, batch: 12 }
const { vocab: V, layers: NL, heads: NH, width: D, context: T, batch: B } = GPT_SIZES

function randomTokens(n: number, seed: number): Int32Array {
  let s = seed
  return Int32Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) >>> 0) % V)
}
const X = randomTokens(B * T, 1)
const Y = randomTokens(B * T, 2)

/**
 * yann's iteration, eager; or `compiled`: zeroGrad, forward, cross-entropy and backward as one
 * yann.compile step, then clipGradNorm and AdamW eagerly, as examples/gpt-char.ts trains. The
 * compiled step records here (its first two calls: `.grad` null, then set) and throws unless its
 * third call replays in the wasm plan interpreter: the row times that, never a silent fallback.
 */
export function yannGptStep(backend: 'wasm' | 'ts', compiled = false): () => void {
  yann.setBackend(backend)
  yann.manualSeed(0)
  const model = new GPT({ vocabSize: V, blockSize: T, nEmbd: D, nHead: NH, nLayer: NL })
  const params = model.parameters()
  const opt = new yann.optim.AdamW(params, { lr: 1e-3, betas: [0.9, 0.99], weightDecay: 0.1 })
  const x = new yann.Tensor(X, [B, T])
  const y = new yann.Tensor(Y, [B * T])
  const gradients = (x: yann.Tensor, y: yann.Tensor): yann.Tensor => {
    opt.zeroGrad()
    const loss = F.crossEntropy(model.forward(x).reshape([B * T, V]), y)
    loss.backward()
    return loss
  }
  const step = compiled ? yann.compile(gradients) : gradients
  if (compiled) {
    const fast = step as yann.CompiledFunction<[yann.Tensor, yann.Tensor], yann.Tensor>
    for (let i = 0; i < 3; i++) fast(x, y) // (gradients only: the parameters stay as they are)
    if (fast.lastRun !== 'replay' || fast.replayPath !== 'wasm') {
      throw new Error(`bench/gpt.ts: the compiled GPT step does not replay in the wasm interpreter (${fast.fallbackReason ?? fast.interpreterReason})`)
    }
  }
  return () => {
    step(x, y)
    yann.nn.utils.clipGradNorm(params, 1)
    opt.step()
  }
}

export async function jsPytorchStep(): Promise<() => void> {
  const { torch } = (await import('js-pytorch')) as any
  const { nn, optim } = torch
  class Model extends nn.Module {
    wte = new nn.Embedding(V, D)
    wpe = new nn.PositionalEmbedding(T, D)
    blocks = Array.from({ length: NL }, () => new nn.Block(D, D, NH, T, 0))
    ln = new nn.LayerNorm(D)
    head = new nn.Linear(D, V)
    forward(idx: unknown) {
      let z = this.wte.forward(idx).add(this.wpe.forward(idx))
      for (const b of this.blocks) z = b.forward(z)
      return this.head.forward(this.ln.forward(z))
    }
  }
  const model = new Model()
  const lossFn = new nn.CrossEntropyLoss()
  const opt = new optim.Adam(model.parameters(), 1e-3, 0)
  const idx = torch.tensor(Array.from({ length: B }, (_, b) => Array.from(X.subarray(b * T, b * T + T))))
  const target = torch.tensor(Array.from({ length: B }, (_, b) => Array.from(Y.subarray(b * T, b * T + T))))
  return () => {
    const loss = lossFn.forward(model.forward(idx), target)
    loss.backward()
    opt.step()
    opt.zero_grad()
  }
}

/** The same GPT from TF.js ops; the step with tf.variableGrads, global-norm clipping and AdamW. */
export function tfGptStep(tf: TF): () => void {
  const v = (shape: number[], std: number) => tf.variable(tf.randomNormal(shape, 0, std))
  const ones = (n: number) => tf.variable(tf.ones([n]))
  const zeros = (n: number) => tf.variable(tf.zeros([n]))
  const wte = v([V, D], 0.02)
  const wpe = v([T, D], 0.02)
  const layers = Array.from({ length: NL }, () => ({
    ln1w: ones(D), ln1b: zeros(D), attnW: v([D, 3 * D], 0.02), attnB: zeros(3 * D), projW: v([D, D], 0.02), projB: zeros(D),
    ln2w: ones(D), ln2b: zeros(D), fcW: v([D, 4 * D], 0.02), fcB: zeros(4 * D), fc2W: v([4 * D, D], 0.02), fc2B: zeros(D),
  }))
  const lnfW = ones(D)
  const lnfB = zeros(D)
  const head = v([D, V], 0.02)
  const vars = [wte, wpe, ...layers.flatMap((l) => Object.values(l)), lnfW, lnfB, head]
  const m: any[] = vars.map((x) => tf.zerosLike(x))
  const s: any[] = vars.map((x) => tf.zerosLike(x))
  const causal = tf.linalg.bandPart(tf.ones([T, T]), -1, 0).sub(1).mul(1e9)
  const x = tf.tensor2d(X, [B, T], 'int32')
  const y = tf.oneHot(tf.tensor1d(Y, 'int32'), V)
  const pos = tf.range(0, T, 1, 'int32')
  const ln = (h: any, w: any, b: any) => {
    const { mean, variance } = tf.moments(h, -1, true)
    return h.sub(mean).div(variance.add(1e-5).sqrt()).mul(w).add(b)
  }
  const dense = (h: any, w: any, b: any) => tf.add(tf.matMul(h.reshape([-1, w.shape[0]]), w), b).reshape([B, T, w.shape[1]])
  const lossFn = () => {
    let h = tf.add(tf.gather(wte, x), tf.gather(wpe, pos))
    for (const l of layers) {
      const qkv = dense(ln(h, l.ln1w, l.ln1b), l.attnW, l.attnB)
      const [q, k, val] = tf.split(qkv, 3, -1).map((t: any) => t.reshape([B, T, NH, D / NH]).transpose([0, 2, 1, 3]))
      const att = tf.softmax(tf.matMul(q, k, false, true).mul(1 / Math.sqrt(D / NH)).add(causal))
      const heads = tf.matMul(att, val).transpose([0, 2, 1, 3]).reshape([B, T, D])
      h = h.add(dense(heads, l.projW, l.projB))
      const f = dense(ln(h, l.ln2w, l.ln2b), l.fcW, l.fcB)
      const gelu = f.mul(tf.erf(f.mul(Math.SQRT1_2)).add(1)).mul(0.5)
      h = h.add(dense(gelu, l.fc2W, l.fc2B))
    }
    const logits = tf.matMul(ln(h, lnfW, lnfB).reshape([B * T, D]), head)
    return tf.losses.softmaxCrossEntropy(y, logits) as any
  }
  let t = 0
  return () => {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(lossFn, vars)
      const gs = vars.map((x) => grads[x.name])
      const norm = tf.sqrt(tf.addN(gs.map((g) => tf.sum(tf.square(g))))).dataSync()[0]
      const coef = Math.min(1, 1 / (norm + 1e-6))
      t++
      vars.forEach((p, i) => {
        const g = gs[i].mul(coef)
        const mi = m[i].mul(0.9).add(g.mul(0.1))
        const si = s[i].mul(0.99).add(g.square().mul(0.01))
        tf.dispose([m[i], s[i]])
        m[i] = tf.keep(mi)
        s[i] = tf.keep(si)
        const update = mi.div(1 - 0.9 ** t).div(si.div(1 - 0.99 ** t).sqrt().add(1e-8))
        p.assign(p.mul(1 - 1e-3 * 0.1).sub(update.mul(1e-3)))
      })
    })
  }
}

/** The cases that can train; `errors` collects why the others cannot (TF.js wasm's missing kernels, #8082). */
export async function gptCases(errors: string[]): Promise<Case[]> {
  const cases: Case[] = []
  for (const backend of ['wasm', 'ts'] as const) {
    const step = yannGptStep(backend)
    cases.push({ name: `yann-${backend}`, before: () => yann.setBackend(backend), fn: step })
  }
  cases.push({ name: 'yann-wasm compiled', before: () => yann.setBackend('wasm'), fn: yannGptStep('wasm', true) })
  try {
    cases.push({ name: 'js-pytorch', fn: await jsPytorchStep() })
  } catch (e) {
    errors.push(`js-pytorch: ${(e as Error).message}`)
  }
  const tf = await loadTf()
  for (const backend of ['wasm', 'cpu'] as TfBackend[]) {
    try {
      useTf(tf, backend)
      const step = tfGptStep(tf)
      step() // a backend without a kernel or gradient fails here
      cases.push({ name: `tfjs-${backend}`, before: () => useTf(tf, backend), fn: step })
    } catch (e) {
      errors.push(`tfjs-${backend}: ${(e as Error).message.split('\n')[0]}`)
    }
  }
  return cases
}

/** As a Suite of interleaved rounds (too slow with js-pytorch in the loop: run.ts uses gptBench). */
export const gptSuite: Suite = {
  name: 'gpt',
  title: 'GPT training iteration (4 layers, 4 heads, width 128, context 64, batch 12)',
  async groups() {
    return [{ key: 'batch 12 context 64', params: { batch: B, context: T }, cases: () => gptCases([]) }]
  },
}

/** CPU milliseconds per call of `fn`: `warmup` untimed calls, then `n` timed calls. */
function msPerCall(fn: () => void, n: number, warmup = 1): { cpu: number; wall: number } {
  for (let i = 0; i < warmup; i++) fn()
  const c0 = cpuMs()
  const w0 = performance.now()
  for (let i = 0; i < n; i++) fn()
  return { cpu: (cpuMs() - c0) / n, wall: (performance.now() - w0) / n }
}

/**
 * CPU milliseconds per iteration of each library that can train the GPT, and why the others
 * cannot. A few iterations each (js-pytorch takes seconds per iteration: one), after one untimed
 * (the compiled step recorded when it was made).
 */
export async function gptBench(quick: boolean, log: (s: string) => void = () => {}): Promise<{ ms: Map<string, number>; errors: string[] }> {
  const errors: string[] = []
  const cases = await gptCases(errors)
  const ms = new Map<string, number>()
  for (const c of cases) {
    await c.before?.()
    const n = c.name === 'js-pytorch' ? 1 : c.name.startsWith('yann-wasm') ? (quick ? 10 : 30) : quick ? 2 : 5
    const t = msPerCall(c.fn, n)
    ms.set(c.name, t.cpu)
    log(`GPT iteration, ${c.name}: ${t.cpu.toFixed(1)} ms (CPU time; wall ${t.wall.toFixed(1)} ms)`)
  }
  return { ms, errors }
}

if (process.argv[1] && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href) {
  answerHelp(`Usage: npm run bench:file -- bench/gpt.ts

The Moby-Dick GPT's training iteration: yann (wasm eager and compiled, ts), js-pytorch and
TF.js on each backend that can train it; prints ms per iteration (quick rounds).
  -h, --help  this message`)
  await yann.ready()
  const { ms, errors } = await gptBench(true, console.log)
  for (const e of errors) console.log(`cannot train: ${e}`)
  const wasm = ms.get('yann-wasm')!
  for (const [name, t] of ms) if (name !== 'yann-wasm') console.log(`yann-wasm vs ${name}: ${(t / wasm).toFixed(1)}×`)
}
