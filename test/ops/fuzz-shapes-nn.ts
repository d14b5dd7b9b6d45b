import { F, noGrad, optim, Tensor } from '../../src/index.js'
import type { Case } from './fuzz-shapes-cases.js'
import { bools, broadcastable, ints, leaf, type Rng } from './fuzz-shapes-gen.js'

/** The nn ops of test/ops/fuzz-shapes.test.ts: conv, pooling, norms, attention and every loss. */

type Gen = (r: Rng) => Case
const small = (r: Rng, lo = 1) => r.range(lo, 3)
const pair = (r: Rng, lo: number, hi: number) => (r.chance(0.5) ? r.range(lo, hi) : [r.range(lo, hi), r.range(lo, hi)])
const reduction = (r: Rng) => r.pick(['none', 'mean', 'sum'] as const)

const convs: Record<string, Gen> = {
  conv: (r) => {
    const two = r.chance(0.6)
    const groups = small(r)
    const [n, cg, ocg] = [r.size(1), small(r), small(r)]
    const sp = Array.from({ length: two ? 2 : 1 }, () => r.range(1, 9))
    const k = sp.map(() => small(r))
    const stride = r.range(1, 3)
    const dilation = r.range(1, 2)
    const padding = r.chance(0.2) ? r.pick(['same', 'valid'] as const) : r.range(0, 2)
    const o = { stride: padding === 'same' ? 1 : stride, padding, dilation, groups }
    const bias = r.chance(0.5)
    const leaves = [leaf(r, [n, groups * cg, ...sp]), leaf(r, [groups * ocg, cg, ...k]), ...(bias ? [leaf(r, [groups * ocg])] : [])]
    return { leaves, run: ([x, w, b]) => (two ? F.conv2d : F.conv1d)(x, w, b ?? null, o), note: `${two ? 'conv2d' : 'conv1d'} ${JSON.stringify(o)}` }
  },
  convTranspose2d: (r) => {
    const groups = small(r)
    const [n, cg, ocg] = [r.size(1), small(r), small(r)]
    const sp = [r.range(1, 6), r.range(1, 6)]
    const k = [small(r), small(r)]
    const o = { stride: r.range(1, 3), padding: r.range(0, 1), dilation: r.range(1, 2), groups, outputPadding: 0 }
    o.outputPadding = r.int(Math.max(o.stride, o.dilation))
    const bias = r.chance(0.5)
    const leaves = [leaf(r, [n, groups * cg, ...sp]), leaf(r, [groups * cg, ocg, ...k]), ...(bias ? [leaf(r, [groups * ocg])] : [])]
    return { leaves, run: ([x, w, b]) => F.convTranspose2d(x, w, b ?? null, o), note: JSON.stringify(o) }
  },
  maxPool: (r) => {
    const two = r.chance(0.6)
    const k = small(r)
    const o = { stride: r.chance(0.3) ? null : r.range(1, 3), padding: r.int(Math.floor(k / 2) + 1), dilation: r.range(1, 2), ceilMode: r.chance(0.5), returnIndices: r.chance(0.5) }
    const s = [...(r.chance(0.3) ? [] : [r.size(1)]), r.size(1), ...Array.from({ length: two ? 2 : 1 }, () => r.range(1, 9))]
    return { leaves: [leaf(r, s, { ties: true })], run: ([x]) => (two ? F.maxPool2d : F.maxPool1d)(x, k, o), note: `${two ? 2 : 1}d k ${k} ${JSON.stringify(o)}` }
  },
  avgPool: (r) => {
    const two = r.chance(0.6)
    const k = small(r)
    const o = { stride: r.chance(0.3) ? null : r.range(1, 3), padding: r.int(Math.floor(k / 2) + 1), ceilMode: r.chance(0.5), countIncludePad: r.chance(0.5) }
    const s = [...(r.chance(0.3) ? [] : [r.size(1)]), r.size(1), ...Array.from({ length: two ? 2 : 1 }, () => r.range(1, 9))]
    return { leaves: [leaf(r, s)], run: ([x]) => (two ? F.avgPool2d : F.avgPool1d)(x, k, o), note: `${two ? 2 : 1}d k ${k} ${JSON.stringify(o)}` }
  },
  adaptiveAvgPool2d: (r) => {
    const s = [...(r.chance(0.3) ? [] : [r.size(1)]), r.size(1), r.range(1, 11), r.range(1, 11)]
    const out = [r.range(1, 5), r.chance(0.2) ? null : r.range(1, 5)]
    return { leaves: [leaf(r, s)], run: ([x]) => F.adaptiveAvgPool2d(x, out), note: `out ${JSON.stringify(out)}` }
  },
}

/** 1/√var amplifies float32 rounding where a few values lie close together (a row of 2). */
const NORM_TOL32 = 1e-5

