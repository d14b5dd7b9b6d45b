import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startDemoServer, type DemoServer } from '../../scripts/serve-demo.js'
import { chromiumBuilds, launchChromium, type Chromium } from './chromium.js'

interface DemoState {
  mode: string
  model: string
  backend: string | null
  compiled: boolean
  epochs: number
  steps: number
  losses: number[]
  stepMs: number[]
  lastRun: string | null
  replayPath: string | null
  reason: string | null
  results: { epoch: number; loss: number; accuracy: number; seconds: number; stepMs: number }[]
  predictions: number[]
  labels: number[]
  done: boolean
  error: string | null
  /** What the page shows above the loss curve. */
  status: string
}

const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length

/**
 * The browser MNIST demo (examples/browser/, served by scripts/serve-demo.ts as
 * `npm run demo:browser` serves it) with /dist/ taken from the installed tarball: the page trains
 * in a Web Worker, or on its own thread with ?inline, and exposes window.yannDemo.
 */
describe.each(chromiumBuilds())('the browser MNIST demo in Chromium (%s build)', (build) => {
  let demo: DemoServer
  let browser: Chromium

  beforeAll(async () => {
    browser = await launchChromium(build)
    demo = await startDemoServer({ port: 0, distDir: join(inject('consumerDir'), 'node_modules/yann/dist') })
  })

  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  async function run(query: string): Promise<DemoState> {
    const page = await browser.context.newPage()
    const messages: string[] = []
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`))
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`))
    try {
      const response = await page.goto(demo.url + query, { timeout: 30_000 })
      expect(response?.status()).toBe(200)
      await page
        .waitForFunction(() => {
          const d = (window as unknown as { yannDemo?: DemoState }).yannDemo
          return !!d && (d.done || d.error !== null)
        }, undefined, { timeout: 120_000, polling: 250 })
        .catch(() => {
          throw new Error(`the demo never finished (${query}); console:\n${messages.join('\n')}`)
        })
      const state = await page.evaluate(() => ({
        ...(window as unknown as { yannDemo: DemoState }).yannDemo,
        status: document.getElementById('status')!.textContent!,
      }))
      expect(state.error, `console:\n${messages.join('\n')}`).toBeNull()
      expect(messages.filter((m) => m.startsWith('error') || m.startsWith('pageerror'))).toEqual([])
      return state
    } finally {
      await page.close()
    }
  }

  /** The worker's compiled step replays in the wasm plan interpreter (it recorded on the first batch). */
  function expectWasmReplay(state: DemoState): void {
    expect(state.compiled).toBe(true)
    expect(state.lastRun).toBe('replay')
    expect(state.replayPath).toBe('wasm')
    expect(state.reason).toBeNull()
    expect(state.stepMs).toHaveLength(state.losses.length)
    for (const r of state.results) expect(r.stepMs).toBeGreaterThan(0)
    // The page says so, with the step time.
    expect(state.status).toMatch(/^trained on the wasm backend \(.*\), compiled step, wasm replay: \d+\.\d\d ms per step \(median of the last \d+\)\n/)
    expect(state.status).toMatch(/\nepoch 1: loss .*, \d+\.\d\d ms per step \(median\)\n/)
  }

  it('trains in a Web Worker on the wasm backend, its compiled step replayed in wasm: the loss falls and the test accuracy passes 90% in 3 epochs', async () => {
    const state = await run('?epochs=3')
    expect(state.mode).toBe('web worker')
    expect(state.backend).toBe('wasm')
    expectWasmReplay(state)
    expect(state.steps).toBe(125)
    expect(state.losses).toHaveLength(375)
    expect(mean(state.losses.slice(-25))).toBeLessThan(mean(state.losses.slice(0, 25)) / 3)
    expect(state.results.map((r) => r.epoch)).toEqual([1, 2, 3])
    expect(state.results[2].accuracy).toBeGreaterThanOrEqual(0.9)
    expect(state.labels).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(state.predictions).toHaveLength(20)
  })

  it('trains on the page\'s own thread, yielding between steps (?inline)', async () => {
    const state = await run('?epochs=1&inline')
    expect(state.mode).toBe('main thread, yielding')
    expect(state.backend).toBe('wasm')
    expectWasmReplay(state)
    expect(state.losses).toHaveLength(125)
    expect(mean(state.losses.slice(-25))).toBeLessThan(mean(state.losses.slice(0, 25)) / 2)
    expect(state.results[0].accuracy).toBeGreaterThan(0.8)
  })

  it('trains the CNN mode (?cnn) in a Web Worker: the loss falls and the test accuracy passes 80% in one epoch', async () => {
    const state = await run('?cnn&epochs=1')
    expect(state.model).toBe('cnn')
    expect(state.mode).toBe('web worker')
    expect(state.backend).toBe('wasm')
    expectWasmReplay(state)
    expect(state.steps).toBe(125)
    expect(state.losses).toHaveLength(125)
    expect(mean(state.losses.slice(-25))).toBeLessThan(mean(state.losses.slice(0, 25)) / 2)
    expect(state.results[0].accuracy).toBeGreaterThan(0.8)
  })

  it('trains with the eager step (?eager), as before compile: the loss falls', async () => {
    const state = await run('?epochs=1&eager')
    expect(state.compiled).toBe(false)
    expect(state.lastRun).toBe('eager')
    expect(state.replayPath).toBeNull()
    expect(state.status).toMatch(/^trained on the wasm backend \(web worker\), eager step: /)
    expect(state.losses).toHaveLength(125)
    expect(mean(state.losses.slice(-25))).toBeLessThan(mean(state.losses.slice(0, 25)) / 2)
    expect(state.results[0].accuracy).toBeGreaterThan(0.8)
  })
})
