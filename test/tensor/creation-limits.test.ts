import { describe, expect, it } from 'vitest'
import { arange, full, manualSeed, nn, ones, rand, randn, tensor, zeros } from '../../src/index.js'

/** Issue 11 §2.4 (creation options), §2.5, §2.10, §2.11 (full, arange), §3.3. */
describe('creation functions reject what PyTorch rejects', () => {
  it('rand() in float32 never returns 1: the seed and draw that gave 1.0 (§2.5)', () => {
    manualSeed(0)
    const draws = Array.from({ length: 5 }, () => rand([1e6]))
    const r = draws[4]
    let max = 0
    for (const v of r.data) max = Math.max(max, v)
    expect(r.data[433008]).toBe(1 - 2 ** -24)
    expect(max).toBeLessThan(1)
  })

  it('int32 overflow is an error, in tensor(), full(), arange() and .to() (§2.10)', () => {
    expect(() => tensor([3e10], { dtype: 'int32' })).toThrow('tensor: value 30000000000 (element 0) cannot be converted to int32 without overflow')
    expect(() => tensor([1, NaN], { dtype: 'int32' })).toThrow('tensor: value NaN (element 1) cannot be converted to int32')
    expect(() => full([2], 2 ** 31, { dtype: 'int32' })).toThrow('full: value 2147483648 (element 0) cannot be converted to int32')
    expect(() => tensor([1e12]).to('int32')).toThrow('to: value 999999995904 (element 0) cannot be converted to int32')
    expect(Array.from(tensor([-(2 ** 31), 2 ** 31 - 1], { dtype: 'int32' }).data)).toEqual([-(2 ** 31), 2 ** 31 - 1])
  })

  it("full([2], 'x') and arange(0, 10, -1) are errors (§2.11)", () => {
    expect(() => full([2], 'x' as never)).toThrow('full: the fill value must be a number, got string "x"')
    expect(() => arange(0, 10, -1)).toThrow('arange: step -1 goes away from end: from 0 to 10 needs a positive step')
    expect(Array.from(arange(3, 0, -1).data)).toEqual([3, 2, 1])
    expect(arange(2, 2).shape).toEqual([0])
  })

  it('unknown option keys are errors (§2.4)', () => {
    expect(() => zeros([2], { dtyp: 'float64' } as never)).toThrow("zeros: unknown option 'dtyp'; known options are dtype, requiresGrad")
    expect(() => tensor([1], { requires_grad: true } as never)).toThrow("tensor: unknown option 'requires_grad'; did you mean requiresGrad?")
    expect(() => randn([2], { seed: 1 } as never)).toThrow("randn: unknown option 'seed'")
  })

  it('huge or invalid shapes name the op, the shape and the limit (§3.3)', () => {
    expect(() => zeros([1e10])).toThrow('zeros: shape [10000000000] is 10000000000 elements, 40000000000 bytes as float32; one tensor holds at most 4294967296 bytes (4 GiB)')
    expect(() => zeros([2 ** 31, 2 ** 31])).toThrow(/^zeros: shape \[2147483648, 2147483648\] is .* elements, .* bytes as float32; one tensor holds at most 4294967296 bytes/)
    expect(() => ones([2 ** 30], { dtype: 'float64' })).toThrow('ones: shape [1073741824] is 1073741824 elements, 8589934592 bytes as float64')
    expect(() => new nn.Linear(40000, 30000)).toThrow('Linear: shape [30000, 40000] is 1200000000 elements, 4800000000 bytes as float32; one tensor holds at most 4294967296 bytes (4 GiB)')
    expect(() => arange(0, Infinity)).toThrow('arange: start and end must be finite numbers, got 0 and Infinity')
    expect(() => zeros([NaN])).toThrow('zeros: shape must be an array of non-negative integers, got [NaN]')
  })
})
