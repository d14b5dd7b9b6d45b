/**
 * The browser demo's training step in headless Chromium (the npm build of test/runtimes/
 * chromium.ts): compiled (the page's default) against eager (?eager), for the MLP and the CNN,
 * in interleaved rounds in one browser, one fresh page per run. Each run trains in the demo's Web
 * Worker and reports every step's milliseconds (its call and loss.item(), performance.now());
 * a run's figures are the median over its steps but the first (the recording; Chromium's
 * performance.now() ticks in 100 µs here: this headless build runs single-process, never
 * cross-origin isolated) and, finer, the training loop's time per step (batches made, steps,
 * messages posted; evaluation aside); the table gives the median of each over the rounds. Wall
 * time: a browser has no process CPU time, so run it on a quiet machine and quote the ratios.
 *
 *     npm run bench:file -- bench/browser-demo.ts [--rounds 5]    (serves this checkout's dist/: npm run build first)
 */
import { answerHelp } from '../scripts/help.mjs'
import { startDemoServer } from '../scripts/serve-demo.js'
import { launchChromium } from '../test/runtimes/chromium.js'

answerHelp(`Usage: npm run bench:file -- bench/browser-demo.ts [--rounds 5]

The browser demo's step in headless Chromium, compiled vs eager (?eager), MLP and CNN, interleaved.`)

interface Run {
  stepMs: number[]
  steps: number
  results: { seconds: number }[]
  lastRun: string | null
  replayPath: string | null
  seconds: number
  error: string | null
}

const median = (a: number[]): number => {
  const s = [...a].sort((x, y) => x - y)
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const i = process.argv.indexOf('--rounds')
const rounds = i > 0 ? Number(process.argv[i + 1]) : 5
const cases = [
  { name: 'MLP 784-128-10, batch 64, 3 epochs (375 steps)', query: '?epochs=3' },
  { name: 'CNN 1-8-16 conv, batch 64, 1 epoch (125 steps)', query: '?cnn&epochs=1' },
]

const demo = await startDemoServer({ port: 0 })
const browser = await launchChromium('npm')
try {
  const version = await browser.context.newPage().then(async (p) => {
    const v = await p.evaluate(() => navigator.userAgent)
    await p.close()
    return v
  })
  console.log(`Chromium: ${browser.version} (${version}); ${rounds} rounds, compiled and eager alternating first`)

  async function run(query: string): Promise<Run> {
    const page = await browser.context.newPage()
    try {
      await page.goto(demo.url + query)
      await page.waitForFunction(() => {
        const d = (window as unknown as { yannDemo?: { done: boolean; error: string | null } }).yannDemo
        return !!d && (d.done || d.error !== null)
      }, undefined, { timeout: 300_000, polling: 250 })
      return await page.evaluate(() => (window as unknown as { yannDemo: Run }).yannDemo)
    } finally {
      await page.close()
    }
  }

  for (const c of cases) {
    const figures: Record<'compiled' | 'eager', { median: number[]; loop: number[]; seconds: number[]; path: string }> = {
      compiled: { median: [], loop: [], seconds: [], path: '' },
      eager: { median: [], loop: [], seconds: [], path: '' },
    }
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['compiled', 'eager'] as const) : (['eager', 'compiled'] as const)
      for (const mode of order) {
        const s = await run(c.query + (mode === 'eager' ? '&eager' : ''))
        if (s.error !== null) throw new Error(`${c.query} ${mode}: ${s.error}`)
        const steps = s.stepMs.slice(1)
        figures[mode].median.push(median(steps))
        figures[mode].loop.push((s.results.reduce((t, r) => t + r.seconds, 0) * 1000) / (s.steps * s.results.length))
        figures[mode].seconds.push(s.seconds)
        figures[mode].path = `${s.lastRun}${s.replayPath ? `, ${s.replayPath}` : ''}`
      }
    }
    console.log(`\n${c.name}`)
    for (const mode of ['compiled', 'eager'] as const) {
      const f = figures[mode]
      console.log(
        `  ${mode.padEnd(8)} (${f.path}): step median ${median(f.median).toFixed(3)} ms (runs ${f.median.map((m) => m.toFixed(2)).join(' ')}), ` +
          `loop ${median(f.loop).toFixed(3)} ms per step (runs ${f.loop.map((m) => m.toFixed(2)).join(' ')}), whole run ${median(f.seconds).toFixed(2)} s`,
      )
    }
    const ratio = (k: 'median' | 'loop') => (median(figures.eager[k]) / median(figures.compiled[k])).toFixed(2)
    console.log(`  eager / compiled: ${ratio('median')}× (step medians), ${ratio('loop')}× (loop time per step)`)
  }
} finally {
  await browser.close()
  await demo.close()
}
