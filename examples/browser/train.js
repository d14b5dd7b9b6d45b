// MNIST in the browser: the model and training loop of examples/mnist.ts, in plain ESM so a page
// or a worker loads it as it is. Linear(784,128) → ReLU → Linear(128,10) → Sigmoid, BCE on
// one-hot targets, SGD lr 0.5 momentum 0.9, batch 64, no shuffle. The training step is
// `compile()`d as in examples/mnist-cnn.ts (`compiled: false` trains eagerly, to compare).
//
// `train` reports through `post(message)`:
//   { type: 'start', backend, compiled, epochs, steps, samples: [{ label, pixels: Uint8Array(784) }] }
//   { type: 'batch', step, loss, ms, lastRun, replayPath, reason }   after every training step:
//     the step's milliseconds (its call and loss.item()) and how it ran (compile's lastRun
//     'record' | 'replay' | 'eager' and replayPath 'wasm' | 'js' | null; 'eager' and null uncompiled)
//   { type: 'epoch', epoch, loss, accuracy, seconds, predictions: [digit per sample] }
//   { type: 'done', seconds }

export const PIXELS = 784
export const CLASSES = 10
const MAGIC = 'YANNMNIST1\n'

/**
 * The asset scripts/serve-demo.ts serves at /data/mnist.bin (examples/mnist/data.ts encodeAsset):
 * magic, uint32 LE train and test counts, then per side the pixel bytes and the labels. A byte k
 * stands for the mnist package's value k/255 rounded to 3 decimals.
 */
export function decodeMnist(bytes) {
  const magic = new TextEncoder().encode(MAGIC)
  if (bytes.length < magic.length + 8 || magic.some((b, i) => bytes[i] !== b)) throw new Error('not a yann MNIST asset (bad magic)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const counts = [view.getUint32(magic.length, true), view.getUint32(magic.length + 4, true)]
  const lut = Float32Array.from({ length: 256 }, (_, k) => Math.round((k / 255) * 1000) / 1000)
  let at = magic.length + 8
  const [train, test] = counts.map((count) => {
    const bytesOf = bytes.subarray(at, (at += count * PIXELS))
    const inputs = new Float32Array(count * PIXELS)
    for (let i = 0; i < inputs.length; i++) inputs[i] = lut[bytesOf[i]]
    const labels = bytes.slice(at, (at += count))
    const targets = new Float32Array(count * CLASSES)
    labels.forEach((d, n) => (targets[n * CLASSES + d] = 1))
    return { count, bytes: bytesOf, inputs, targets, labels }
  })
  if (at !== bytes.length) throw new Error(`MNIST asset: ${bytes.length} bytes, expected ${at}`)
  return { train, test }
}

export async function fetchMnist(url) {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`GET ${url}: ${response.status} ${response.statusText}`)
  return decodeMnist(new Uint8Array(await response.arrayBuffer()))
}

/**
 * The models: `mlp` (above), or with `?cnn` the reference CNN of the CNN benchmark,
 * Conv2d(1,8,3,pad 1) → ReLU → MaxPool2d(2) → Conv2d(8,16,3,pad 1) → ReLU → MaxPool2d(2) →
 * Flatten → Linear(784,10), cross-entropy on the digit, Adam lr 1e-3.
 */
