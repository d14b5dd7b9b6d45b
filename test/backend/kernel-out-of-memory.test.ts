import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { F, getBackend, ones, setBackend, type BackendName } from '../../src/index.js'
import { WasmOutOfMemory } from '../../src/backend/wasm/runtime.js'

/**
 * A wasm kernel that cannot allocate its own scratch (conv2d's columns: strided, the kernel
 * unfolds K × L of them) raises WasmOutOfMemory naming the op, the shapes and the fix, decided
 * by the allocator's record of the request it could not meet (assembly/alloc.ts), not as a bug.
 */

// Strided conv2d: K = 64·64 = 4096 rows × L = 256·256 columns of float32 = 1 GiB of scratch,
// more than one block of wasm memory holds, for a 1.3 MB input and a 256 KB output.
const hugeScratch = () => F.conv2d(ones([1, 1, 574, 574]), ones([1, 1, 64, 64]), null, { stride: 2 })

/** Every output of ones [n, c, h, w] * ones [oc, c, k, k] without padding is c·k². */
function expectAll(values: ArrayLike<number>, value: number, length: number): void {
  expect(Array.from(values)).toEqual(new Array<number>(length).fill(value))
}

describe('out of memory inside a wasm kernel', () => {
  let before: BackendName
  beforeEach(() => {
    before = getBackend()
    setBackend('wasm', { dispatchSmall: false })
  })
  afterEach(() => setBackend(before))

  it('is WasmOutOfMemory naming the op, the shapes and the fix, not a bug; ops work after it', () => {
    let caught: unknown
    try {
      hugeScratch()
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(WasmOutOfMemory)
    const message = (caught as Error).message
    expect(message).toBe(
      'conv2d: out of wasm memory: the kernel could not allocate its 1073741824-byte scratch for input [1, 1, 574, 574], ' +
        'weight [1, 1, 64, 64] → [1, 1, 256, 256] (stride 2×2, padding 0×0, dilation 1×1, groups 1) ' +
        '(one block of wasm memory holds less than 1 GiB); use a smaller batch or smaller shapes',
    )
    expect(message).not.toMatch(/bug/)
    // The same kernel, strided (its scratch again) and at stride 1, and a gemm, all right after.
    expectAll(F.conv2d(ones([2, 3, 21, 21]), ones([4, 3, 3, 3]), null, { stride: 2 }).data, 27, 2 * 4 * 10 * 10)
    expectAll(F.conv2d(ones([2, 3, 8, 8]), ones([4, 3, 3, 3])).data, 27, 2 * 4 * 6 * 6)
    expectAll(ones([70, 90]).matmul(ones([90, 50])).data, 90, 70 * 50)
    // Again: the same error, not a trap on a block freed by the first failure.
    expect(hugeScratch).toThrow(WasmOutOfMemory)
  })

  it('when wasm memory cannot grow (V8 capped at 64 MiB): WasmOutOfMemory from the op and from a compiled step\'s replay; both work again after', () => {
    const src = resolve(__dirname, '../../src/index.ts')
    const script = `
      import { compile, F, nn, ones, optim, setBackend, tensor } from ${JSON.stringify(src)}
      import { allocFloat } from ${JSON.stringify(resolve(__dirname, '../../src/backend/wasm/runtime.ts'))}
      import { wasmOnlyBackend } from ${JSON.stringify(resolve(__dirname, '../../src/backend/wasm/backend.ts'))}
      setBackend('wasm', { dispatchSmall: false })
      const out = {}
      const attempt = (f) => { try { f(); return 'ran' } catch (e) { return e.name + ': ' + e.message } }
      // conv2d's columns: 4096 × 64·128 float32 = 128 MiB, under the 1 GiB block but over the cap.
      out.op = attempt(() => F.conv2d(ones([1, 1, 190, 318]), ones([1, 1, 64, 64]), null, { stride: 2 }))
      out.after = Array.from(F.conv2d(ones([1, 2, 9, 9]), ones([1, 2, 3, 3]), null, { stride: 2 }).data)
      // A compiled step whose strided conv2d needs 253 KiB of scratch, recorded and replayed...
      const conv = new nn.Conv2d(3, 4, 3, { stride: 2, bias: false })
      conv.weight.data.fill(0.01)
      const opt = new optim.SGD(conv.parameters(), { lr: 0.1 })
      const step = compile((x) => { opt.zeroGrad(); const loss = conv.forward(x).sum(); loss.backward(); opt.step(); return loss })
      const x = ones([8, 3, 100, 100])
      for (let i = 0; i < 3; i++) step(x) // (a plan with .grad null, one with it set, then the replay)
      out.replayed = step.lastRun + ' ' + step.replayPath
      // ...then the huge conv frees that scratch and fails, and the memory is filled up to the cap:
      // the replay cannot allocate the scratch again.
      attempt(() => F.conv2d(ones([1, 1, 574, 574]), ones([1, 1, 64, 64]), null, { stride: 2 }))
      const fill = []
      for (let n = 1 << 20; n >= 1; ) { try { fill.push(allocFloat('float32', n)) } catch { n >>= 1 } }
      out.replay = attempt(() => step(x))
      // A step recorded now cannot place its plan in wasm (it replays in JS); a genuine trap after
      // that (a read out of bounds: kernels trust their caller) is still the bug it is.
      const lin = new nn.Linear(4, 3)
      const opt2 = new optim.SGD(lin.parameters(), { lr: 0.1 })
      const small = compile((x) => { opt2.zeroGrad(); const loss = lin.forward(x).sum(); loss.backward(); opt2.step(); return loss })
      small(ones([2, 4]))
      out.lowering = small.interpreterReason
      out.bug = attempt(() => wasmOnlyBackend.stridedCopy(new Float32Array(8), new Float32Array(8), [8], [1], 1_000_000_000))
      for (const b of fill) b.free()
      for (let i = 0; i < 3; i++) step(x) // (the new Linear discarded its plans: recorded anew)
      out.replayAfter = step(x).item()
      out.replayAfterRun = step.lastRun
      console.log(JSON.stringify(out))
    `
    const dir = mkdtempSync(join(tmpdir(), 'yann-oom-'))
    try {
      const file = join(dir, 'capped.mts')
      writeFileSync(file, script)
      const run = spawnSync(process.execPath, ['--wasm-max-mem-pages=1024', '--import', 'tsx', file], {
        cwd: resolve(__dirname, '../..'),
        encoding: 'utf8',
        timeout: 60_000,
      })
      expect(run.stderr).toBe('')
      const out = JSON.parse(run.stdout)
      expect(out.op).toMatch(
        /^WasmOutOfMemory: conv2d: out of wasm memory: the kernel could not allocate its 134217728-byte scratch for input \[1, 1, 190, 318\], weight \[1, 1, 64, 64\] → \[1, 1, 64, 128\] \(stride 2×2, .*\) \(wasm memory, \d+ bytes now, could not grow by that much\); use a smaller batch or smaller shapes$/,
      )
      expect(out.after).toEqual([18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18, 18])
      expect(out.replayed).toBe('replay wasm')
      // (conv2d runs in the plan interpreter, which marks it while it runs: the replay's error is eager's.)
      expect(out.replay).toMatch(
        /^WasmOutOfMemory: conv2d: out of wasm memory: the kernel could not allocate its 259308-byte scratch for input \[8, 3, 100, 100\], weight \[4, 3, 3, 3\] → \[8, 4, 49, 49\] \(stride 2×2, .*\) \(wasm memory, 67108864 bytes now, could not grow by that much\); use a smaller batch or smaller shapes$/,
      )
      expect(out.lowering).toMatch(/^lowering failed: compile: the wasm plan: cannot allocate \d+ bytes of wasm memory \(wasm memory, 67108864 bytes now, could not grow by that much\)$/)
      expect(out.bug).toMatch(/^Error: yann wasm backend: kernel 'stridedCopy' trapped \(.*\); this is a bug in yann/)
      expect(out.replayAfterRun).toBe('replay')
      expect(Number.isFinite(out.replayAfter)).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