const norms: Record<string, Gen> = {
  layerNorm: (r) => {
    const s = r.shape(r.range(1, 4))
    const tail = s.slice(r.range(Math.max(0, s.length - 2), s.length - 1))
    const affine = r.chance(0.6)
    const leaves = [leaf(r, s, { noExpand: true }), ...(affine ? [leaf(r, tail), leaf(r, tail)] : [])]
    return { leaves, run: ([x, w, b]) => F.layerNorm(x, tail, w ?? null, b ?? null), tol32: NORM_TOL32, note: `normalizedShape ${JSON.stringify(tail)}` }
  },
  groupNorm: (r) => {
    const g = small(r)
    const s = [r.size(1), g * small(r), ...r.shape(r.range(0, 2), 1)]
    const affine = r.chance(0.6)
    const leaves = [leaf(r, s, { noExpand: true }), ...(affine ? [leaf(r, [s[1]]), leaf(r, [s[1]])] : [])]
    return { leaves, run: ([x, w, b]) => F.groupNorm(x, g, w ?? null, b ?? null), tol32: NORM_TOL32, note: `groups ${g}` }
  },
  batchNorm: (r) => {
    const s = [r.range(2, 5), r.size(1), ...r.shape(r.range(0, 2), 1)]
    const c = s[1]
    const training = r.chance(0.5)
    const affine = r.chance(0.6)
    const rm = Float64Array.from({ length: c }, () => r.next() - 0.5)
    const rv = Float64Array.from({ length: c }, () => r.next() + 0.5)
    const stat = (x: Tensor, d: Float64Array) => new Tensor(x.dtype === 'float32' ? Float32Array.from(d) : Float64Array.from(d), [c])
    const leaves = [leaf(r, s, { noExpand: true }), ...(affine ? [leaf(r, [c]), leaf(r, [c])] : [])]
    return {
      leaves,
      run: ([x, w, b]) => {
        const [m, v] = [stat(x, rm), stat(x, rv)]
        return [F.batchNorm(x, m, v, w ?? null, b ?? null, { training, momentum: 0.3 }), m, v]
      },
      tol32: NORM_TOL32,
      note: `training ${training}`,
    }
  },
  attention: (r) => {
    const batch = r.shape(r.range(0, 2), 1)
    const [L, S, E, Ev] = [r.size(1), r.size(1), r.size(1), r.size(1)]
    const how = r.int(4)
    const maskShape = broadcastable(r, [...batch, L, S])
    const boolMask = bools(r, maskShape, 0.8)
    const leaves = [leaf(r, [...batch, L, E]), leaf(r, [...batch, S, E]), leaf(r, [...batch, S, Ev]), ...(how === 3 ? [leaf(r, maskShape)] : [])]
    const scale = r.chance(0.3) ? 0.7 : undefined
    return {
      leaves,
      run: ([q, k, v, m]) => F.scaledDotProductAttention(q, k, v, { isCausal: how === 1, attnMask: how === 2 ? boolMask() : (m ?? null), scale }),
      note: `${['plain', 'causal', 'bool mask', 'float mask'][how]} mask ${JSON.stringify(maskShape)} scale ${scale}`,
    }
  },
}

