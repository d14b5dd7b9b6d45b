/**
 * The benny side of each suite: the same cases run as a benny (benchmark.js) suite, which
 * writes `bench/results/<file>.json` (with every sample) and `<file>.chart.html`. benny's
 * chart loads chart.js from a CDN; this machine has no network, so the HTML is pointed at a
 * copy of chart.js 3.5.1 (the version benny asks for) beside it.
 *
 * benchmark.js times with the wall clock, case after case; the summary tables come from the
 * interleaved CPU-time rounds of measure.ts instead (see there), so the two can differ.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import b from 'benny'
import type { Case } from './measure.js'

export interface BennyOptions {
  folder: string
  /** benchmark.js: stop sampling a case after this many seconds (once it has minSamples). */
  maxTime: number
  minSamples: number
}

const CDN = 'https://cdn.jsdelivr.net/npm/chart.js@3.5.1/dist/chart.min.js'

function localChartJs(folder: string): void {
  const require = createRequire(import.meta.url)
  const src = require.resolve('chart.js/dist/chart.min.js')
  const dst = join(folder, 'chart.min.js')
  if (!existsSync(dst)) copyFileSync(src, dst)
}

/** Runs `cases` as one benny suite and saves its JSON and chart. */
export async function bennySuite(title: string, file: string, cases: readonly Case[], o: BennyOptions): Promise<void> {
  mkdirSync(o.folder, { recursive: true })
  localChartJs(o.folder)
  await b.suite(
    title,
    b.configure({ cases: { maxTime: o.maxTime, minSamples: o.minSamples, delay: 0 } }),
    ...cases.map((c) =>
      b.add(c.name, () => {
        // The backend switch is a cheap check once done; benchmark.js runs case after case.
        c.before?.()
        c.fn()
      }),
    ),
    b.save({ file, folder: o.folder, format: 'json', details: true }),
    b.save({ file, folder: o.folder, format: 'chart.html' }),
  )
  const chart = join(o.folder, `${file}.chart.html`)
  writeFileSync(chart, readFileSync(chart, 'utf8').replace(CDN, './chart.min.js'))
}
