import { describe, expect, it } from 'vitest'
import { arange, manualSeed, optim, tensor, type Tensor } from '../../src/index.js'
import * as keras from '../../src/keras.js'
import { expectClose } from './helpers.js'

const f64 = { dtype: 'float64' as const }

/** One sigmoid unit with a known kernel [[1], [−1]] and zero bias. */
function knownUnit(): keras.Sequential {
  const m = keras.sequential({
    layers: [keras.layers.dense({ units: 1, inputShape: [2], activation: 'sigmoid', kernelInitializer: keras.initializers.constant([1, -1]), dtype: 'float64' })],
  })
  m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy', metrics: ['accuracy'] })
  return m
}

// Logits z = x·[1, −1] = [2, −2, 1, −1]; labels 1, 1, 1, 0: rows 0, 2, 3 are right, row 1 is wrong.
const X4 = tensor([[2, 0], [0, 2], [1, 0], [0, 1]], f64)
const Y4 = tensor([[1], [1], [1], [0]], f64)
const softplus = (v: number): number => Math.log(1 + Math.exp(v))
const LOSS4 = (softplus(-2) + softplus(2) + softplus(-1) + softplus(-1)) / 4

describe('evaluate and predict on a hand-checked case', () => {
  it('evaluate gives [loss, accuracy]: the loss from the logits formula, accuracy 3 of 4', () => {
    const [loss, acc] = knownUnit().evaluate(X4, Y4) as Tensor[]
    expect(loss.ndim).toBe(0)
    expect(Math.abs(loss.item() - LOSS4)).toBeLessThan(1e-12)
    expect(acc.item()).toBe(0.75)
  })

  it('evaluate in batches averages over samples, not batches', () => {
    const [loss, acc] = knownUnit().evaluate(X4, Y4, { batchSize: 3 }) as Tensor[]
    expect(Math.abs(loss.item() - LOSS4)).toBeLessThan(1e-12)
    expect(acc.item()).toBe(0.75)
  })

  it('without metrics, evaluate gives the loss alone', () => {
    const m = knownUnit()
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })
    const loss = m.evaluate(X4, Y4) as Tensor
    const p = [2, -2, 1, -1].map((z) => 1 / (1 + Math.exp(-z)))
    expect(Math.abs(loss.item() - ((p[0] - 1) ** 2 + (p[1] - 1) ** 2 + (p[2] - 1) ** 2 + p[3] ** 2) / 4)).toBeLessThan(1e-12)
  })

  it('predict gives the sigmoid outputs, the same whatever the batch size', () => {
    const m = knownUnit()
    const p = m.predict(X4, { batchSize: 3 })
    expect(p.shape).toEqual([4, 1])
    expectClose(p, [2, -2, 1, -1].map((z) => [1 / (1 + Math.exp(-z))]), 1e-12)
    expect(p.requiresGrad).toBe(false)
    expect(m.predict(X4).toArray()).toEqual(p.toArray())
  })
})

/** A linearly separable problem: the label is 1 where x0 + x1 > 0. */
function separable(n: number): [Tensor, Tensor] {
  manualSeed(11)
  const xs: number[][] = []
  const ys: number[][] = []
  for (let i = 0; i < n; i++) {
    const a = Math.sin(i * 12.9898) * 2
    const b = Math.cos(i * 78.233) * 2
    xs.push([a, b])
    ys.push([a + b > 0 ? 1 : 0])
  }
  return [tensor(xs), tensor(ys)]
}

function classifier(optimizer: keras.OptimizerIdentifier = keras.optimizers.adam({ learningRate: 0.05 })): keras.Sequential {
  const m = keras.sequential({
    layers: [
      keras.layers.dense({ units: 8, inputShape: [2], activation: 'tanh', kernelInitializer: keras.initializers.glorotUniform({ seed: 1 }) }),
      keras.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: keras.initializers.glorotUniform({ seed: 2 }) }),
    ],
  })
  m.compile({ optimizer, loss: 'binaryCrossentropy', metrics: ['accuracy'] })
  return m
}

