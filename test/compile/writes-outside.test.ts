import { describe, expect, test } from 'vitest'
import * as yann from '../../src/index.js'
import { nn, optim, Tensor } from '../../src/index.js'

const onWasm = process.env.YANN_BACKEND === 'wasm'

/** Arrays and tensors outside the step that it writes or returns: the caller sees what eager gives. */
describe('compile: what the step writes outside itself', () => {
  test('a tensor made before the call that the step only writes into holds this call’s values', () => {
    const run = (compiled: boolean): number[][] => {
      yann.manualSeed(5)
      const model = new nn.Sequential(new nn.Linear(16, 32), new nn.ReLU(), new nn.Linear(32, 4))
      const opt = new optim.SGD(model.parameters(), { lr: 0.05 })
      const lossFn = new nn.MSELoss()
      const lastOut = yann.zeros([8, 4])
      const f = (x: Tensor, y: Tensor): Tensor => {
        opt.zeroGrad()
        const out = model.forward(x)
        const l = lossFn.forward(out, y)
        l.backward()
        opt.step()
        yann.noGrad(() => lastOut.copy_(out))
        return l
      }
      const step = compiled ? yann.compile(f) : f
      const x = yann.randn([8, 16])
      const y = yann.randn([8, 4])
      const seen: number[][] = []
      for (let i = 0; i < 5; i++) seen.push([step(x, y).item(), ...Array.from(lastOut.data)])
      if (compiled) {
        const c = step as yann.CompiledFunction<[Tensor, Tensor], Tensor>
        expect(c.lastRun).toBe('replay')
        expect(c.replayPath).toBe(onWasm ? 'wasm' : 'js')
      }
      return seen
    }
    expect(run(true)).toEqual(run(false))
  })
})

describe('compile: a written array sharing its buffer with another', () => {
  test('only the part the step writes is refreshed; the rest of the buffer keeps what JS wrote', () => {
    yann.manualSeed(3)
    const lin = new nn.Linear(16, 4)
    const buffer = new Float32Array(64)
    const lastOut = new Tensor(buffer.subarray(0, 32), [8, 4])
    const other = new Tensor(buffer.subarray(32), [32])
    const step = yann.compile((x: Tensor): Tensor => {
      const out = lin.forward(x)
      yann.noGrad(() => lastOut.copy_(out))
      return out.sum()
    })
    for (let i = 0; i < 5; i++) {
      other.data.fill(i) // JS writes the other half between calls
      const x = yann.randn([8, 16])
      step(x)
      expect(Array.from(lastOut.data)).toEqual(Array.from(yann.noGrad(() => lin.forward(x)).data))
      expect(Array.from(other.data)).toEqual(new Array(32).fill(i))
    }
    expect(step.lastRun).toBe('replay')
  })
})

describe('compile: an output over an input’s storage', () => {
  test('a reshape of the input returned by the step holds this call’s input, not the recording’s', () => {
    const f = yann.compile((x: Tensor) => [x.reshape([-1]), x.mul(2).sum()])
    for (const v of [1, 2, 3, 4]) {
      const x = yann.full([2, 2], v)
      const [r, s] = f(x) as Tensor[]
      expect(Array.from(r.data)).toEqual([v, v, v, v])
      expect(r.shape).toEqual([4])
      expect(s.item()).toBe(8 * v)
    }
    expect(f.lastRun).toBe('replay')
  })
})
