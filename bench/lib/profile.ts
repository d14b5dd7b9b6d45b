/**
 * In-process CPU profiles (V8's sampling profiler through node:inspector): where a step's time
 * goes, by function. Used for the arena-staging share of an MLP step and for the profile
 * printed beside any target that is missed. yann's wasm functions are labelled by name
 * (wasm-names.ts).
 */
import { Session } from 'node:inspector/promises'
import { findSourceMap } from 'node:module'
import { runningWasmNames } from './wasm-names.js'

interface CallFrame {
  functionName: string
  url: string
  lineNumber: number
  columnNumber: number
}

interface ProfileNode {
  id: number
  callFrame: CallFrame
  children?: number[]
}

/** A V8 CPU profile (the inspector's `Profiler.stop`, or a `--cpu-prof` file). */
export interface CpuProfile {
  nodes: ProfileNode[]
  samples: number[]
  timeDeltas: number[]
  /** µs on the monotonic clock that `process.hrtime` reads. */
  startTime: number
}

export interface ProfileSummary {
  /** Sampled milliseconds (the profiler's own excluded; idle too unless summarize() was asked for it). */
  totalMs: number
  /** Self time by function, largest first: [label, share of total]. */
  self: [string, number][]
  /** Share of samples with one of `names` on the stack (from the given file), counted once per sample. */
  inclusive(names: readonly string[], file?: string): number
}

/**
 * The source file of a frame: the original .ts file where a source map covers it (the bench runs
 * one bundle of its entry and yann's sources: bench/lib/loader-bundle.mjs), else its URL.
 */
function sourceOf(cf: CallFrame): string {
  if (!cf.url.startsWith('file:')) return cf.url
  const key = `${cf.url}:${cf.lineNumber}:${cf.columnNumber}`
  let source = sources.get(key)
  if (source === undefined) {
    source = (findSourceMap(cf.url)?.findEntry(cf.lineNumber, cf.columnNumber) as { originalSource?: string } | undefined)?.originalSource ?? cf.url
    sources.set(key, source)
  }
  return source
}
const sources = new Map<string, string>()

function label(n: ProfileNode): string {
  const wasmIndex = /^wasm-function\[(\d+)\]$/.exec(n.callFrame.functionName)?.[1]
  const wasmName = wasmIndex === undefined ? undefined : runningWasmNames().get(Number(wasmIndex))
  if (wasmName) return `${wasmName.replace(/^assembly\//, '')} (wasm)`
  const file = sourceOf(n.callFrame).split('/').slice(-2).join('/')
  return `${n.callFrame.functionName || '(anonymous)'}${file ? ` ${file}` : ''}`
}

/** Now in µs on the clock of a profile's timestamps. */
const microseconds = (): number => Number(process.hrtime.bigint() / 1000n)

/** Runs `fn` repeatedly for `ms` milliseconds under the profiler. */
export async function profile(fn: () => void, ms: number): Promise<ProfileSummary> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.setSamplingInterval', { interval: 50 })
  await session.post('Profiler.start')
  // Only the samples of the loop: starting the profiler costs tens of ms (sampled as `dispatch`).
  const from = microseconds()
  const t0 = performance.now()
  while (performance.now() - t0 < ms) fn()
  const to = microseconds()
  const { profile: p } = (await session.post('Profiler.stop')) as unknown as { profile: CpuProfile }
  session.disconnect()
  return summarize(p, { from, to })
}

/**
 * Self and inclusive time of a profile's samples, those taken in [from, to] (µs, the profile's
 * clock) if given. `(idle)` counts only with `idle: true` (a cold start's import waits on files
 * and compiler threads).
 */
export function summarize(p: CpuProfile, { from = -Infinity, to = Infinity, idle = false } = {}): ProfileSummary {
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const skip = new Set(idle ? ['(program)', '(root)'] : ['(idle)', '(program)', '(root)'])
  const self = new Map<string, number>()
  const counted: number[] = []
  let total = 0
  let time = p.startTime
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i])!
    const dt = p.timeDeltas[i] ?? 0
    time += dt
    if (time < from || time > to || skip.has(node.callFrame.functionName)) continue
    total += dt
    counted.push(i)
    self.set(label(node), (self.get(label(node)) ?? 0) + dt)
  }
  const stackHas = (id: number, names: ReadonlySet<string>, file?: string): boolean => {
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const cf = byId.get(at)!.callFrame
      if (names.has(cf.functionName) && (!file || sourceOf(cf).includes(file))) return true
    }
    return false
  }
  return {
    totalMs: total / 1000,
    self: [...self].sort((a, b) => b[1] - a[1]).map(([k, v]) => [k, v / total]),
    inclusive(names, file) {
      const set = new Set(names)
      let t = 0
      for (const i of counted) if (stackHas(p.samples[i], set, file)) t += p.timeDeltas[i] ?? 0
      return t / total
    },
  }
}

/** The top `k` self-time rows as text lines. */
export function formatTop(s: ProfileSummary, k = 12): string[] {
  return s.self.slice(0, k).map(([name, share]) => `${(100 * share).toFixed(1).padStart(5)}%  ${name}`)
}