const losses: Record<string, Gen> = {
  crossEntropy: (r) => {
    const c = r.size(1)
    const s = r.pick([[c], [r.size(), c], [r.size(), c, ...r.shape(r.range(1, 2))]])
    const sample = s.length === 1 ? [] : [s[0], ...s.slice(2)]
    const probs = r.chance(0.3)
    const ignoreIndex = r.chance(0.3) ? r.int(c) : -100
    const target = ints(r, sample, 0, c - 1)
    const o = { reduction: reduction(r), ignoreIndex, labelSmoothing: r.pick([0, 0, 0.1]) }
    const nll = !probs && r.chance(0.3)
    const weighted = r.chance(0.4)
    const leaves = [leaf(r, s), ...(probs ? [leaf(r, s, { positive: true })] : []), ...(weighted ? [leaf(r, [c], { positive: true, plain: true })] : [])]
    return {
      leaves,
      run: ([x, t, w]) => {
        const weight = weighted ? (probs ? w : t).detach() : null
        if (nll) return F.nllLoss(x, target(), { reduction: o.reduction, ignoreIndex, weight })
        return F.crossEntropy(x, probs ? t : target(), probs ? { reduction: o.reduction, labelSmoothing: o.labelSmoothing, weight } : { ...o, weight })
      },
      note: `${nll ? 'nll' : 'ce'} ${probs ? 'probs' : 'index'} ${JSON.stringify(o)} weighted ${weighted}`,
    }
  },
  pointwise: (r) => {
    const s = r.shape(r.range(0, 3))
    const how = r.int(7)
    const o = { reduction: reduction(r) }
    const name = ['binaryCrossEntropy', 'binaryCrossEntropyWithLogits', 'mseLoss', 'l1Loss', 'smoothL1Loss', 'huberLoss', 'klDiv'][how]
    const weighted = how < 2 && r.chance(0.5)
    const posWeighted = how === 1 && r.chance(0.5)
    const wShape = broadcastable(r, s)
    const beta = r.pick([0, 0.5, 1])
    const logTarget = r.chance(0.5)
    const klReduction = r.pick(['none', 'mean', 'sum', 'batchmean'] as const)
    const leaves = [leaf(r, s), leaf(r, s, { positive: how < 2 }), leaf(r, wShape, { positive: true }), leaf(r, s.slice(-1), { positive: true })]
    return {
      leaves,
      run: ([x, y, w, pw]) => {
        const weight = weighted ? w : null
        // BCE has no gradient with respect to the target (as PyTorch)
        if (how === 0) return F.binaryCrossEntropy(x.sigmoid(), y.div(y.add(1)).detach(), { ...o, weight })
        if (how === 1) return F.binaryCrossEntropyWithLogits(x, y.div(y.add(1)).detach(), { ...o, weight, posWeight: posWeighted ? pw : null })
        if (how === 2) return F.mseLoss(x, y, o)
        if (how === 3) return F.l1Loss(x, y, o)
        if (how === 4) return F.smoothL1Loss(x, y, { ...o, beta })
        if (how === 5) return F.huberLoss(x, y, { ...o, delta: beta + 0.5 })
        return F.klDiv(x, logTarget ? y : y.abs(), { reduction: klReduction, logTarget })
      },
      note: `${name} ${JSON.stringify(o)} weight ${weighted ? JSON.stringify(wShape) : '-'} posWeight ${posWeighted}`,
    }
  },
  similarity: (r) => {
    const s = r.shape(r.range(1, 3), 1)
    const dim = r.int(s.length) - (r.chance(0.5) ? s.length : 0)
    const cos = r.chance(0.5)
    const p = r.pick([1, 2, 3])
    // x/‖x‖ along a size-1 dim is sign(x): its float32 gradient is rounding noise ~ eps/|x|
    const leaves = [leaf(r, s, { away: true }), leaf(r, broadcastable(r, s), { away: true })]
    return { leaves, run: ([a, b]) => (cos ? F.cosineSimilarity(a, b, { dim }) : F.normalize(a, { p, dim })), tol32: 2e-5, note: `${cos ? 'cosineSimilarity' : `normalize p ${p}`} dim ${dim}` }
  },
}

/** Optimiser steps (the sgdStep/adamStep kernels and the ts updates): the parameters after a few steps. */
const optimisers: Record<string, Gen> = {
  optimiser: (r) => {
    const s = r.shape(r.range(1, 2))
    const steps = r.range(1, 4)
    const kind = r.int(5)
    const o = [
      { lr: 0.1, momentum: r.pick([0, 0.9]), dampening: r.pick([0, 0.3]), nesterov: false, weightDecay: r.pick([0, 0.01]) },
      { lr: 0.01, betas: [0.9, r.pick([0.999, 0.5])], eps: 1e-8, weightDecay: r.pick([0, 0.1]) },
      { lr: 0.01, betas: [0.8, 0.99], weightDecay: r.pick([0, 0.1]) },
      { lr: 0.01, alpha: 0.9, momentum: r.pick([0, 0.5]), centered: r.chance(0.5), weightDecay: r.pick([0, 0.1]) },
      { lr: 0.1, lrDecay: r.pick([0, 0.01]), weightDecay: r.pick([0, 0.1]), initialAccumulatorValue: r.pick([0, 0.1]) },
    ][kind]
    if (kind === 0 && o.momentum && !o.dampening && r.chance(0.5)) o.nesterov = true
    const make = [optim.SGD, optim.Adam, optim.AdamW, optim.RMSprop, optim.Adagrad][kind] as unknown as new (p: Tensor[], o: object) => { step(): void }
    const grads = Array.from({ length: steps }, () => leaf(r, s, { plain: true }).data)
    return {
      leaves: [leaf(r, s, { plain: true })],
      run: ([x]) => {
        const p = x.detach().clone()
        p.requiresGrad = true
        const opt = new make([p], o)
        for (const g of grads) {
          p.grad = new Tensor(p.dtype === 'float32' ? Float32Array.from(g) : Float64Array.from(g), s)
          noGrad(() => opt.step())
        }
        return p.detach().clone()
      },
      note: `${make.name} ${JSON.stringify(o)} ${steps} steps`,
    }
  },
}

export const NN_GENS: Record<string, Gen> = { ...convs, ...norms, ...losses, ...optimisers }