export function createModel(yann, kind) {
  const { nn } = yann
  if (kind !== 'cnn') return new nn.Sequential(new nn.Linear(PIXELS, 128), new nn.ReLU(), new nn.Linear(128, CLASSES), new nn.Sigmoid())
  class Flatten extends nn.Module {
    forward(x) {
      return x.reshape([x.shape[0], -1])
    }
  }
  return new nn.Sequential(
    new nn.Conv2d(1, 8, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new nn.Conv2d(8, 16, 3, { padding: 1 }), new nn.ReLU(), new nn.MaxPool2d(2),
    new Flatten(), new nn.Linear(784, CLASSES),
  )
}

/** A batch of `count` images as the model takes it: [count, 784], or [count, 1, 28, 28] for the CNN. */
const batchOf = (yann, kind, pixels, count) => yann.tensor(pixels).reshape(kind === 'cnn' ? [count, 1, 28, 28] : [count, PIXELS])

/** The digit (argmax) the model gives each row of `inputs` ([count, 784]). */
export function predict(yann, model, inputs, kind = 'mlp') {
  const count = inputs.length / PIXELS
  const out = yann.noGrad(() => model.forward(batchOf(yann, kind, inputs, count))).data
  const digits = new Uint8Array(count)
  for (let n = 0; n < count; n++) {
    let best = 0
    for (let c = 1; c < CLASSES; c++) if (out[n * CLASSES + c] > out[n * CLASSES + best]) best = c
    digits[n] = best
  }
  return digits
}

/** A macrotask break, so the page stays responsive when training runs on the main thread. */
const pause = () => new Promise((resolve) => setTimeout(resolve, 0))

export async function train(yann, data, { model: kind = 'mlp', epochs = 3, batchSize = 64, lr = 0.5, momentum = 0.9, seed = 0, sampleCount = 20, yieldEvery = 0, compiled = true, post }) {
  const { nn, optim, tensor } = yann
  yann.manualSeed(seed)
  const cnn = kind === 'cnn'
  const model = createModel(yann, kind)
  const lossFn = cnn ? new nn.CrossEntropyLoss() : new nn.BCELoss()
  const optimizer = cnn ? new optim.Adam(model.parameters(), { lr: 1e-3 }) : new optim.SGD(model.parameters(), { lr, momentum })
  const { count, inputs, targets } = data.train
  const step = (x, y) => {
    optimizer.zeroGrad()
    const loss = lossFn.forward(model.forward(x), y)
    loss.backward()
    optimizer.step()
    return loss
  }
  // Recorded on the first batch of each shape (a last, shorter batch records its own plan), then
  // replayed: no autograd graph, every intermediate in wasm memory, one call into wasm per step.
  const trainStep = compiled ? yann.compile(step) : step
  const steps = Math.ceil(count / batchSize)
  const samples = Array.from({ length: Math.min(sampleCount, data.test.count) }, (_, n) => ({
    label: data.test.labels[n],
    pixels: data.test.bytes.slice(n * PIXELS, (n + 1) * PIXELS),
  }))
  const sampleInputs = data.test.inputs.subarray(0, samples.length * PIXELS)
  post({ type: 'start', backend: yann.getBackend(), compiled, epochs, steps, samples, predictions: Array.from(predict(yann, model, sampleInputs, kind)) })
  const start = performance.now()
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const epochStart = performance.now()
    let total = 0
    for (let i = 0; i < steps; i++) {
      const from = i * batchSize
      const n = Math.min(batchSize, count - from)
      const x = batchOf(yann, kind, inputs.subarray(from * PIXELS, (from + n) * PIXELS), n)
      const y = cnn
        ? tensor(Array.from(data.train.labels.subarray(from, from + n)), { dtype: 'int32' })
        : tensor(targets.subarray(from * CLASSES, (from + n) * CLASSES)).reshape([n, CLASSES])
      const t0 = performance.now()
      const value = trainStep(x, y).item()
      const ms = performance.now() - t0
      total += value
      post({
        type: 'batch',
        step: (epoch - 1) * steps + i,
        loss: value,
        ms,
        lastRun: compiled ? trainStep.lastRun : 'eager',
        replayPath: compiled ? trainStep.replayPath : null,
        reason: compiled ? (trainStep.fallbackReason ?? trainStep.interpreterReason) : null,
      })
      if (yieldEvery > 0 && (i + 1) % yieldEvery === 0) await pause()
    }
    const seconds = (performance.now() - epochStart) / 1000
    const predicted = predict(yann, model, data.test.inputs, kind)
    let correct = 0
    for (let n = 0; n < data.test.count; n++) if (predicted[n] === data.test.labels[n]) correct++
    post({
      type: 'epoch',
      epoch,
      loss: total / steps,
      accuracy: correct / data.test.count,
      seconds,
      predictions: Array.from(predicted.subarray(0, samples.length)),
    })
    if (yieldEvery > 0) await pause()
  }
  optimizer.dispose()
  model.dispose()
  post({ type: 'done', seconds: (performance.now() - start) / 1000 })
}
