/**
 * Timing shared by the suites: contestants of one comparison run in the same process, in
 * interleaved rounds (A B C D, then B C D A, ...), so a burst of load from elsewhere on this
 * shared 2-core machine hits every contestant alike and the ratios hold.
 *
 * Each round times a calibrated number of calls twice over: wall clock and this process's
 * CPU time (process.cpuUsage). The summary uses CPU time: on a machine whose load average is
 * often 5-10, wall clock measures the scheduler as much as the code. Both are kept.
 *
 * Process CPU time counts every thread, V8's background GC threads too: without a pause between
 * blocks, the garbage one contestant leaves is collected during the next one's block and charged
 * to it (TF.js-cpu's garbage added 4-6 ms to a 9 ms yann CNN step). So every timed block starts
 * once the process is idle (settle). A forced gc() is no clean slate: after one, V8 ran five
 * mark-compacts in each following yann block instead of none (9 -> 12 ms per step).
 */

export interface Case {
  name: string
  /** One call of the thing measured (a GEMM, a training step). */
  fn: () => void
  /** Called before each timed block, untimed: switches the backend this case runs on. */
  before?: () => void | Promise<void>
  /** Units of work per call, for rates other than calls/s (FLOPs for GEMM). */
  work?: number
}

export interface Result {
  name: string
  /** Median seconds per call, CPU time. */
  cpu: number
  /** Median seconds per call, wall clock. */
  wall: number
  /** Per-round seconds per call (CPU time), in round order. */
  samples: number[]
  calls: number
  work: number
}

export interface MeasureOptions {
  /** Interleaved rounds (default 7). */
  rounds?: number
  /** Each timed block lasts at least this long (ms, default 40). */
  minBlockMs?: number
  /** Milliseconds of calls before calibrating, to warm the JIT up, and again for each contestant once all are calibrated (default 250); then one round is run and discarded. */
  warmupMs?: number
}

export function cpuMs(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

/**
 * Waits, untimed, until no thread of this process is busy (under 10% of one core over 5 ms):
 * the previous block's background GC (sweeping, concurrent marking) has finished. A contestant's
 * own garbage is still collected in its own blocks. Gives up after 1 s.
 */
export async function settle(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const c0 = cpuMs()
    const w0 = performance.now()
    await sleep(5)
    if (cpuMs() - c0 < 0.1 * (performance.now() - w0)) return
  }
}

function block(fn: () => void, reps: number): { cpu: number; wall: number } {
  const c0 = cpuMs()
  const w0 = performance.now()
  for (let i = 0; i < reps; i++) fn()
  return { wall: performance.now() - w0, cpu: cpuMs() - c0 }
}

/** How many calls make one block of at least `ms` milliseconds. */
async function calibrate(c: Case, ms: number): Promise<number> {
  await c.before?.()
  let reps = 1
  for (;;) {
    const t = block(c.fn, reps)
    if (t.wall >= ms || reps >= 1 << 24) {
      // Scale to the target from the last block (at least 1 call).
      return Math.max(1, Math.round((reps * ms) / Math.max(t.wall, 1e-3)))
    }
    reps = t.wall < ms / 16 ? reps * 8 : reps * 2
  }
}

export async function measure(cases: readonly Case[], options: MeasureOptions = {}): Promise<Result[]> {
  const rounds = options.rounds ?? 7
  const minBlockMs = options.minBlockMs ?? 40
  const warmupMs = options.warmupMs ?? 250
  const reps: number[] = []
  for (const c of cases) {
    await c.before?.()
    block(c.fn, 1)
    const w0 = performance.now()
    while (performance.now() - w0 < warmupMs) c.fn()
    reps.push(await calibrate(c, minBlockMs))
  }
  // Each contestant's warm-up deoptimises code the earlier ones share (the timing loop, which V8
  // compiles with the step inlined; library code seeing another backend), and the re-optimisation
  // fell in the first contestant's first timed block (bench/README.md). So: a second warm-up pass
  // over all contestants, through block() as the timed rounds call it, ...
  for (let i = 0; i < cases.length; i++) {
    await cases[i].before?.()
    const w0 = performance.now()
    while (performance.now() - w0 < warmupMs) block(cases[i].fn, reps[i])
  }
  const cpu: number[][] = cases.map(() => [])
  const wall: number[][] = cases.map(() => [])
  // ... and round -1, run as the others and discarded for every contestant alike.
  for (let r = -1; r < rounds; r++) {
    for (let j = 0; j < cases.length; j++) {
      const i = (j + r + cases.length) % cases.length
      const c = cases[i]
      await c.before?.()
      await settle()
      const t = block(c.fn, reps[i])
      if (r < 0) continue
      cpu[i].push(t.cpu / 1000 / reps[i])
      wall[i].push(t.wall / 1000 / reps[i])
    }
  }
  return cases.map((c, i) => ({
    name: c.name,
    cpu: median(cpu[i]),
    wall: median(wall[i]),
    samples: cpu[i],
    calls: reps[i] * rounds,
    work: c.work ?? 1,
  }))
}

/** Calls (or work units, with `work`) per second from a median time. */
export const rate = (r: Result): number => r.work / r.cpu
export const wallRate = (r: Result): number => r.work / r.wall
