import { describe, it } from 'vitest'
import { F, manualSeed, matmul, nn, permute, randn, sub, tensor, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/** Every op on main with an ONNX mapping, exported inside small modules and run in ONNX Runtime. */

/** A module whose forward is `fn` (parameters: `w` [4, 4]). */
class Fn extends nn.Module<Tensor[], Tensor> {
  readonly lin = this.registerModule('lin', new nn.Linear(4, 4))
  constructor(private readonly fn: (m: Fn, ...x: Tensor[]) => Tensor) {
    super()
  }
  forward(...x: Tensor[]): Tensor {
    return this.fn(this, ...x)
  }
}

async function check(fn: (m: Fn, ...x: Tensor[]) => Tensor, inputs: Tensor[], dynamicAxes?: Record<string, number[] | Record<number, string>>, resized?: Tensor[][], opset = 17) {
  manualSeed(11)
  const model = new Fn(fn)
  const inputNames = inputs.map((_, i) => `x${i}`)
  const bytes = exportOnnx(model, inputs, { inputNames, dynamicAxes, opset })
  for (const xs of [inputs, ...(resized ?? [])]) {
    const [y] = await runOrt(bytes, Object.fromEntries(xs.map((x, i) => [inputNames[i], x])))
    expectClose(y, forwardEval(model, ...xs))
  }
}

describe('op mappings in ONNX Runtime', () => {
  it('elementwise: add sub rsub mul div neg exp log sqrt abs relu sigmoid tanh pow clamp maximum', async () => {
    await check(
      (_, x, y) => {
        const a = x.add(y).sub(x.mul(0.5)).div(y.abs().add(1)).neg()
        const b = sub(2, x).exp().add(y.abs().sqrt()).log().relu()
        const c = x.sigmoid().tanh().pow(3).clamp(-0.2, null).maximum(y.clamp(null, 0.3)).clamp(-1, 1)
        return a.add(b).add(c)
      },
      [randn([3, 4]), randn([4])],
    )
  })

  it('reductions and softmax: sum/mean over all and one dim (keepdim or not), softmax, logSoftmax, at opsets 17, 18 and 21', async () => {
    for (const opset of [17, 18, 21]) {
      await check(
        (_, x) =>
          x.sum(1).unsqueeze(1).add(x.mean(0, true)).add(x.sum()).sub(x.mean()).add(x.sum(-1, true)).softmax(0).add(x.logSoftmax(1)).add(F.softmax(x, -1)),
        [randn([3, 5])],
        undefined,
        undefined,
        opset,
      )
    }
  })

  it('shapes: reshape, view, flatten, transpose, permute, unsqueeze, squeeze (all, one), casts and clone', async () => {
    await check(
      (_, x) => {
        const p = permute(x.reshape([2, 3, 4]), [2, 0, 1]) // [4, 2, 3]
        const t = p.transpose(0, 2).unsqueeze(0).squeeze().squeeze(0) // [3, 2, 4]
        return t.view(6, 4).flatten().unsqueeze(1).double().mul(2).float().clone()
      },
      [randn([6, 4])],
    )
  })

  it('matrix products: linear with and without bias on 2-D and 3-D input, mm, mv, dot, batched and broadcast matmul', async () => {
    await check(
      (m, x, v) => {
        const y = m.lin.forward(x) // [2, 3, 4]: MatMul by Wᵀ + Add
        const z = F.linear(y.reshape([6, 4]), m.lin.weight) // Gemm without bias
        const mm = matmul(z, m.lin.weight) // [6, 4]
        const mv = matmul(mm, v) // [6]
        const dot = matmul(v, v) // []
        const bmm = matmul(y, y.transpose(1, 2)) // [2, 3, 3]
        const broadcast = matmul(bmm, fixed) // [2, 3, 4]
        return broadcast.sum(1).sum(0).add(mv.sum()).mul(dot)
      },
      [randn([2, 3, 4]), randn([4])],
    )
  })

  it('dynamic batch and sequence: reshapes that keep or infer the dynamic dims, run at other sizes', async () => {
    await check(
      (m, x) => {
        const [b, t] = x.shape
        const heads = m.lin.forward(x).reshape([b, t, 2, 2]).transpose(1, 2) // [b, 2, t, 2]
        const back = heads.transpose(1, 2).reshape([b, t, 4])
        return back.reshape([b * t, 4]).softmax(-1).reshape([b, t, 4]).add(x)
      },
      [randn([2, 5, 4])],
      { x0: [0, 1] },
      [[randn([1, 3, 4])], [randn([4, 7, 4])]],
    )
  })

  it('two inputs sharing one dynamic symbol (both "batch") resize together in the second trace', async () => {
    // With a step per input the second trace would multiply [3, 4] by [2, 4] and fail.
    await check((m, x, y) => m.lin.forward(x).mul(y.sigmoid()), [randn([4, 4]), randn([4, 4])], { x0: { 0: 'batch' }, x1: { 0: 'batch' } }, [[randn([1, 4]), randn([1, 4])], [randn([6, 4]), randn([6, 4])]])
  })
})

const fixed: Tensor = tensor([
  [0.1, -0.2, 0.3, 0.4],
  [0.5, 0.6, -0.7, 0.8],
  [0.9, 1.0, 1.1, -1.2],
])