describe('fit', () => {
  it('learns a separable problem: the loss falls and accuracy reaches 1', async () => {
    const [x, y] = separable(40)
    const m = classifier()
    const h = await m.fit(x, y, { epochs: 60, batchSize: 8, verbose: 0 })
    const loss = h.history.loss
    expect(loss.length).toBe(60)
    expect(loss[59]).toBeLessThan(loss[0] / 3)
    expect(h.history.accuracy[59]).toBe(1)
    const [, acc] = m.evaluate(x, y) as Tensor[]
    expect(acc.item()).toBe(1)
  })

  it("'sgd' is SGD with Keras's learning rate 0.01", async () => {
    // y = x·k, k = 1, x = 1, target 0: MSE 1, gradient 2, so k becomes 1 − 0.01·2.
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'ones', dtype: 'float64' })] })
    m.compile({ optimizer: 'sgd', loss: 'meanSquaredError' })
    await m.fit(tensor([[1]], f64), tensor([[0]], f64), { verbose: 0 })
    expect(m.weights[0].read().data[0]).toBeCloseTo(0.98, 14)
  })

  it("'adam' follows Keras's rule: ε = 1e-7 added to √v before bias correction", async () => {
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [1], useBias: false, kernelInitializer: 'ones', dtype: 'float64' })] })
    m.compile({ optimizer: 'adam', loss: 'meanSquaredError' })
    let k = 1
    let mo = 0
    let v = 0
    for (let t = 1; t <= 3; t++) {
      await m.fit(tensor([[1]], f64), tensor([[0]], f64), { verbose: 0 })
      const g = 2 * k
      mo = 0.9 * mo + 0.1 * g
      v = 0.999 * v + 0.001 * g * g
      k -= ((0.001 * Math.sqrt(1 - 0.999 ** t)) / (1 - 0.9 ** t)) * (mo / (Math.sqrt(v) + 1e-7))
      expect(Math.abs(m.weights[0].read().data[0] - k)).toBeLessThan(1e-15)
    }
  })

  it('takes a yann optimizer holding the model\'s weights', async () => {
    const [x, y] = separable(16)
    const m = classifier()
    const opt = new optim.SGD(m.weights.map((w) => w.read()), { lr: 0.5 })
    m.compile({ optimizer: opt, loss: 'binaryCrossentropy' })
    const before = m.getWeights()
    await m.fit(x, y, { epochs: 2, verbose: 0 })
    expect(m.getWeights()[0].toArray()).not.toEqual(before[0].toArray())
  })

  it('returns a History: epoch numbers, one value per epoch per key, and the params', async () => {
    const [x, y] = separable(10)
    const h = await classifier().fit(x, y, { epochs: 3, batchSize: 4, validationSplit: 0.2, verbose: 0 })
    expect(h).toBeInstanceOf(keras.History)
    expect(h.epoch).toEqual([0, 1, 2])
    expect(Object.keys(h.history).sort()).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss'])
    for (const values of Object.values(h.history)) expect(values.length).toBe(3)
    expect(h.params).toMatchObject({ epochs: 3, samples: 8, steps: 2, batchSize: 4, doValidation: true, metrics: ['loss', 'accuracy', 'val_loss', 'val_accuracy'] })
  })

  it('runs callbacks in order, awaiting each, with batch logs { batch, size, loss, metrics }', async () => {
    const [x, y] = separable(5)
    const events: string[] = []
    const batchLogs: Record<string, number>[] = []
    const slow = (name: string) => async () => {
      await new Promise((r) => setTimeout(r, 2))
      events.push(name)
    }
    await classifier().fit(x, y, {
      epochs: 2,
      batchSize: 3,
      verbose: 0,
      callbacks: [
        {
          onTrainBegin: () => void events.push('trainBegin'),
          onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
          onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
          onBatchEnd: (b, logs) => {
            events.push(`batchEnd ${b}`)
            batchLogs.push(logs!)
          },
          onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs!).join(',')}`),
          onTrainEnd: () => void events.push('trainEnd'),
        },
        { onEpochEnd: slow('second callback, awaited') },
      ],
    })
    const epoch = (e: number) => [`epochBegin ${e}`, 'batchBegin 0', 'batchEnd 0', 'batchBegin 1', 'batchEnd 1', `epochEnd ${e} loss,accuracy`, 'second callback, awaited']
    expect(events).toEqual(['trainBegin', ...epoch(0), ...epoch(1), 'trainEnd'])
    expect(batchLogs[0]).toMatchObject({ batch: 0, size: 3 })
    expect(batchLogs[1]).toMatchObject({ batch: 1, size: 2 })
    expect(Object.keys(batchLogs[0])).toEqual(['batch', 'size', 'loss', 'accuracy'])
  })

  it('gives Callback subclasses the model and params; stopTraining ends fit after the epoch', async () => {
    const [x, y] = separable(4)
    class StopAtOne extends keras.Callback {
      onEpochEnd(epoch: number): void {
        if (epoch === 1) (this.model as keras.Sequential).stopTraining = true
      }
    }
    const cb = new StopAtOne()
    const m = classifier()
    const h = await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: cb })
    expect(cb.model).toBe(m)
    expect(cb.params?.epochs).toBe(10)
    expect(h.epoch).toEqual([0, 1])
  })

  /** A model whose loss records the targets it is given (the targets are sample ids). */
  function spyModel(seen: number[][]): keras.Sequential {
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [1] })] })
    m.compile({
      optimizer: 'sgd',
      loss: function spy(yTrue: Tensor, yPred: Tensor) {
        seen.push(Array.from(yTrue.data))
        return yPred.sub(yPred).sum(-1)
      },
    })
    return m
  }

  it('validationSplit holds out the last samples (before shuffling) and reports val_ values', async () => {
    const seen: number[][] = []
    const m = spyModel(seen)
    const ids = arange(10).reshape([10, 1])
    const batches: number[] = []
    await m.fit(ids, ids, { epochs: 1, batchSize: 3, shuffle: false, validationSplit: 0.2, verbose: 0, callbacks: { onBatchEnd: (_b, l) => void batches.push(l!.size) } })
    expect(batches).toEqual([3, 3, 2])
    expect(seen).toEqual([[0, 1, 2], [3, 4, 5], [6, 7], [8, 9]])

    const [x, y] = separable(10)
    const model = classifier()
    const h = await model.fit(x, y, { epochs: 1, validationSplit: 0.2, verbose: 0 })
    // val_ values are the last 2 samples evaluated with the weights at the epoch's end.
    const [vl, va] = model.evaluate(tensor((x.toArray() as number[][]).slice(8)), tensor((y.toArray() as number[][]).slice(8))) as Tensor[]
    expect(h.history.val_loss[0]).toBeCloseTo(vl.item(), 6)
    expect(h.history.val_accuracy[0]).toBe(va.item())
  })

  it('validationData is used as given', async () => {
    const [x, y] = separable(8)
    const m = classifier()
    const h = await m.fit(x, y, { epochs: 1, validationData: [x, y], verbose: 0 })
    const [loss] = m.evaluate(x, y) as Tensor[]
    expect(h.history.val_loss[0]).toBeCloseTo(loss.item(), 6)
  })

  it('shuffle: false keeps the order; true gives a new permutation each epoch, repeatable with manualSeed', async () => {
    const ids = arange(8).reshape([8, 1])
    const run = async (shuffle: boolean, seed: number): Promise<number[][]> => {
      const seen: number[][] = []
      manualSeed(seed)
      await spyModel(seen).fit(ids, ids, { epochs: 2, batchSize: 8, shuffle, verbose: 0 })
      return seen
    }
    const ordered = await run(false, 1)
    expect(ordered).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7]])
    const shuffled = await run(true, 1)
    for (const epoch of shuffled) expect([...epoch].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    expect(shuffled[0]).not.toEqual(ordered[0])
    expect(shuffled[1]).not.toEqual(shuffled[0])
    expect(await run(true, 1)).toEqual(shuffled)
  })

  it('gives the event loop a turn between batches (yieldEvery "batch"), none with "never"', async () => {
    const [x, y] = separable(10)
    const turns = async (yieldEvery: 'batch' | 'never'): Promise<number> => {
      let n = 0
      let done = false
      const spin = (): void => {
        if (done) return
        n++
        setImmediate(spin)
      }
      setImmediate(spin)
      await classifier().fit(x, y, { epochs: 1, batchSize: 2, verbose: 0, yieldEvery })
      done = true
      return n
    }
    expect(await turns('batch')).toBeGreaterThanOrEqual(4)
    expect(await turns('never')).toBe(0)
  })
})

describe('errors', () => {
  const [x, y] = separable(4)

  it('fit and evaluate before compile say to compile', async () => {
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 1, inputShape: [2] })] })
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow(/fit: compile the model first/)
    expect(() => m.evaluate(x, y)).toThrow(/evaluate: compile the model first/)
  })

  it('an unknown optimizer or loss lists the valid names', () => {
    const m = classifier()
    expect(() => m.compile({ optimizer: 'rmsprop' as never, loss: 'binaryCrossentropy' })).toThrow(/unknown optimizer 'rmsprop'; use one of 'sgd', 'adam'/)
    expect(() => m.compile({ optimizer: 'sgd', loss: 'hinge' as never })).toThrow(
      /unknown loss 'hinge'; use one of 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy', 'meanSquaredError'/,
    )
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['f1' as never] })).toThrow(/unknown metric 'f1'; use one of 'accuracy', 'acc', 'binaryAccuracy'/)
    expect(() => m.compile({ loss: 'mse' } as never)).toThrow(/an optimizer is required/)
  })

  it("accepts Python Keras's spellings: 'SGD', 'binary_crossentropy', 'mse'", () => {
    expect(() => classifier().compile({ optimizer: 'SGD', loss: 'binary_crossentropy' })).not.toThrow()
    expect(() => classifier().compile({ optimizer: 'Adam', loss: 'mse' })).not.toThrow()
  })

  it('a target shaped unlike the output fails in fit, naming both shapes', async () => {
    await expect(classifier().fit(x, tensor([[1, 0], [1, 0], [0, 1], [0, 1]]), { verbose: 0 })).rejects.toThrow(/y has shape \[4, 2\] but the model's output for it is \[4, 1\]/)
  })

  it('x and y with different sample counts, or x of the wrong width, are errors naming the shapes', async () => {
    await expect(classifier().fit(x, tensor([[1], [0]]), { verbose: 0 })).rejects.toThrow(/x has 4 samples \(shape \[4, 2\]\) but y has 2 \(shape \[2, 1\]\)/)
    await expect(classifier().fit(tensor([[1, 2, 3]]), tensor([[1]]), { verbose: 0 })).rejects.toThrow(/expects input of shape \[null, 2\], got x of shape \[1, 3\]/)
  })

  it('bad fit arguments are refused', async () => {
    await expect(classifier().fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize must be a positive integer, got 0/)
    await expect(classifier().fit(x, y, { validationSplit: 1, verbose: 0 })).rejects.toThrow(/validationSplit must be a number in \[0, 1\)/)
    await expect(classifier().fit(tensor([[1, 2]]), tensor([[1]]), { validationSplit: 0.5, verbose: 0 })).rejects.toThrow(/validationSplit 0.5 of 1 samples leaves no training samples/)
    await expect(classifier().fit(x, y, { verbose: 3 as never })).rejects.toThrow(/verbose must be 0, 1 or 2/)
  })

  it('Dense refuses an input of the wrong width, naming the shapes', () => {
    const layer = keras.layers.dense({ units: 2, inputShape: [3] })
    keras.sequential({ layers: [layer] })
    expect(() => layer.apply(tensor([[1, 2]]))).toThrow(/expected input of shape \[batch, 3\] \(kernel \[3, 2\]\), got \[1, 2\]/)
    expect(() => keras.layers.dense({ units: 0 })).toThrow(/units must be a positive integer/)
    expect(() => keras.layers.dense({ units: 1, activation: 'gelu' as never })).toThrow(/unknown activation 'gelu'; use one of 'relu', 'sigmoid', 'tanh', 'softmax', 'linear'/)
  })
})

describe('models', () => {
  it('build lazily from the first fit when no inputShape is given', async () => {
    const m = keras.sequential()
    m.add(keras.layers.dense({ units: 4, activation: 'relu' }))
    m.add(keras.layers.dense({ units: 1, activation: 'sigmoid' }))
    expect(m.built).toBe(false)
    expect(m.weights).toEqual([])
    m.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' })
    const [x, y] = separable(4)
    await m.fit(x, y, { verbose: 0 })
    expect(m.built).toBe(true)
    expect(m.weights.map((w) => w.shape)).toEqual([[2, 4], [4], [4, 1], [1]])
  })

  it('a softmax head with categorical and sparse categorical losses trains', async () => {
    const x = tensor([[1, 0], [0, 1], [1, 1], [0, 0]])
    const labels = tensor(new Int32Array([0, 1, 2, 0]))
    const m = keras.sequential({ layers: [keras.layers.dense({ units: 3, inputShape: [2], activation: 'softmax', kernelInitializer: keras.initializers.glorotUniform({ seed: 4 }) })] })
    m.compile({ optimizer: keras.optimizers.adam({ learningRate: 0.1 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] })
    const h = await m.fit(x, labels, { epochs: 30, batchSize: 4, verbose: 0 })
    expect(h.history.loss[29]).toBeLessThan(h.history.loss[0])
    const p = m.predict(x)
    expectClose(p.sum(-1), [1, 1, 1, 1], 1e-6)
    m.compile({ optimizer: 'sgd', loss: 'categoricalCrossentropy', metrics: ['accuracy'] })
    const oneHot = tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]])
    const [loss, acc] = m.evaluate(x, oneHot) as Tensor[]
    const [sparseLoss] = (() => {
      m.compile({ optimizer: 'sgd', loss: 'sparseCategoricalCrossentropy' })
      return [m.evaluate(x, labels) as Tensor]
    })()
    expect(loss.item()).toBeCloseTo(sparseLoss.item(), 6)
    expect(acc.item()).toBeGreaterThan(0)
  })

  it('setWeights and getWeights round-trip, in weights order', () => {
    const m = classifier()
    const w = m.getWeights()
    expect(w.map((t) => t.shape)).toEqual([[2, 8], [8], [8, 1], [1]])
    m.setWeights(w.map((t) => t.mul(0)))
    expect(m.weights.every((v) => Array.from(v.read().data).every((e) => e === 0))).toBe(true)
    expect(() => m.setWeights([w[0]])).toThrow(/the model has 4 weights/)
  })
})
