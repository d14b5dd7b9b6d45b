import { expect } from 'vitest'
import { manualSeed, nn, noGrad, type Tensor } from '../../src/index.js'
import { exportOnnx } from '../../src/onnx.js'
import { expectClose, runOrt } from './ort.js'

/** A model written as a function, exported and checked in ONNX Runtime against yann's forward. */

/** A module whose forward is `fn`, with a Linear(4, 4) to use (`m.lin`); it returns every tensor fn does. */
export class Fn extends nn.Module<Tensor[], Tensor[]> {
  readonly lin = this.registerModule('lin', new nn.Linear(4, 4))
  constructor(private readonly fn: (m: Fn, x: Tensor) => Tensor[]) {
    super()
  }
  forward(x: Tensor): Tensor[] {
    return this.fn(this, x)
  }
}

/** Export fn's module on `inputs[0]` (dim 0 dynamic if `dynamic`), run each input in ONNX Runtime, compare every output with yann's eval forward. */
export async function check(fn: (m: Fn, x: Tensor) => Tensor[], inputs: Tensor[], dynamic = false): Promise<Uint8Array> {
  manualSeed(5)
  const model = new Fn(fn)
  const bytes = exportOnnx(model, inputs[0], dynamic ? { dynamicAxes: { input: { 0: 'n' } } } : {})
  model.eval()
  for (const x of inputs) {
    const got = await runOrt(bytes, { input: x })
    const want = noGrad(() => model.forward(x))
    expect(got.length).toBe(want.length)
    want.forEach((w, i) => {
      expect(got[i].type).toBe(w.dtype)
      expectClose(got[i], w)
    })
  }
  return bytes
}
