import { Callback, type Logs } from './callbacks.js'
import { checkOptionKeys } from '../options.js'

/** Where the progress bar writes: a stream (process.stdout) or anything with `write`. */
export interface ProgressOutput {
  write(text: string): unknown
  /** True for a terminal: the bar redraws in place. Otherwise only each epoch's final line is written. */
  isTTY?: boolean
}

export interface ProgressOptions {
  /** Default: process.stdout in Node; elsewhere, console.log line by line. */
  output?: ProgressOutput
  /** Milliseconds (default performance.now). Tests pass a fake clock. */
  now?: () => number
  /** Characters between the brackets (default 30, as Keras). */
  width?: number
  /** Minimum seconds between redraws (default 0.05, as Keras). */
  interval?: number
}

/** The default output: Node's stdout when there is one, else complete lines to console.log (browsers). */
export function defaultOutput(): ProgressOutput {
  const stdout = (globalThis as { process?: { stdout?: ProgressOutput } }).process?.stdout
  if (stdout && typeof stdout.write === 'function') return stdout
  let pending = ''
  return {
    isTTY: false,
    write(text: string) {
      pending += text
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) console.log(line)
    },
  }
}

const defaultNow = (): number => performance.now()

/** Python's '%.0f': round half to even. */
function fixed0(x: number): string {
  const r = Math.round(x)
  return String(Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r)
}

/** Python's '%.4e': at least two exponent digits (1.2346e-04). */
function exp4(x: number): string {
  return x.toExponential(4).replace(/e([+-])(\d)$/, 'e$10$2')
}

/** A metric value as Keras prints it: 4 decimals, or scientific below 1e-3. */
export function formatValue(v: number): string {
  return Math.abs(v) > 1e-3 ? v.toFixed(4) : exp4(v)
}

/** Python's '%d' of a non-negative float: truncated. */
const int = (x: number): number => Math.floor(x)
const pad2 = (x: number): string => String(int(x)).padStart(2, '0')

function formatEta(eta: number): string {
  if (eta > 3600) return `${int(eta / 3600)}:${pad2((eta % 3600) / 60)}:${pad2(eta % 60)}`
  if (eta > 60) return `${int(eta / 60)}:${pad2(eta % 60)}`
  return `${int(eta)}s`
}

function formatStepTime(seconds: number): string {
  if (seconds >= 1 || seconds === 0) return `${fixed0(seconds)}s/step`
  if (seconds >= 1e-3) return `${fixed0(seconds * 1e3)}ms/step`
  return `${fixed0(seconds * 1e6)}us/step`
}

/**
 * Keras's progress bar (tf.keras Progbar, verbose 1), counting batches:
 *
 *     3/10 [========>.....................] - ETA: 0s - loss: 0.6931 - accuracy: 0.5000
 *    10/10 [==============================] - 0s 2ms/step - loss: 0.6012 - accuracy: 0.7500
 */
export class ProgressBar {
  private readonly output: ProgressOutput
  private readonly now: () => number
  private readonly width: number
  private readonly interval: number
  private readonly start: number
  private lastUpdate = -Infinity
  private lastWidth = 0

  constructor(
    readonly target: number,
    { output = defaultOutput(), now = defaultNow, width = 30, interval = 0.05 }: ProgressOptions = {},
  ) {
    this.output = output
    this.now = now
    this.width = width
    this.interval = interval
    this.start = now()
  }

  /** The bar and its info for `current` of `target` steps done. */
  line(current: number, values: readonly [string, number][], finalize: boolean): string {
    const digits = String(this.target).length
    let bar = `${String(current).padStart(digits)}/${this.target} [`
    const progWidth = Math.floor((this.width * current) / this.target)
    if (progWidth > 0) bar += '='.repeat(progWidth - 1) + (current < this.target ? '>' : '=')
    bar += '.'.repeat(Math.max(0, this.width - progWidth)) + ']'
    const elapsed = (this.now() - this.start) / 1000
    const perStep = current > 0 ? elapsed / current : 0
    let info = finalize ? ` - ${fixed0(elapsed)}s ${formatStepTime(perStep)}` : ` - ETA: ${formatEta(perStep * (this.target - current))}`
    for (const [name, v] of values) info += ` - ${name}: ${formatValue(v)}`
    return bar + info
  }

  /** Redraw (a terminal, at most every `interval` seconds) or, when `finalize`, write the final line. */
  update(current: number, values: readonly [string, number][], finalize = current >= this.target): void {
    const now = this.now()
    const dynamic = this.output.isTTY === true
    if (!finalize && (!dynamic || (now - this.lastUpdate) / 1000 < this.interval)) return
    this.lastUpdate = now
    const text = this.line(current, values, finalize)
    const padding = ' '.repeat(Math.max(0, this.lastWidth - text.length))
    this.lastWidth = text.length
    this.output.write((dynamic ? '\r' : '') + text + padding + (finalize ? '\n' : ''))
  }
}

/**
 * The callback `fit` adds for `verbose` 1 (a bar per epoch) or 2 (one line per epoch), after
 * `Epoch 1/10`. The bar shows the epoch's running averages; the final line adds validation values.
 */
export class ProgbarLogger extends Callback {
  private bar: ProgressBar | null = null
  private epochStart = 0
  private sums = new Map<string, number>()
  private seen = 0

  constructor(
    private readonly verbose: 1 | 2,
    private readonly options: ProgressOptions = {},
  ) {
    super()
    checkOptionKeys('fit: progress', options, ['output', 'now', 'width', 'interval'])
  }

  private get output(): ProgressOutput {
    return (this.options.output ??= defaultOutput())
  }

  onEpochBegin(epoch: number): void {
    const params = this.params
    this.output.write(`Epoch ${epoch + 1}/${params ? params.epochs : '?'}\n`)
    this.bar = new ProgressBar(params?.steps ?? 1, this.options)
    this.epochStart = (this.options.now ?? defaultNow)()
    this.sums.clear()
    this.seen = 0
  }

  onBatchEnd(batch: number, logs: Logs = {}): void {
    const size = logs.size ?? 1
    this.seen += size
    for (const [k, v] of Object.entries(logs)) {
      if (k !== 'batch' && k !== 'size') this.sums.set(k, (this.sums.get(k) ?? 0) + v * size)
    }
    if (this.verbose === 1) this.bar?.update(batch + 1, [...this.sums].map(([k, s]) => [k, s / this.seen]), false)
  }

  onEpochEnd(_epoch: number, logs: Logs = {}): void {
    const steps = this.params?.steps ?? 1
    const values = Object.entries(logs)
    if (this.verbose === 1) {
      this.bar?.update(steps, values, true)
      return
    }
    const elapsed = ((this.options.now ?? defaultNow)() - this.epochStart) / 1000
    this.output.write(`${steps}/${steps} - ${fixed0(elapsed)}s${values.map(([k, v]) => ` - ${k}: ${formatValue(v)}`).join('')}\n`)
  }
}
