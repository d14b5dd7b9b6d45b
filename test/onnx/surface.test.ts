import { describe, expect, it } from 'vitest'
import { cat, nn, randn, split, tensor, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { opTypes } from './decode.js'
import { expectClose, forwardEval, runOrt } from './ort.js'

/** Tensor-surface ops pass their attributes to the tracer: a model of cat, split, narrow and reductions runs in ONNX Runtime. */
class Surface extends nn.Module {
  readonly fc = this.registerModule('fc', new nn.Linear(4, 6))
  forward(x: Tensor): Tensor {
    const [a, b] = split(this.fc.forward(x), [2, 4], 1) // [N, 2], [N, 4]
    const joined = cat([b, a, a.mul(2)], 1) // [N, 8]
    const m = joined.amax(1, { keepdim: true }) // [N, 1]
    const l = joined.logsumexp(1, { keepdim: true })
    const c = joined.cumsum(1).narrow(1, 2, 5) // [N, 5]
    return cat([c.sub(m), l, joined.amin(0, { keepdim: true }).expand([x.shape[0], 8])], 1)
  }
}

/** gather and indexSelect with constant indices: the index tensors are traced as inputs of the lookup. */
class Lookup extends nn.Module {
  readonly fc = this.registerModule('fc', new nn.Linear(4, 5))
  forward(x: Tensor): Tensor {
    const h = this.fc.forward(x) // [3, 5]
    const picked = h.gather(1, tensor([[4, 0], [1, 1], [2, 3]], { dtype: 'int32' })) // [3, 2]
    return cat([picked, h.indexSelect(1, [3, 0, 3])], 1) // [3, 5]
  }
}

describe('ONNX export of the tensor surface', () => {
  it('gather and indexSelect export as GatherElements and Gather and run like yann', async () => {
    const model = new Lookup()
    const x = randn([3, 4])
    const bytes = exportOnnx(model, [x])
    const types = opTypes(bytes)
    for (const t of ['GatherElements', 'Gather']) expect(types).toContain(t)
    const [y] = await runOrt(bytes, { input: x })
    expectClose(y, forwardEval(model, x))
  })

  it('cat, split, narrow, amax, amin, logsumexp and cumsum export with their dims and run like yann', async () => {
    const model = new Surface()
    const x = randn([3, 4])
    const bytes = exportOnnx(model, [x])
    const types = opTypes(bytes)
    for (const t of ['Concat', 'Slice', 'ReduceMax', 'ReduceMin', 'ReduceLogSumExp', 'CumSum']) expect(types).toContain(t)
    const [y] = await runOrt(bytes, { input: x })
    expectClose(y, forwardEval(model, x))
  })
})
