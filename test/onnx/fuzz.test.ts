import * as ort from 'onnxruntime-node'
import { describe, expect, it } from 'vitest'
import { manualSeed, nn, noGrad, randn, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { randomProgram, type Program } from './fuzz-programs.js'
import { ortTensor } from './ort.js'

/**
 * ONNX export fuzz: seeded random forward programs (test/onnx/fuzz-programs.ts), each exported
 * with a dynamic batch and run in ONNX Runtime on the example input and on inputs of two other
 * batch sizes with new values. Every output must match yann's forward in shape, dtype and value
 * (float32 tolerance); an export may instead refuse with an error naming the op. A graph that
 * runs but answers differently (a constant baked in, a batch size frozen) is the bug this finds.
 * YANN_ONNX_FUZZ=N runs N programs (default 500); YANN_ONNX_FUZZ_REFUSALS=1 prints the export
 * refusals. In long runs an op that jumps (sign, round, a cast, a comparison) can flip on a
 * last-bit difference between ONNX Runtime and yann: read such a failure before trusting it.
 */

const PROGRAMS = Number(process.env.YANN_ONNX_FUZZ ?? 500)
const refusals: string[] = []

class ProgramModule extends nn.Module {
  constructor(private readonly program: Program) {
    super()
  }
  forward(x: Tensor): Tensor {
    return this.program.run(x)
  }
}

async function check(seed: number): Promise<string | null> {
  manualSeed(seed)
  const program = randomProgram(seed, 3)
  const model = new ProgramModule(program)
  const example = randn(program.shape)
  let bytes: Uint8Array
  try {
    bytes = exportOnnx(model, [example], { dynamicAxes: { input: { 0: 'batch' }, output: { 0: 'batch' } } })
  } catch (e) {
    const message = (e as Error).message
    if (!message.startsWith('exportOnnx')) return `program ${seed} (${program.names.join(' → ')}): export threw ${(e as Error).constructor.name}: ${message}`
    refusals.push(message.replace(/\d+/g, 'N').slice(0, 140))
    return null
  }
  const session = await ort.InferenceSession.create(bytes)
  try {
    for (const batch of [3, 1, 5]) {
      const x = batch === 3 ? example : randn([batch, ...program.shape.slice(1)])
      const want = noGrad(() => model.forward(x))
      const got = (await session.run({ input: ortTensor(x) }))[session.outputNames[0]]
      const where = `program ${seed} (${program.names.join(' → ')}), input [${x.shape}]`
      if (got.type !== want.dtype) return `${where}: ONNX Runtime gave ${got.type}, yann ${want.dtype}`
      if (`${got.dims}` !== `${want.shape}`) return `${where}: ONNX Runtime gave shape [${got.dims}], yann [${want.shape}]`
      const g = got.data as Float32Array
      for (let i = 0; i < g.length; i++) {
        const w = want.data[i]
        const close = g[i] === w || Math.abs(g[i] - w) <= 1e-4 + 1e-3 * Math.abs(w) || (Number.isNaN(g[i]) && Number.isNaN(w))
        if (!close) return `${where}: element ${i}: ONNX Runtime ${g[i]}, yann ${w}`
      }
    }
  } finally {
    await session.release()
  }
  return null
}

describe('ONNX export fuzz: random programs, dynamic batch, in ONNX Runtime', () => {
  it(`${PROGRAMS} programs export and answer as yann does at batch 3, 1 and 5`, async () => {
    const failures: string[] = []
    for (let seed = 1; seed <= PROGRAMS; seed++) {
      const failure = await check(seed)
      if (failure !== null) failures.push(failure)
    }
    if (process.env.YANN_ONNX_FUZZ_REFUSALS) console.log(refusals.length, [...new Set(refusals)])
    expect(failures).toEqual([])
  }, 120_000)
})
