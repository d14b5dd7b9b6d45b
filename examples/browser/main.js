// The demo page: trains the MNIST model of examples/mnist.ts in a Web Worker (or, with ?inline, on
// this thread, yielding to the page between steps) and draws the loss of every step and a few test
// digits with the model's predictions, and how the step ran (compiled, wasm replay) and its time.
// Options: ?epochs=3 &inline &cnn (the CNN of train.js) &eager (the step uncompiled, to compare).
//
// window.yannDemo is for tests (the Chromium runtime test reads it):
//   { mode, backend, compiled, epochs, steps, losses: number[], stepMs: number[],
//     lastRun, replayPath, reason (the last step's, as compile() reports them),
//     results: [{ epoch, loss, accuracy, seconds, stepMs }], predictions: number[],
//     labels: number[], done: boolean, error: string | null, seconds }

const params = new URLSearchParams(location.search)
const epochs = Math.max(1, Number.parseInt(params.get('epochs') ?? '3', 10) || 3)
const inline = params.has('inline')
const model = params.has('cnn') ? 'cnn' : 'mlp'
const compiled = !params.has('eager')
const options = { model, epochs, compiled, dataUrl: new URL('/data/mnist.bin', location.href).href, sampleCount: 20 }

const demo = {
  mode: inline ? 'main thread, yielding' : 'web worker',
  model,
  backend: null,
  compiled,
  epochs,
  steps: 0,
  losses: [],
  stepMs: [],
  lastRun: null,
  replayPath: null,
  reason: null,
  results: [],
  predictions: [],
  labels: [],
  done: false,
  error: null,
  seconds: null,
}
window.yannDemo = demo

const status = document.getElementById('status')
const lossCanvas = document.getElementById('loss')
const digitsCanvas = document.getElementById('digits')
let samples = []

function setStatus(text) {
  status.textContent = text
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y)
  return s.length === 0 ? NaN : s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** How the step runs, e.g. 'compiled step, wasm replay' or 'eager step'. */
function stepPath() {
  if (!demo.compiled) return 'eager step'
  if (demo.lastRun === 'replay') return `compiled step, ${demo.replayPath} replay${demo.reason ? ` (${demo.reason})` : ''}`
  if (demo.lastRun === 'eager') return `compiled step falling back to eager (${demo.reason})`
  return 'compiled step, recording'
}

/** Backend, thread, how the step runs and its recent time; then a line per epoch. */
function showStatus() {
  const recent = demo.stepMs.slice(1).slice(-50) // the first step records the plan
  const time = recent.length > 0 ? `: ${median(recent).toFixed(2)} ms per step (median of the last ${recent.length})` : ''
  const lines = [`${demo.done ? 'trained' : 'training'} on the ${demo.backend} backend (${demo.mode}), ${stepPath()}${time}`]
  for (const r of demo.results) {
    lines.push(`epoch ${r.epoch}: loss ${r.loss.toFixed(4)}, test accuracy ${(r.accuracy * 100).toFixed(2)}%, ${r.seconds.toFixed(2)} s, ${r.stepMs.toFixed(2)} ms per step (median)`)
  }
  lines.push(demo.done ? `done in ${demo.seconds.toFixed(1)} s` : `epoch ${demo.results.length + 1}/${demo.epochs} ...`)
  setStatus(lines.join('\n'))
}

// ---- the loss curve -------------------------------------------------------------------------

function drawLoss() {
  const ctx = lossCanvas.getContext('2d')
  const { width, height } = lossCanvas
  const m = { left: 48, right: 12, top: 14, bottom: 30 }
  const w = width - m.left - m.right
  const h = height - m.top - m.bottom
  ctx.clearRect(0, 0, width, height)
  ctx.font = '12px system-ui, sans-serif'
  const total = Math.max(1, demo.epochs * demo.steps)
  const highest = Math.max(0.1, ...demo.losses.slice(0, 50))
  const tick = [0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5].find((t) => highest / t <= 5) ?? 10
  const ticks = Math.ceil(highest / tick - 1e-9)
  const top = ticks * tick
  const x = (step) => m.left + (step / total) * w
  const y = (loss) => m.top + h - (Math.min(loss, top) / top) * h

  // axes and grid
  ctx.strokeStyle = '#ddd'
  ctx.fillStyle = '#555'
  ctx.lineWidth = 1
  ctx.textAlign = 'right'
  ctx.textBaseline = 'middle'
  for (let i = 0; i <= ticks; i++) {
    const v = tick * i
    ctx.beginPath()
    ctx.moveTo(m.left, y(v))
    ctx.lineTo(m.left + w, y(v))
    ctx.stroke()
    ctx.fillText(v.toFixed(2), m.left - 6, y(v))
  }
  ctx.textAlign = 'center'
  ctx.textBaseline = 'top'
  for (let e = 0; e <= demo.epochs; e++) {
    const sx = x(e * demo.steps)
    ctx.strokeStyle = e === 0 || e === demo.epochs ? '#999' : '#bbb'
    ctx.setLineDash(e === 0 || e === demo.epochs ? [] : [4, 4])
    ctx.beginPath()
    ctx.moveTo(sx, m.top)
    ctx.lineTo(sx, m.top + h)
    ctx.stroke()
    ctx.setLineDash([])
    if (e < demo.epochs) {
      const r = demo.results[e]
      ctx.fillText(`epoch ${e + 1}${r ? `: ${(r.accuracy * 100).toFixed(1)}%` : ''}`, x((e + 0.5) * demo.steps), m.top + h + 8)
    }
  }

  // every step's loss, and a moving average over 10 steps
  if (demo.losses.length > 0) {
    ctx.strokeStyle = 'rgba(66, 133, 244, 0.35)'
    ctx.beginPath()
    demo.losses.forEach((l, i) => (i === 0 ? ctx.moveTo(x(i), y(l)) : ctx.lineTo(x(i), y(l))))
    ctx.stroke()
    ctx.strokeStyle = '#1a56c4'
    ctx.lineWidth = 2
    ctx.beginPath()
    let sum = 0
    demo.losses.forEach((l, i) => {
      sum += l - (i >= 10 ? demo.losses[i - 10] : 0)
      const avg = sum / Math.min(i + 1, 10)
      i === 0 ? ctx.moveTo(x(i), y(avg)) : ctx.lineTo(x(i), y(avg))
    })
    ctx.stroke()
  }
  ctx.fillStyle = '#222'
  ctx.textAlign = 'left'
  ctx.fillText('BCE loss per step (light) and its 10-step average', m.left + 8, m.top + 4)
}

