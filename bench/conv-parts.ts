/**
 * conv2d forward, where the time goes: 3×3 'same', C → C, batch 8 (bench/cnn.ts's sizes), one
 * process, interleaved rounds (lib/measure.ts), CPU µs per call:
 *   api     F.conv2d under noGrad (what bench/cnn.ts times)
 *   fresh   the backend's conv2d into a new Float32Array (x staged in, y copied out)
 *   prealloc the same into one output reused
 *   kernel  x, w and y in wasm memory (allocFloat): the kernel alone, no staging
 *   tf      TF.js-wasm with dataSync(), as bench/cnn.ts; tf-nosync without it (its kernel and dispose)
 *
 *     npm run bench:file -- bench/conv-parts.ts [--sizes 8x28,16x14] [--rounds 7]
 */
import * as yann from '../src/index.js'
import { backend } from '../src/backend/index.js'
import { allocFloat } from '../src/backend/wasm/index.js'
import type { Conv2dOptions } from '../src/backend/types.js'
import { geometry } from '../src/ops/window.js'
import { measure, type Case } from './lib/measure.js'
import { loadTf, useTf, type TF } from './lib/tfjs.js'
import { option } from './lib/args.js'
import { answerHelp } from '../scripts/help.mjs'

answerHelp(`Usage: npm run bench:file -- bench/conv-parts.ts [--sizes 8x28,16x14] [--rounds 7] [--only api,kernel]

conv2d 3×3 'same' forward, C → C, batch 8: where a call's time goes (api, fresh, prealloc,
kernel, tf, tf-nosync), CPU µs per call.
  --sizes     CxS pairs (channels x spatial size), comma-separated
  --rounds N  rounds per case (default 7)
  --only      the parts to time, comma-separated (default all)
  -h, --help  this message`)
const argv = process.argv.slice(2)
const opt = (name: string, dflt: string): string => option(argv, name, dflt)
const sizes = opt('--sizes', '8x28,16x28,32x28,64x28,8x14,16x14,32x14,64x14').split(',').map((s) => s.split('x').map(Number))
const rounds = Number(opt('--rounds', '7'))
const only = opt('--only', '').split(',').filter(Boolean)

await yann.ready()
yann.setBackend('wasm')
const tf = await loadTf()
const n = 8
for (const [c, s] of sizes) {
  const o: Conv2dOptions = { n, c, groups: 1, oc: c, g: geometry(s, s, [3, 3], [1, 1], [1, 1], [1, 1], s, s) }
  const x = yann.randn([n, c, s, s])
  const w = yann.randn([c, c, 3, 3])
  const xf = x.data as Float32Array, wf = w.data as Float32Array
  const yPre = new Float32Array(n * c * s * s)
  const xa = allocFloat('float32', xf.length), wa = allocFloat('float32', wf.length), ya = allocFloat('float32', yPre.length)
  xa.view().set(xf)
  wa.view().set(wf)
  useTf(tf, 'wasm')
  const tx = tf.randomNormal([n, s, s, c]) as ReturnType<TF['tensor4d']>
  const tw = tf.randomNormal([3, 3, c, c]) as ReturnType<TF['tensor4d']>
  const Y = (): void => yann.setBackend('wasm')
  const T = (): void => useTf(tf, 'wasm')
  const all: Case[] = [
    { name: 'api', before: Y, fn: () => void yann.noGrad(() => yann.F.conv2d(x, w, null, { padding: 1 })) },
    { name: 'fresh', before: Y, fn: () => backend().conv2d(xf, wf, new Float32Array(yPre.length), o) },
    { name: 'prealloc', before: Y, fn: () => backend().conv2d(xf, wf, yPre, o) },
    { name: 'kernel', before: Y, fn: () => backend().conv2d(xa.view(), wa.view(), ya.view(), o) },
    { name: 'tf', before: T, fn: () => tf.tidy(() => void tf.conv2d(tx, tw, 1, 'same').dataSync()) },
    { name: 'tf-nosync', before: T, fn: () => tf.tidy(() => void tf.conv2d(tx, tw, 1, 'same')) },
  ]
  const cases = all.filter((k) => only.length === 0 || only.includes(k.name))
  const res = await measure(cases, { rounds, minBlockMs: 60, warmupMs: 200 })
  const flop = 2 * n * c * c * 9 * s * s
  console.log(`${c}->${c} ${s}x${s}: ` + res.map((r) => `${r.name} ${(r.cpu * 1e6).toFixed(0)}µs (${(flop / r.cpu / 1e9).toFixed(1)})`).join(', '))
  xa.free(); wa.free(); ya.free()
  tx.dispose(); tw.dispose()
}
