import { describe, expect, it } from 'vitest'
import { record } from '../../src/autograd/engine.js'
import { jacobian, noGrad, tensor, Tensor, zeros } from '../../src/index.js'

/** Expected Jacobians are written out from the formulas in each test, never computed by yann. */
const f64 = (data: any, requiresGrad = false) => tensor(data, { dtype: 'float64', requiresGrad })

describe('jacobian', () => {
  it('of x² is diag(2x), shape [3, 3]', () => {
    const J = jacobian((x) => x.mul(x), f64([1, 2, 3]))
    expect(J.shape).toEqual([3, 3])
    expect(J.dtype).toBe('float64')
    expect(J.toArray()).toEqual([
      [2, 0, 0],
      [0, 4, 0],
      [0, 0, 6],
    ])
  })

  it('of W·x with respect to x is W, and to W is x in each row', () => {
    const W = f64([
      [1, 2, 3],
      [4, 5, 6],
    ])
    const x = f64([7, 8, 9])
    const [JW, Jx] = jacobian((W, x) => W.matmul(x), [W, x])
    expect(Jx.toArray()).toEqual(W.toArray())
    // ∂y[i]/∂W[j][k] = δij·x[k]: shape [2, 2, 3]
    expect(JW.shape).toEqual([2, 2, 3])
    expect(JW.toArray()).toEqual([
      [
        [7, 8, 9],
        [0, 0, 0],
      ],
      [
        [0, 0, 0],
        [7, 8, 9],
      ],
    ])
  })

  it('has shape [...out.shape, ...in.shape]', () => {
    const J = jacobian((x) => x.sum(1), zeros([2, 3, 4], { dtype: 'float64' }))
    expect(J.shape).toEqual([2, 4, 2, 3, 4])
  })

  it('of a scalar output has the input shape: the gradient', () => {
    const J = jacobian((x) => x.mul(x).sum(), f64([[1, -2]]))
    expect(J.shape).toEqual([1, 2])
    expect(J.toArray()).toEqual([[2, -4]])
  })

  it('of softmax is diag(s) − s·sᵀ', () => {
    const x = f64([0.5, -1, 2])
    const e = [Math.exp(0.5), Math.exp(-1), Math.exp(2)]
    const z = e[0] + e[1] + e[2]
    const s = e.map((v) => v / z)
    const want = s.map((si, i) => s.map((sj, j) => (i === j ? si : 0) - si * sj))
    const J = jacobian((x) => x.softmax(0), x).toArray() as number[][]
    J.flat().forEach((v, k) => expect(v).toBeCloseTo(want.flat()[k], 14))
  })

  it('returns an array for an array of one input, a tensor for a tensor', () => {
    const x = f64([1, 2])
    expect(jacobian((x) => x, [x])).toHaveLength(1)
    expect(jacobian((x) => x, x)).toBeInstanceOf(Tensor)
  })

  it('of the identity (f returns its input) is the identity matrix', () => {
    expect(jacobian((x) => x, f64([5, 6])).toArray()).toEqual([
      [1, 0],
      [0, 1],
    ])
  })

  it('is zero for an input the output does not use', () => {
    const [Ja, Jb] = jacobian((a, _b) => a.mul(2), [f64([1, 2]), f64([3, 4, 5])])
    expect(Ja.toArray()).toEqual([
      [2, 0],
      [0, 2],
    ])
    expect(Jb.shape).toEqual([2, 3])
    expect(Array.from(Jb.data)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('is zero when the output does not depend on any input', () => {
    const c = f64([1, 1])
    expect(Array.from(jacobian((_x) => c.mul(3), f64([1, 2])).data)).toEqual([0, 0, 0, 0])
  })

  it('works in float32 too, in float32', () => {
    const J = jacobian((x) => x.mul(3), tensor([1, 2]))
    expect(J.dtype).toBe('float32')
    expect(J.toArray()).toEqual([
      [3, 0],
      [0, 3],
    ])
  })

  it("leaves the inputs' and other leaves' .grad untouched, and the inputs leaves", () => {
    const x = f64([1, 2], true)
    const w = f64([3, 4], true)
    w.grad = f64([10, 20])
    const J = jacobian((x) => x.mul(w), x)
    expect(J.toArray()).toEqual([
      [3, 0],
      [0, 4],
    ])
    expect(x.grad).toBeNull()
    expect(x.isLeaf).toBe(true)
    expect(w.grad!.toArray()).toEqual([10, 20])
  })

  it('uses one backward per output element (retainGraph), so a freed graph would fail', () => {
    let calls = 0
    const counted = (x: Tensor) => record(x.mul(1).detach(), 'CountedBackward0', [x], (g) => (calls++, [g]))
    jacobian(counted, f64([1, 2, 3]))
    expect(calls).toBe(3)
  })

  it('refuses int32 inputs, a non-tensor result and grad mode off', () => {
    expect(() => jacobian((x) => x, tensor([1, 2], { dtype: 'int32' }))).toThrow(/jacobian: input 0 .*int32/)
    expect(() => jacobian((() => 3) as any, f64([1]))).toThrow(/jacobian: f must return one Tensor, got number/)
    expect(() => noGrad(() => jacobian((x) => x, f64([1])))).toThrow(/jacobian: gradient recording is off/)
  })
})