// ---- test digits and predictions ------------------------------------------------------------

function drawDigits() {
  const ctx = digitsCanvas.getContext('2d')
  const cols = 10
  const cell = 68
  const scale = 2
  ctx.clearRect(0, 0, digitsCanvas.width, digitsCanvas.height)
  ctx.font = '13px system-ui, sans-serif'
  ctx.textAlign = 'center'
  ctx.textBaseline = 'top'
  ctx.imageSmoothingEnabled = false
  const tile = new OffscreenCanvas(28, 28)
  const tileCtx = tile.getContext('2d')
  const image = tileCtx.createImageData(28, 28)
  samples.forEach(({ label, pixels }, n) => {
    for (let i = 0; i < 784; i++) {
      const v = 255 - pixels[i]
      image.data.set([v, v, v, 255], i * 4)
    }
    tileCtx.putImageData(image, 0, 0)
    const cx = (n % cols) * cell + (cell - 28 * scale) / 2
    const cy = Math.floor(n / cols) * (cell + 22) + 4
    ctx.drawImage(tile, cx, cy, 28 * scale, 28 * scale)
    ctx.strokeStyle = '#ccc'
    ctx.strokeRect(cx - 0.5, cy - 0.5, 28 * scale + 1, 28 * scale + 1)
    const p = demo.predictions[n]
    ctx.fillStyle = p === undefined ? '#888' : p === label ? '#137333' : '#c5221f'
    ctx.fillText(`${label} → ${p === undefined ? '?' : p}`, cx + 28, cy + 28 * scale + 4)
  })
}

// ---- messages from the training loop --------------------------------------------------------

let pending = false
function redraw() {
  if (pending) return
  pending = true
  requestAnimationFrame(() => {
    pending = false
    drawLoss()
    showStatus()
  })
}

function onMessage(message) {
  switch (message.type) {
    case 'start':
      demo.backend = message.backend
      demo.steps = message.steps
      samples = message.samples
      demo.labels = samples.map((s) => s.label)
      demo.predictions = message.predictions
      showStatus()
      drawDigits()
      drawLoss()
      break
    case 'batch':
      demo.losses.push(message.loss)
      demo.stepMs.push(message.ms)
      demo.lastRun = message.lastRun
      demo.replayPath = message.replayPath
      demo.reason = message.reason
      redraw()
      break
    case 'epoch': {
      const { epoch, loss, accuracy, seconds } = message
      // The median over the epoch's steps but its first (the first epoch's records the plan).
      const stepMs = median(demo.stepMs.slice((epoch - 1) * demo.steps + 1))
      demo.results.push({ epoch, loss, accuracy, seconds, stepMs })
      demo.predictions = message.predictions
      drawDigits()
      showStatus()
      break
    }
    case 'done':
      demo.seconds = message.seconds
      demo.done = true
      drawLoss()
      showStatus()
      document.body.dataset.done = 'true'
      break
    case 'error':
      fail(message.message)
      break
  }
}

function fail(message) {
  demo.error = message
  setStatus(`error: ${message}`)
  document.body.dataset.error = 'true'
}

drawLoss()
setStatus(`loading yann and ${options.dataUrl.replace(location.origin, '')} ...`)

if (inline) {
  try {
    const yann = await import('/dist/index.js')
    const { fetchMnist, train } = await import('./train.js')
    await yann.ready()
    const data = await fetchMnist(options.dataUrl)
    await train(yann, data, { ...options, yieldEvery: 1, post: onMessage })
  } catch (error) {
    fail(String((error && error.stack) || error))
  }
} else {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' })
  worker.onmessage = (e) => onMessage(e.data)
  worker.onerror = (e) => fail(`worker: ${e.message || 'failed to load (see the console)'}`)
  worker.postMessage(options)
}
