import { describe, expect, it } from 'vitest'
import { getBackend, loadSafetensors, saveSafetensors, Tensor } from '../../src/index.js'
import { GPT } from '../../src/models/gpt.js'
import { learningRate, trainGptChar } from '../../examples/gpt-char.js'

describe('GPT on Moby-Dick (a short version of examples/gpt-char.ts)', () => {
  it('the validation loss falls well below uniform guessing, and the model writes seeded text', () => {
    const lines: string[] = []
    const r = trainGptChar((...a) => lines.push(a.join(' ')), {
      backend: getBackend(), iters: 150, nLayer: 1, nHead: 2, nEmbd: 32, blockSize: 16, batchSize: 8, evalInterval: 50, evalIters: 4, sampleChars: 60, progress: false, lr: 1e-2, warmup: 10,
    })
    expect(lines[0]).toBe('Moby-Dick: 1190317 characters, 83 distinct; 1071285 to train, 119032 to validate')
    expect(r.valLosses.map(([it]) => it)).toEqual([50, 100, 150])
    // Uniform over 83 characters is ln 83 ≈ 4.42; the character frequencies alone give ≈ 3.3.
    // (Measured: 3.01, 2.81, 2.70 on both backends.)
    expect(r.valLosses[0][1]).toBeLessThan(3.3)
    expect(r.valLosses[2][1]).toBeLessThan(2.85)
    expect(r.valLosses[2][1]).toBeLessThan(r.valLosses[0][1])
    expect(r.sample).toHaveLength(60)
    expect(lines.some((l) => l.startsWith('iter 100: val loss '))).toBe(true)
  })

  it('compiled (the default) and eager give the same losses, loss for loss, and the same text', () => {
    const run = (compiled: boolean) =>
      trainGptChar(() => {}, {
        backend: getBackend(), compiled, iters: 20, nLayer: 2, nHead: 2, nEmbd: 16, blockSize: 8, batchSize: 4, evalInterval: 10, evalIters: 2, sampleChars: 20, progress: false, lr: 1e-2, warmup: 5,
      })
    const eager = run(false)
    const compiled = run(true)
    expect(compiled.compiledRun).toMatch(/^replay \((wasm|js)\)$/)
    expect(eager.compiledRun).toBeNull()
    expect(compiled.losses).toHaveLength(20)
    expect(compiled.losses).toEqual(eager.losses)
    expect(compiled.valLosses).toEqual(eager.valLosses)
    expect(compiled.sample).toBe(eager.sample)
    expect(eager.losses[19]).toBeLessThan(eager.losses[0])
  })

  it("nanoGPT's learning-rate schedule: warm-up, cosine, floor", () => {
    expect(learningRate(0)).toBeCloseTo(1e-3 / 101, 12)
    expect(learningRate(100)).toBeCloseTo(1e-3, 12)
    expect(learningRate(1050)).toBeCloseTo(5.5e-4, 12)
    expect(learningRate(2000)).toBeCloseTo(1e-4, 12)
  })
})

describe('GPT', () => {
  const config = { vocabSize: 11, blockSize: 6, nEmbd: 8, nHead: 2, nLayer: 2, dtype: 'float64' as const }

  it("loads a checkpoint with nanoGPT's key names through safetensors", () => {
    const a = new GPT(config)
    const keys = Object.keys(a.stateDict())
    expect(keys).toContain('h.1.attn.c_attn.weight')
    expect(keys).toContain('h.0.mlp.c_proj.bias')
    expect(keys).toEqual(['wte.weight', 'wpe.weight', ...[0, 1].flatMap((i) => ['ln_1.weight', 'ln_1.bias', 'attn.c_attn.weight', 'attn.c_attn.bias', 'attn.c_proj.weight', 'attn.c_proj.bias', 'ln_2.weight', 'ln_2.bias', 'mlp.c_fc.weight', 'mlp.c_fc.bias', 'mlp.c_proj.weight', 'mlp.c_proj.bias'].map((k) => `h.${i}.${k}`)), 'ln_f.weight', 'ln_f.bias', 'lm_head.weight'])
    const b = new GPT(config)
    b.loadStateDict(loadSafetensors(saveSafetensors(a.stateDict())).tensors)
    const idx = new Tensor(Int32Array.of(1, 5, 3, 10), [1, 4])
    expect(Array.from(b.forward(idx).data)).toEqual(Array.from(a.forward(idx).data))
  })

  it('generate is seeded, greedy-like at low temperature, and crops the context to blockSize', () => {
    const m = new GPT(config)
    const one = m.generate([1, 2], 10, { seed: 7 })
    expect(one).toHaveLength(12)
    expect(m.generate([1, 2], 10, { seed: 7 })).toEqual(one)
    expect(one.every((t) => Number.isInteger(t) && t >= 0 && t < 11)).toBe(true)
    const top1 = m.generate([3], 5, { topK: 1, seed: 1 })
    expect(m.generate([3], 5, { topK: 1, seed: 2 })).toEqual(top1)
  })

  it('bad input: float or too long token ids, nEmbd not divisible by nHead', () => {
    const m = new GPT(config)
    expect(() => m.forward(new Tensor(Float32Array.of(1, 2), [1, 2]))).toThrow(/GPT: expected int32 token ids \[batch, time\], got float32 \[1, 2\]/)
    expect(() => m.forward(new Tensor(new Int32Array(7), [1, 7]))).toThrow(/longer than blockSize 6/)
    expect(() => new GPT({ ...config, nHead: 3 })).toThrow(/nEmbd \(8\) must be divisible by nHead \(3\)/)
  })
})
